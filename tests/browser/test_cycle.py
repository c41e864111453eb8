"""HR opens the cycle of the demo organisation in a real browser and watches the progress
bar while a real task worker (django_tasks_db's, in a thread) fills the cycle.

The worker runs against the live server's database. On PostgreSQL it opens its own
connection. SQLite's in-memory test database lives in one connection, which the live
server thread already shares; the worker shares it too. One connection cannot serve two
threads at once (a poll read while the worker writes fails with "table is locked"), so on
SQLite the worker and the live server take turns: each request and the worker's whole run
hold one lock, and a poll that arrives while the worker runs waits for it.
"""

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django_tasks_db.management.commands.db_worker import Worker
from playwright.sync_api import expect

from koers.cycles import selectors
from koers.cycles.models import Cycle, CycleState, Participation
from koers.organisation.models import Organisation
from koers.rulebook.deadlines import period_for
from koers.rulebook.policy import policy_for
from tests.browser.site import Site, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HR = "els.deckers@demo.koers"  # HR of the federal demo administration
CYCLES = re.compile(r"^(Cycli|Cycles)$")
OPEN = re.compile(r"^(Cyclus openen|Open the cycle)$")
CONFIRM = re.compile(r"^(Ja, de cyclus openen voor|Yes, open the cycle for) \d+ (personen|people)$")
PROGRESS = re.compile(r"^(Verwerkte personen|People processed)$")
WAITING = re.compile(r"(taakverwerker|task worker)")


@contextmanager
def task_worker(live_server: Any) -> Iterator[None]:
    """django_tasks_db's worker in a thread until the queue is empty, then joined."""
    main = connections[DEFAULT_DB_ALIAS]
    shared = main.vendor == "sqlite" and main.is_in_memory_db()
    failures: list[BaseException] = []
    turn = threading.Lock()
    httpd = live_server.thread.httpd
    served = httpd.get_app()

    def in_turn(environ: dict[str, Any], start_response: Any) -> Any:
        with turn:
            return served(environ, start_response)

    def work() -> None:
        if shared:
            connections[DEFAULT_DB_ALIAS] = main
            turn.acquire()
        try:
            Worker(queue_names=["default"], interval=0.1, batch=True, backend_name="default",
                   startup_delay=False, max_tasks=None, worker_id="browser-test",
                   excluded_queue_names=[]).run()
        except BaseException as error:
            failures.append(error)
        finally:
            if shared:
                turn.release()
            else:
                connections.close_all()  # or the test database cannot be dropped

    if shared:
        main.inc_thread_sharing()
        httpd.set_app(in_turn)
    thread = threading.Thread(target=work, name="task-worker", daemon=True)
    thread.start()
    try:
        yield
    finally:
        thread.join(timeout=60)
        if shared:
            main.dec_thread_sharing()
            httpd.set_app(served)
    assert not thread.is_alive(), "the task worker did not finish"
    assert failures == []


def in_scope(organisation: Organisation, year: int) -> int:
    """People whose own 12-month federal period of ``year`` meets their employment."""
    policy = policy_for(organisation)
    count = 0
    for person in organisation.people.all():
        period = period_for(policy, year=year, cycle_start=person.start_date)
        if person.start_date <= period.end and (
            person.end_date is None or person.end_date >= period.start
        ):
            count += 1
    return count


def test_hr_opens_the_cycle_and_watches_the_progress_bar_finish(
    site: Site, live_server: Any, demo: None, settings: Any
) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    organisation = Organisation.objects.get(people__user__email=HR)
    year = selectors.current_year(organisation)
    page = site.page
    site.login(HR)

    page.get_by_role("navigation").get_by_role("link", name=CYCLES).click()
    expect(page.get_by_role("spinbutton")).to_have_value(str(year))
    assert_accessible(page)
    page.get_by_role("button", name=OPEN).click()
    confirm = page.get_by_role("button", name=CONFIRM)
    # Asked once the answer is there: on SQLite the test and the live server share one
    # connection, which must not be used by both at once.
    expect(confirm).to_be_visible()
    # Nothing is opened before HR confirms for how many people.
    assert not Cycle.objects.filter(organisation=organisation, year=year).exists()
    assert_accessible(page)
    confirm.click()

    # No worker yet: the cycle waits at 0 %, and the page says so.
    bar = page.get_by_role("progressbar", name=PROGRESS)
    expect(bar).to_have_attribute("value", "0")
    expect(page.locator("#cycle-progress-text")).to_contain_text(WAITING)
    assert_accessible(page)
    cycle = Cycle.objects.get(organisation=organisation, year=year)
    assert cycle.state == CycleState.OPENING

    with task_worker(live_server):
        # htmx polls the partial every second until the opening is done.
        expect(bar).to_have_attribute("value", "100", timeout=30_000)

    cycle.refresh_from_db()
    counts = selectors.cycle_counts(cycle)
    assert cycle.state == CycleState.OPEN
    assert counts.participations == in_scope(organisation, year) > 100
    persons = list(Participation.objects.filter(cycle=cycle).values_list("person_id", flat=True))
    assert len(persons) == len(set(persons))
    for name, value in (("participations", counts.participations),
                        ("mandatory", counts.mandatory), ("exempt", counts.exempt),
                        ("on_probation", counts.on_probation)):
        expect(page.locator(f'[data-count="{name}"]')).to_have_text(str(value))
    expect(page.locator("#cycle-progress-text")).to_contain_text(
        f"{cycle.people_total} ")
    # The people without a mandatory evaluation or on probation are listed by name.
    first = selectors.participations_to_check(cycle).first()
    if first is not None:
        expect(page.get_by_role("link", name=first.person.full_name)).to_be_visible()
    assert_accessible(page)
    assert site.errors == []
