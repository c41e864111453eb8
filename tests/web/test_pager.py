"""The links to a list's other pages, one template for every paged list."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.utils import translation


def _pager(number: int, **context: object) -> str:
    page = Paginator(range(25), 10).page(number)
    with translation.override("nl"):
        return render_to_string("page/_pager.html", {"page": page, **context})


def test_a_middle_page_links_both_ways_and_says_where_it_is():
    html = _pager(2)
    assert 'href="?page=1">Vorige pagina</a>' in html
    assert 'href="?page=3">Volgende pagina</a>' in html
    assert "Pagina 2 van 3" in html


def test_a_list_newest_first_says_newer_and_older_and_keeps_the_filters():
    html = _pager(1, by_age=True, query="kind=sign")
    assert "Nieuwere" not in html  # the first page has nothing newer
    assert 'href="?kind=sign&amp;page=2">Oudere</a>' in html


def test_a_single_page_needs_no_links():
    page = Paginator(range(5), 10).page(1)
    assert render_to_string("page/_pager.html", {"page": page}).strip() == ""
