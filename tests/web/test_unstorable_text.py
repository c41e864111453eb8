"""Text that cannot be stored (core.text) is a form error on every page, never a server
error on PostgreSQL, and nothing is saved."""

import importlib
import pkgutil

import pytest
from django import forms
from django.urls import reverse

import koers.web
from koers.goals.models import Goal, GoalComment
from koers.web.page.forms import KoersFormMixin
from tests import personas
from tests.factories import goals

pytestmark = pytest.mark.django_db

REFUSED = "De tekst bevat een teken dat niet bewaard kan worden."


@pytest.fixture
def p():
    return personas.build()


def test_a_goal_title_with_a_nul_is_a_form_error_and_nothing_is_saved(client, p):
    client.force_login(p.employee.user)

    response = client.post(reverse("goal_new", args=[p.employee.pk]), {
        "kind": "performance", "title": "Excel\x00 leren", "visibility": "private"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"title": [REFUSED]}
    assert not Goal.objects.exists()


def test_a_note_posted_without_its_form_is_refused_with_the_reason(client, p):
    goal = goals.proposed(p.employee)
    client.force_login(p.employee.user)

    response = client.post(reverse("goal_comment", args=[goal.pk]), {"text": "Bijna\x00"},
                           follow=True)

    assert f"Opvolgingsnotitie: {REFUSED}" in response.content.decode()
    assert not GoalComment.objects.filter(goal=goal).exists()


def _form_classes() -> set[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(koers.web.__path__, "koers.web."):
        importlib.import_module(module.name)
    found: set[type[forms.BaseForm]] = set()
    todo: list[type[forms.BaseForm]] = [forms.BaseForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("koers.web."):
                found.add(sub)
    return found


def test_every_form_of_the_pages_refuses_text_that_cannot_be_stored():
    """The mixin is where the rule is applied to the pages: a form without it would let
    such text through to the database."""
    classes = _form_classes()

    assert len(classes) > 40
    assert sorted(c.__qualname__ for c in classes if not issubclass(c, KoersFormMixin)) == []


def test_the_mixin_covers_every_text_field_also_those_added_after_construction():
    class Form(KoersFormMixin, forms.Form):
        name = forms.CharField()
        email = forms.EmailField()

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["later"] = forms.CharField(widget=forms.Textarea)

    form = Form({"name": "a\x00", "email": "a\x00@example.org", "later": "\x00"})

    assert not form.is_valid()
    assert form.errors["name"] == [REFUSED]
    assert form.errors["later"] == [REFUSED]
    assert REFUSED in form.errors["email"]
    assert Form({"name": "An", "email": "an@example.org", "later": "ok"}).is_valid()
