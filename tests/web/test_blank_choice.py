"""A select's empty choice speaks the reader's language: Django's own label for it
("- Select an option -") has no Dutch or German translation, so Koers names it itself."""

import pytest
from django.urls import reverse

from koers.core.models import User
from tests import personas

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "blank"), [
    ("nl", "Kies…"), ("de", "Wählen Sie…"), ("fr", "Choisissez…"), ("en", "Choose…")])
def test_the_empty_choice_of_a_model_field_is_named_in_the_reader_s_language(
        client, language, blank):
    p = personas.build()
    User.objects.filter(pk=p.hr.user_id).update(language=language)
    client.force_login(p.hr.user)

    form = client.get(reverse("person_edit", args=[p.employee.pk])).content.decode()

    # The employment status: a model field with choices and an empty one.
    assert f'<option value="">{blank}</option>' in form
    assert "Select an option" not in form
