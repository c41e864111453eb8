"""HR of a whole organisation sees its e-mail that has not gone out, on the page and in
the API, through one selector (docs/operations.md, "The outbox")."""

import datetime as dt

import pytest
from django.core.mail import EmailMessage
from django.urls import reverse

from koers.conversations import services as conversations
from koers.conversations.states import ConversationKind
from koers.notify import outbox
from koers.notify.models import EmailKind, OutgoingEmail
from tests import personas
from tests.factories.goals import viewer

pytestmark = pytest.mark.django_db
START = dt.datetime(2099, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def p():
    return personas.build()


def _schedule(p, *, days: int = 0) -> None:
    conversations.conversation_schedule(
        actor=viewer(p.manager), employee=p.employee, kind=ConversationKind.FOLLOW_UP,
        starts_at=START + dt.timedelta(days=days),
        ends_at=START + dt.timedelta(days=days, hours=1), location="Room 2.14")


def _api_ids(client) -> list[int]:
    response = client.get("/api/v1/mail/undelivered")
    assert response.status_code == 200
    return [row["id"] for row in response.json()["items"]]


def test_hr_sees_the_unsent_mail_of_the_organisation_newest_first_on_both_faces(client, p):
    _schedule(p)  # the employee's invitation and the manager's copy
    outbox.enqueue(EmailMessage("Elsewhere", "text", to=[p.outsider.email]), key="other",
                   kind=EmailKind.ACCOUNT, recipient=p.outsider.user)
    client.force_login(p.hr.user)
    ours = list(OutgoingEmail.objects.filter(organisation_id=p.employee.organisation_id)
                .order_by("-created_at", "-pk").values_list("pk", flat=True))
    assert len(ours) == 2
    page = client.get(reverse("undelivered_mail"))
    assert [email.pk for email in page.context["page"].object_list] == ours
    assert _api_ids(client) == ours
    assert "Elsewhere" not in page.content.decode()


def test_sent_mail_leaves_the_list_and_given_up_mail_says_so(client, p):
    _schedule(p)
    invitation, copy = OutgoingEmail.objects.order_by("pk")
    outbox.deliver_outbox()  # the test relay takes both
    _schedule(p, days=1)
    given_up = OutgoingEmail.objects.order_by("pk").last()
    OutgoingEmail.objects.filter(pk=given_up.pk).update(
        attempts=outbox.MAX_ATTEMPTS, gave_up_at=START, last_error="SMTPRecipientsRefused")
    client.force_login(p.hr.user)
    listed = _api_ids(client)
    assert {invitation.pk, copy.pk}.isdisjoint(listed)
    rows = client.get("/api/v1/mail/undelivered").json()["items"]
    row = next(r for r in rows if r["id"] == given_up.pk)
    assert (row["attempts"], row["next_attempt_at"], row["last_error"]) == (
        outbox.MAX_ATTEMPTS, None, "SMTPRecipientsRefused")
    page = client.get(reverse("undelivered_mail")).content.decode()
    assert "Opgegeven op 02-03-2099" in page
    assert "Volgende poging vanaf" in page


@pytest.mark.parametrize("who", ["team_hr", "manager", "employee", "outsider"])
def test_others_get_not_found_on_both_faces(client, p, who):
    _schedule(p)
    client.force_login(getattr(p, who).user)
    assert client.get(reverse("undelivered_mail")).status_code == 404
    assert client.get("/api/v1/mail/undelivered").status_code == 404


def test_the_page_reads_a_bounded_number_of_queries(client, p, django_assert_max_num_queries):
    client.force_login(p.hr.user)
    _schedule(p)
    with django_assert_max_num_queries(12) as one:
        client.get(reverse("undelivered_mail"))
    for days in range(1, 4):
        _schedule(p, days=days)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("undelivered_mail"))
    assert len(response.context["page"].object_list) == 8
