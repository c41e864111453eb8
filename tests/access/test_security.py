"""The security log: refused reads, writes, signatures and log-ins, each counted once
per minute, read by the organisation's security officer (docs/access.md)."""

import datetime as dt

import pytest
from django.db import transaction
from django.urls import reverse

from koers.access import security
from koers.access.models import Refusal, RefusalKind
from koers.access.policy import Viewer
from koers.core import clock
from koers.core.tables import XLSX_TYPE
from koers.evaluations import services
from koers.evaluations.models import Evaluation, Signature
from koers.evaluations.services import current_report
from koers.evaluations.states import EvaluationState, WrongState
from koers.organisation.models import Role, RoleGrant
from tests import factories, personas
from tests.factories import evaluations as ev
from tests.factories import renderings

pytestmark = pytest.mark.django_db

S = EvaluationState
DAYS = ev.days()
IP = "198.51.100.7"


@pytest.fixture
def p() -> personas.Personas:
    return personas.build()


@pytest.fixture
def cast(p: personas.Personas) -> ev.Cast:
    return ev.cast(p)


@pytest.fixture
def officer(p: personas.Personas):
    person = factories.person(p.top, with_user=True, first_name="Sofie")
    factories.grant(person, Role.SECURITY_OFFICER)
    return person


def url(name: str, evaluation: Evaluation) -> str:
    return reverse(name, args=[evaluation.pk])


def report_post(evaluation: Evaluation) -> dict[str, str]:
    report = current_report(evaluation)
    return {"revision": str(report.revision), "overall": "Toch anders.", "verdict": "voldoende",
            "advanced_evaluation_on": "",
            **{f"item_{item.position}": "Anders." for item in report.items.all()}}


# What is recorded -----------------------------------------------------------------------


def test_hr_of_another_subtree_opening_an_evaluation_gets_404_and_one_row(client, p, cast):
    evaluation = ev.annual(cast)
    client.force_login(p.team_hr.user)

    with ev.on(DAYS["open"]):
        response = client.get(url("evaluation_detail", evaluation), REMOTE_ADDR=IP)

    assert response.status_code == 404
    refusal = Refusal.objects.get()
    assert (refusal.user, refusal.person, refusal.organisation_id) == (
        p.team_hr.user, p.team_hr, p.team_hr.organisation_id)
    assert (refusal.kind, refusal.action) == (RefusalKind.READ, "read")
    assert (refusal.target_type, refusal.target_id) == ("evaluations.evaluation", evaluation.pk)
    assert (refusal.ip, refusal.count) == (IP, 1)


def test_a_missing_id_answers_404_and_records_nothing(client, p, cast):
    evaluation = ev.annual(cast)
    client.force_login(p.team_hr.user)

    response = client.get(reverse("evaluation_detail", args=[evaluation.pk + 1000]))

    assert response.status_code == 404
    assert Refusal.objects.count() == 0


def test_a_visible_record_records_nothing(client, cast):
    evaluation = ev.annual(cast)
    client.force_login(cast.first.user)

    with ev.on(DAYS["open"]):
        assert client.get(url("evaluation_detail", evaluation)).status_code == 200

    assert Refusal.objects.count() == 0


def test_the_api_records_a_refused_person_read_with_the_callers_ip(client, p):
    client.force_login(p.colleague.user)

    response = client.get(f"/api/v1/people/{p.employee.pk}", REMOTE_ADDR=IP)

    assert response.status_code == 404
    refusal = Refusal.objects.get()
    assert (refusal.user, refusal.target_type, refusal.target_id, refusal.ip) == (
        p.colleague.user, "organisation.person", p.employee.pk, IP)


def test_a_replayed_post_editing_a_signed_report_is_refused_and_recorded(client, cast):
    evaluation = ev.reach(cast, S.FIRST_SIGNED)
    before = current_report(evaluation).overall
    client.force_login(cast.first.user)

    with ev.on(DAYS["second"]):
        response = client.post(url("evaluation_report", evaluation), report_post(evaluation),
                               REMOTE_ADDR=IP)

    assert response.status_code == 302
    assert current_report(evaluation).overall == before
    refusal = Refusal.objects.get()
    assert (refusal.kind, refusal.action, refusal.user, refusal.target_id, refusal.ip) == (
        RefusalKind.CLOSED_WRITE, "report_save", cast.first.user, evaluation.pk, IP)


def test_the_api_records_an_edit_of_a_signed_report(client, cast):
    evaluation = ev.reach(cast, S.DELIVERED)
    report = current_report(evaluation)
    client.force_login(cast.first.user)

    with ev.on(DAYS["employee"]):
        response = client.put(
            f"/api/v1/evaluations/{evaluation.pk}/report", content_type="application/json",
            data={"overall": "Toch anders.", "items": {}, "verdict": "voldoende",
                  "expected_revision": report.revision})

    assert response.status_code in (409, 422)
    assert list(Refusal.objects.values_list("kind", "action")) == [
        (RefusalKind.CLOSED_WRITE, "report_save")]


def test_a_refused_signature_is_recorded(client, cast):
    evaluation = ev.reach(cast, S.COMPLETED)
    client.force_login(cast.employee.user)

    with ev.on(DAYS["closed"]):
        client.post(url("evaluation_sign", evaluation), {"version": "1", "revision": "1"})

    assert Signature.objects.filter(report__evaluation=evaluation).count() == 3
    assert list(Refusal.objects.values_list("kind", "action", "user")) == [
        (RefusalKind.SIGN, "sign", cast.employee.user_id)]


def test_the_service_records_a_refused_signature(cast):
    evaluation = ev.reach(cast, S.CANCELLED)

    with pytest.raises(WrongState), ev.on(DAYS["first"]):
        services.evaluation_sign(actor=ev.viewer(cast.first), evaluation=evaluation)

    assert list(Refusal.objects.values_list("kind", "target_id")) == [
        (RefusalKind.SIGN, evaluation.pk)]


def test_a_login_lockout_writes_one_row(client, p):
    for _attempt in range(7):  # the limit: 5 failures per address in 5 minutes
        client.post(reverse("account_login"), {"login": p.employee.user.email,
                                               "password": "wrong"}, REMOTE_ADDR=IP)

    refusal = Refusal.objects.get()
    assert (refusal.kind, refusal.user, refusal.ip, refusal.organisation_id) == (
        RefusalKind.LOCKOUT, p.employee.user, IP, p.employee.organisation_id)
    assert refusal.count == 2  # the 6th and the 7th attempt, counted in one row


# Bounded ------------------------------------------------------------------------------------


def test_a_storm_of_refusals_writes_one_row_per_minute_with_the_full_count(p, cast):
    evaluation = ev.annual(cast)
    prober = Viewer.of(p.colleague.user, ip=IP)
    start = dt.datetime(2026, 1, 5, 9, 0, 30, tzinfo=dt.UTC)

    for n in range(1000):  # 1,000 refusals over about three minutes
        with clock.frozen(start + dt.timedelta(milliseconds=180 * n)):
            security.refusal_record(viewer=prober, kind=RefusalKind.READ, target=evaluation)

    rows = Refusal.objects.order_by("minute")
    assert rows.count() == 4  # 9:00 (half), 9:01, 9:02, 9:03
    assert sum(row.count for row in rows) == 1000


def test_probing_many_ids_in_a_minute_keeps_one_row_with_the_first_and_last(p):
    prober = Viewer.of(p.colleague.user, ip=IP)
    people = [p.unrelated_employee, p.unrelated_manager, p.team_hr]

    with clock.frozen(dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)):
        for person in people:
            security.refusal_record(viewer=prober, kind=RefusalKind.READ, target=person)

    row = Refusal.objects.get()
    assert (row.target_id, row.last_target_id, row.count) == (
        people[0].pk, people[-1].pk, 3)


@pytest.mark.django_db(transaction=True)
def test_the_refusal_outlives_the_refused_transaction(cast):
    evaluation = ev.reach(cast, S.FIRST_SIGNED)
    report = current_report(evaluation)

    with pytest.raises(WrongState), ev.on(DAYS["second"]):
        services.report_save(actor=ev.viewer(cast.first), evaluation=evaluation,
                             overall="Anders.", items={}, verdict="voldoende",
                             advanced_evaluation_on=None, expected_revision=report.revision)

    assert transaction.get_autocommit()  # nothing is left open to commit it later
    assert Refusal.objects.filter(kind=RefusalKind.CLOSED_WRITE).count() == 1
    assert current_report(evaluation).overall == report.overall


# Behind a reverse proxy ------------------------------------------------------------------

PROXY = "10.0.0.2"
CLIENT = "203.0.113.9"
OTHER_CLIENT = "192.0.2.44"


@pytest.mark.parametrize(("proxies", "forwarded", "expected"), [
    (0, CLIENT, PROXY),  # not trusted: whatever the header says
    (1, "", PROXY),  # no header: the peer
    (1, CLIENT, CLIENT),
    (1, f"{OTHER_CLIENT}, {CLIENT}", CLIENT),  # what the client wrote itself is ignored
    (2, f"{OTHER_CLIENT}, {CLIENT}, 10.0.0.1", CLIENT),
    (2, CLIENT, PROXY),  # did not come through both proxies
    (1, "not-an-address", PROXY),
    (1, f"{CLIENT}:51234", CLIENT),
    (1, "[2001:db8::7]:443", "2001:db8::7"),
])
def test_the_client_is_the_address_the_trusted_proxies_forwarded(settings, proxies,
                                                                  forwarded, expected):
    settings.KOERS_TRUSTED_PROXY_COUNT = proxies
    meta = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": forwarded}

    assert security.client_ip(meta) == expected


def _through_proxy(client_address: str) -> dict[str, str]:
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": client_address}


def test_behind_a_trusted_proxy_both_faces_log_the_forwarded_client(client, p, cast,
                                                                    settings):
    settings.KOERS_TRUSTED_PROXY_COUNT = 1
    evaluation = ev.annual(cast)
    client.force_login(p.team_hr.user)

    with ev.on(DAYS["open"]):
        client.get(url("evaluation_detail", evaluation), **_through_proxy(CLIENT))
    client.get(f"/api/v1/people/{p.employee.pk}", **_through_proxy(OTHER_CLIENT))

    assert sorted(Refusal.objects.values_list("target_type", "ip")) == [
        ("evaluations.evaluation", CLIENT), ("organisation.person", OTHER_CLIENT)]


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(client, p):
    client.force_login(p.colleague.user)

    client.get(f"/api/v1/people/{p.employee.pk}", **_through_proxy(CLIENT))

    assert Refusal.objects.get().ip == PROXY


def _fail_ten_logins(client, forwarded: list[str]) -> None:
    """Spend the per-IP limit (10 failures a minute) through the proxy, each attempt
    forwarded for the next of ``forwarded`` and with another e-mail address, so the
    per-address limit (5 in 5 minutes) plays no part."""
    for n, address in enumerate(forwarded):
        client.post(reverse("account_login"), {"login": f"guess{n}@example.org",
                                               "password": "wrong"}, **_through_proxy(address))


def _log_in(client, p, headers: dict[str, str]):
    return client.post(reverse("account_login"), {"login": p.employee.user.email,
                                                  "password": "demo"}, **headers)


def test_behind_a_trusted_proxy_the_rate_limit_locks_out_the_client_not_everyone(
        client, p, settings):
    settings.KOERS_TRUSTED_PROXY_COUNT = 1
    _fail_ten_logins(client, [CLIENT] * 10)

    refused = _log_in(client, p, _through_proxy(CLIENT))
    other = _log_in(client, p, _through_proxy(OTHER_CLIENT))

    assert refused.status_code == 200  # the form again, with the lockout message
    assert other.status_code == 302
    assert other.url == reverse("home")
    lockout = Refusal.objects.get()
    assert (lockout.kind, lockout.user, lockout.ip) == (RefusalKind.LOCKOUT, p.employee.user,
                                                        CLIENT)


def test_without_a_trusted_proxy_a_made_up_forwarded_header_escapes_no_limit(client, p):
    _fail_ten_logins(client, [f"198.51.100.{n}" for n in range(10)])  # ten made-up clients

    refused = _log_in(client, p, _through_proxy(OTHER_CLIENT))

    assert refused.status_code == 200
    assert "_auth_user_id" not in client.session
    assert Refusal.objects.get().ip == PROXY


# Reading the log ----------------------------------------------------------------------------


def _refusals(p: personas.Personas) -> None:
    colleague = Viewer.of(p.colleague.user, ip=IP)
    hr = Viewer.of(p.team_hr.user, ip="203.0.113.9")
    with clock.frozen(dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)):
        for _n in range(5):
            security.refusal_record(viewer=colleague, kind=RefusalKind.READ, target=p.employee)
    with clock.frozen(dt.datetime(2026, 1, 5, 9, 30, tzinfo=dt.UTC)):
        security.refusal_record(viewer=hr, kind=RefusalKind.SIGN, target=p.employee,
                                action="sign")
    with clock.frozen(dt.datetime(2026, 1, 2, 9, 0, tzinfo=dt.UTC)):
        security.refusal_record(viewer=colleague, kind=RefusalKind.READ, target=p.manager)
    outsider = Viewer.of(p.outsider.user)
    security.refusal_record(viewer=outsider, kind=RefusalKind.READ, target=p.employee)


def test_the_officer_reads_the_log_with_filters_and_the_rates(client, p, officer):
    _refusals(p)
    client.force_login(officer.user)

    with clock.frozen(dt.datetime(2026, 1, 5, 9, 45, tzinfo=dt.UTC)):
        page = client.get(reverse("security_log")).content.decode()
        reads = client.get(reverse("security_log"), {"kind": "read", "since": "2026-01-05"})
    shown = reads.context["page"].object_list

    assert p.colleague.user.email in page
    assert p.team_hr.user.email in page
    assert p.outsider.user.email not in page  # another organisation's
    assert [(r.user, r.count) for r in shown] == [(p.colleague.user, 5)]
    rates = reads.context["rates"]
    assert [(r.user, r.last_hour, r.last_day) for r in rates] == [
        (p.colleague.user.email, 5, 5)]


def test_the_rates_put_the_most_refused_first(p, officer):
    _refusals(p)

    with clock.frozen(dt.datetime(2026, 1, 5, 9, 45, tzinfo=dt.UTC)):
        rates = security.refusal_rates(Viewer.of(officer.user), security.RefusalFilter())

    assert [(r.user, r.last_hour, r.last_day) for r in rates] == [
        (p.colleague.user.email, 5, 5), (p.team_hr.user.email, 1, 1)]


def test_the_export_lists_the_filtered_rows_made_by_a_task_worker(client, p, officer):
    _refusals(p)
    client.force_login(officer.user)
    page = client.get(reverse("security_log"), {"user": p.team_hr.user.email}).content.decode()
    # The buttons carry the filters shown; a GET writes nothing.
    assert f'<input type="hidden" name="user" value="{p.team_hr.user.email}">' in page
    assert client.get(reverse("security_log_export", args=["csv"])).status_code == 405

    response = renderings.download(client, reverse("security_log_export", args=["csv"]),
                                   {"user": p.team_hr.user.email})
    body = response.content.decode("utf-8-sig")

    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].endswith('.csv"')
    assert p.team_hr.user.email in body
    assert p.colleague.user.email not in body
    xlsx = renderings.download(client, reverse("security_log_export", args=["xlsx"]))
    assert xlsx["Content-Type"] == XLSX_TYPE
    assert xlsx.content.startswith(b"PK")


def test_the_export_is_made_as_the_officer_may_read_the_log_when_it_is_made(client, p,
                                                                            officer):
    _refusals(p)
    client.force_login(officer.user)
    rendering = renderings.rendering_of(
        client.post(reverse("security_log_export", args=["csv"])))
    RoleGrant.objects.filter(person=officer, role=Role.SECURITY_OFFICER).delete()

    renderings.work_off()

    # No longer an officer: the page and the download are gone, as for anyone else.
    assert client.get(reverse("rendering_detail", args=[rendering.pk])).status_code == 404
    assert client.get(reverse("rendering_download", args=[rendering.pk])).status_code == 404


def test_the_api_gives_the_same_log_with_the_same_filters(client, p, officer):
    _refusals(p)
    client.force_login(officer.user)

    with clock.frozen(dt.datetime(2026, 1, 5, 9, 45, tzinfo=dt.UTC)):
        data = client.get("/api/v1/security/refusals",
                          {"kind": "read", "until": "2026-01-02"}).json()

    assert [(r["user"], r["target_type"], r["target_id"], r["count"])
            for r in data["refusals"]] == [
        (p.colleague.user.email, "organisation.person", p.manager.pk, 1)]


@pytest.mark.parametrize("who", ["hr", "employee", "team_hr"])
def test_only_a_security_officer_reads_the_log(client, p, who):
    client.force_login(getattr(p, who).user)

    assert client.get(reverse("security_log")).status_code == 404
    assert client.post(reverse("security_log_export", args=["csv"])).status_code == 404
    assert client.get("/api/v1/security/refusals").status_code == 404


def test_a_superuser_reads_every_organisations_log(client, p):
    _refusals(p)
    client.force_login(factories.superuser(email="root@example.test", password="x"))

    data = client.get("/api/v1/security/refusals").json()

    assert {r["user"] for r in data["refusals"]} == {
        p.colleague.user.email, p.team_hr.user.email, p.outsider.user.email}


def test_the_start_page_leads_the_security_officer_to_the_log(client, p, officer):
    client.force_login(officer.user)
    officer_home = client.get("/").content.decode()
    client.force_login(p.hr.user)
    hr_home = client.get("/").content.decode()

    assert reverse("security_log") in officer_home
    assert reverse("security_log") not in hr_home


def test_the_api_asks_for_the_same_table_and_downloads_it(client, p, officer):
    _refusals(p)
    client.force_login(officer.user)

    asked = client.post("/api/v1/renderings", {
        "kind": "access.security_log", "subject_id": 0,
        "parameters": {"format": "csv", "user": p.team_hr.user.email}},
        content_type="application/json")
    assert asked.status_code == 202, asked.content
    assert asked.json()["content_type"].startswith("text/csv")
    renderings.work_off()
    ready = client.get(asked["Location"]).json()
    download = client.get(ready["pdf_url"])

    assert download["Content-Type"].startswith("text/csv")
    body = download.content.decode("utf-8-sig")
    assert p.team_hr.user.email in body
    assert p.colleague.user.email not in body


@pytest.mark.parametrize(("who", "parameters", "status"), [
    ("officer", {"format": "pdf"}, 422),
    ("hr", {"format": "csv"}, 404),
    ("employee", {"format": "csv"}, 404),
])
def test_the_api_refuses_a_table_nobody_may_have(client, p, officer, who, parameters, status):
    client.force_login((officer if who == "officer" else getattr(p, who)).user)

    response = client.post("/api/v1/renderings", {
        "kind": "access.security_log", "subject_id": 0, "parameters": parameters},
        content_type="application/json")

    assert response.status_code == status
