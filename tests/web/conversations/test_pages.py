"""The conversation pages and the private calendar feed."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from koers.conversations import ical, services
from koers.conversations.models import CalendarFeed, Conversation
from koers.conversations.states import ConversationKind, ConversationStatus
from tests import personas
from tests.factories.goals import viewer

pytestmark = pytest.mark.django_db

START = dt.datetime(2099, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def p():
    return personas.build()


def schedule(p, n=0):
    return services.conversation_schedule(
        actor=viewer(p.manager), employee=p.employee, kind=ConversationKind.FOLLOW_UP,
        starts_at=START + dt.timedelta(days=n), ends_at=START + dt.timedelta(days=n, hours=1),
        location="Room 2.14",
    )


def test_the_manager_schedules_and_holds_through_the_pages(client, p):
    client.force_login(p.manager.user)
    response = client.post(reverse("conversation_new", args=[p.employee.pk]), {
        "kind": "follow_up", "day": "2099-03-02", "start": "09:00", "end": "10:00",
        "location": "Room 2.14", "agenda": "Training budget",
    })
    conversation = Conversation.objects.get()
    assert response.url == reverse("conversation_detail", args=[conversation.pk])
    page = client.get(response.url).content.decode()
    assert "Training budget" in page

    client.post(reverse("conversation_hold", args=[conversation.pk]),
                {"notes": "Fine", "report": "Agreed on a course.",
                 "improvement_points": "Answer requests within a week."})
    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.HELD
    assert conversation.improvement_points == "Answer requests within a week."
    assert "Answer requests within a week." in client.get(response.url).content.decode()
    client.post(reverse("conversation_confirm", args=[conversation.pk]),
                {"revision": conversation.report_revision})
    conversation.refresh_from_db()
    assert conversation.evaluator_confirmed_at is not None


def test_cancelling_a_conversation_says_who_hears_it_and_waits_for_yes(client, p):
    conversation = schedule(p)
    client.force_login(p.employee.user)
    cancel = reverse("conversation_cancel", args=[conversation.pk])

    asked = client.post(cancel).content.decode()

    assert f"Opvolgingsgesprek: {p.employee.full_name} op 02-03-2099 10:00 wordt " \
        "geannuleerd" in asked  # the organisation's zone: Brussels
    assert f"{p.manager.full_name} en {p.employee.full_name} krijgen de annulering" in asked
    assert '<input type="hidden" name="confirmed" value="yes">' in asked
    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.SCHEDULED  # nothing changed yet
    client.post(cancel, {"confirmed": "yes"})
    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.CANCELLED


def test_the_conversation_leads_back_to_the_employee_s_conversations(client, p):
    conversation = schedule(p)
    for person in (p.employee, p.manager):
        client.force_login(person.user)
        page = client.get(reverse("conversation_detail", args=[conversation.pk])).content.decode()
        back = reverse("person_conversations", args=[p.employee.pk])
        assert f'href="{back}">Gesprekken van {p.employee.full_name}</a>' in page
        assert client.get(back).status_code == 200


def test_hr_and_colleagues_get_not_found(client, p):
    conversation = schedule(p)
    for person in (p.hr, p.colleague):
        client.force_login(person.user)
        assert client.get(reverse("conversation_detail", args=[conversation.pk])).status_code == 404
        page = client.get(reverse("person_conversations", args=[p.employee.pk]))
        assert page.status_code == 404 or "Room 2.14" not in page.content.decode()


def test_the_list_takes_the_same_number_of_queries_for_3_and_30(client, p):
    client.force_login(p.manager.user)
    url = reverse("person_conversations", args=[p.employee.pk])
    counts = []
    for total in (3, 30):
        while Conversation.objects.count() < total:
            schedule(p, Conversation.objects.count())
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_feed_lists_my_conversations_and_a_new_link_revokes_the_old(client, p):
    conversation = schedule(p)
    client.force_login(p.employee.user)
    client.post(reverse("calendar_make"))
    token = p.employee.user.calendar_feed.token
    client.logout()

    feed = client.get(reverse("calendar_feed", args=[token]))
    (event,) = Calendar.from_ical(feed.content).walk("VEVENT")
    assert str(event["UID"]) == conversation.ical_uid

    client.force_login(p.employee.user)
    client.post(reverse("calendar_renew"))
    client.logout()
    assert client.get(reverse("calendar_feed", args=[token])).status_code == 404
    p.employee.user.calendar_feed.refresh_from_db()
    assert client.get(reverse("calendar_feed", args=[p.employee.user.calendar_feed.token])
                      ).status_code == 200


# Opening the calendar page reads the link; only its button makes one (a GET changes
# nothing: RFC 9110, 9.2.1 "Safe Methods").
CALENDAR_PAGE_QUERIES = 6  # session, user, person, feed, menu; the same with or without a link


def test_opening_the_calendar_page_makes_no_link_and_offers_the_button(
        client, p, django_assert_max_num_queries):
    client.force_login(p.employee.user)

    with django_assert_max_num_queries(CALENDAR_PAGE_QUERIES):
        page = client.get(reverse("calendar_settings"))

    assert page.status_code == 200
    assert CalendarFeed.objects.count() == 0
    html = page.content.decode()
    assert f'action="{reverse("calendar_make")}"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'id="feed-url"' not in html
    assert f'action="{reverse("calendar_renew")}"' not in html


def test_the_button_makes_my_calendar_link_once_and_the_page_shows_it(
        client, p, django_assert_max_num_queries):
    client.force_login(p.employee.user)

    made = client.post(reverse("calendar_make"))
    again = client.post(reverse("calendar_make"))

    assert made.status_code == again.status_code == 302
    assert made["Location"] == again["Location"] == reverse("calendar_settings")
    feed = CalendarFeed.objects.get()
    assert feed.user == p.employee.user
    with django_assert_max_num_queries(CALENDAR_PAGE_QUERIES):
        page = client.get(reverse("calendar_settings"))
    html = page.content.decode()
    url = f"http://testserver{reverse('calendar_feed', args=[feed.token])}"
    assert f'value="{url}"' in html
    assert f'action="{reverse("calendar_renew")}"' in html
    assert f'action="{reverse("calendar_make")}"' not in html
    assert CalendarFeed.objects.get().token == feed.token  # the second press kept it


def test_the_calendar_link_is_not_made_by_a_get_of_the_make_address(client, p):
    client.force_login(p.employee.user)

    assert client.get(reverse("calendar_make")).status_code == 405
    assert CalendarFeed.objects.count() == 0


def test_either_side_moves_a_scheduled_conversation_on_its_page(client, p):
    from django.core import mail

    from koers.notify import outbox

    conversation = schedule(p)
    client.force_login(p.employee.user)
    url = reverse("conversation_reschedule", args=[conversation.pk])
    assert url in client.get(reverse("conversation_detail", args=[conversation.pk])
                             ).content.decode()
    form = client.get(url).context["form"]
    assert form.initial["location"] == "Room 2.14"
    outbox.deliver_outbox()
    mail.outbox.clear()

    response = client.post(url, {"day": "2099-03-09", "start": "14:00", "end": "15:00",
                                 "location": "Room 3.01", "online_link": ""})

    assert response.url == reverse("conversation_detail", args=[conversation.pk])
    conversation.refresh_from_db()
    assert (conversation.ical_sequence, conversation.location) == (1, "Room 3.01")
    assert conversation.starts_at.date() == dt.date(2099, 3, 9)
    outbox.deliver_outbox()
    update, copy = mail.outbox
    assert (update.to, copy.to) == ([p.employee.email], [p.manager.email])
    (event,) = Calendar.from_ical(update.alternatives[0].content).walk("VEVENT")
    assert (str(event["UID"]), int(event["SEQUENCE"])) == (conversation.ical_uid, 1)


def test_a_move_that_ends_before_it_starts_is_refused_on_the_form(client, p):
    conversation = schedule(p)
    client.force_login(p.manager.user)
    response = client.post(reverse("conversation_reschedule", args=[conversation.pk]),
                           {"day": "2099-03-09", "start": "14:00", "end": "13:00",
                            "location": "Room 3.01"})

    assert response.status_code == 200
    assert response.context["form"].errors
    conversation.refresh_from_db()
    assert conversation.ical_sequence == 0


def test_a_held_conversation_can_no_longer_be_moved(client, p):
    conversation = services.conversation_hold(actor=viewer(p.manager), conversation=schedule(p))
    client.force_login(p.manager.user)
    response = client.get(reverse("conversation_reschedule", args=[conversation.pk]))
    assert response.status_code == 302
    client.force_login(p.colleague.user)
    assert client.get(reverse("conversation_reschedule",
                              args=[conversation.pk])).status_code == 404


def test_a_report_that_met_a_newer_save_keeps_the_text_and_shows_both(client, p):
    """Two evaluators' tabs rewrite the report from one revision: the second keeps its
    text in the form beside the saved one; a confirmation of the old text is refused."""
    conversation = schedule(p)
    client.force_login(p.manager.user)
    client.post(reverse("conversation_hold", args=[conversation.pk]),
                {"notes": "", "report": "First text.", "improvement_points": ""})
    conversation.refresh_from_db()
    opened = conversation.report_revision
    services.conversation_report_write(
        actor=viewer(p.manager), conversation=conversation, report="From the other tab.",
        expected_revision=opened)

    response = client.post(reverse("conversation_report", args=[conversation.pk]),
                           {"report": "From this tab.", "revision": opened})
    confirm = client.post(reverse("conversation_confirm", args=[conversation.pk]),
                          {"revision": opened}, follow=True)

    assert response.status_code == 200
    assert [(d.theirs, d.yours) for d in response.context["conflict"]] == [
        ("From the other tab.", "From this tab.")]
    assert response.context["report_form"]["report"].value() == "From this tab."
    assert "Het verslag is veranderd sinds je het opende" in confirm.content.decode()
    conversation.refresh_from_db()
    assert (conversation.report, conversation.evaluator_confirmed_at) == (
        "From the other tab.", None)


def test_the_feed_speaks_its_subscribers_saved_language_not_the_fetchers(client, p):
    """A calendar app fetches the feed with its own Accept-Language (or none): the event
    titles are in the language the subscriber saved in Koers."""
    conversation = schedule(p)
    for person, language in ((p.employee, "fr"), (p.manager, "de")):
        person.user.language = language
        person.user.save(update_fields=["language"])
    for person, language in ((p.employee, "fr"), (p.manager, "de")):
        client.force_login(person.user)
        client.post(reverse("calendar_make"))
        client.logout()
        token = CalendarFeed.objects.get(user=person.user).token
        for fetcher in ("en-GB,en;q=0.9", "nl-BE", ""):
            feed = client.get(reverse("calendar_feed", args=[token]),
                              HTTP_ACCEPT_LANGUAGE=fetcher)
            (event,) = Calendar.from_ical(feed.content).walk("VEVENT")
            with translation.override(language):
                assert str(event["SUMMARY"]) == ical.title(conversation)
    with translation.override("en"):
        assert str(event["SUMMARY"]) != ical.title(conversation)
