"""Pages of a list: ``page`` (from 1) and ``page_size`` (at most ``MAX_PAGE_SIZE``) in
the query string; the answer holds the page's ``items``, the ``count`` of all of them
and the URL of the ``next`` page (null on the last). Ordered lists only: each list's
selector orders by something unique, so no item is on two pages or none.

A page costs the same queries whatever its size: one count, one slice of the ordered
query, and what the operation builds for the slice in a fixed number of queries."""

from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import Model, QuerySet
from django.http import HttpRequest
from ninja import Field, Schema

from koers.api.common_schemas import Input

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class PageIn(Input):
    page: int = Field(1, ge=1)
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class PageOut(Schema):
    """``items`` is the page; ``count`` the number of items on every page together;
    ``next`` the URL of the following page, with the same filters, or null."""

    count: int
    page: int
    page_size: int
    next: str | None


def page_of[M: Model](request: HttpRequest, rows: QuerySet[M],
                      paging: PageIn) -> tuple[Sequence[M], dict[str, Any]]:
    """The rows of the page asked for, and the members of ``PageOut`` besides ``items``."""
    count = rows.count()
    start = (paging.page - 1) * paging.page_size
    items = list(rows[start:start + paging.page_size]) if start < count else []
    return items, _page(request, count, paging)


def page_of_list[T](request: HttpRequest, rows: Sequence[T],
                    paging: PageIn) -> tuple[Sequence[T], dict[str, Any]]:
    """The same for a list a record holds whole (a stored report's errors): no query."""
    start = (paging.page - 1) * paging.page_size
    return rows[start:start + paging.page_size], _page(request, len(rows), paging)


def paged(request: HttpRequest, rows: QuerySet[Any] | Sequence[Any], paging: PageIn,
          build: Callable[[Sequence[Any]], list[Any]]) -> dict[str, Any]:
    """A whole ``PageOut``: the page of ``rows`` asked for, its ``items`` made by ``build``
    from that page alone. A query set is counted and sliced in the database; a list a
    selector had to build whole (it merges several tables or is computed) is sliced here,
    having cost the same queries for any number of rows."""
    page_rows: Sequence[Any]
    if isinstance(rows, QuerySet):
        page_rows, page = page_of(request, rows, paging)
    else:
        page_rows, page = page_of_list(request, rows, paging)
    return {"items": build(page_rows), **page}


def _page(request: HttpRequest, count: int, paging: PageIn) -> dict[str, Any]:
    start = (paging.page - 1) * paging.page_size
    next_url = None
    if start + paging.page_size < count:
        query = request.GET.copy()
        query["page"] = str(paging.page + 1)
        query["page_size"] = str(paging.page_size)
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return {"count": count, "page": paging.page, "page_size": paging.page_size,
            "next": next_url}
