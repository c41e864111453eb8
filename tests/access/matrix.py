"""The authorization matrix: every URL of the project against every role relation.

``check`` calls each URL pattern (web pages from the URL resolver, API operations from
the OpenAPI schema) as each relation to the employee, with the ids of the employee's
objects, and returns the problems found: a denied relation that is not refused, a
marker of the employee's private data in a response it should not see, a pattern
nobody wrote expectations for, or a URL parameter no builder fills.

The table below is the policy written out once more, by hand, on purpose: a view that
forgets its check disagrees with it.
"""

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from koers.access import services as access_services
from koers.access.models import Scope
from koers.api.api import api
from koers.conversations import services as conversation_services
from koers.conversations.states import ConversationKind
from koers.core import clock
from koers.core.models import User
from koers.goals import services as goal_services
from koers.goals.models import Visibility
from koers.notify.models import Notification
from koers.organisation import importing
from koers.organisation import services as organisation_services
from koers.organisation.models import ImportKind, Person
from tests import personas
from tests.factories import goals as goal_factories
from tests.factories import participations

# Counted by ``check`` and printed at the end of the run (tests/access/conftest.py).
CHECKED_PAIRS = 0


class Rel(StrEnum):
    EMPLOYEE = "employee"
    COLLEAGUE = "colleague in the same team"
    FIRST = "1st evaluator"
    SECOND = "2nd evaluator"
    UNRELATED_MANAGER = "unrelated manager"
    HR = "HR of the whole organisation"
    OTHER_HR = "HR of another subtree"
    OUTSIDER = "user of another organisation"
    ANONYMOUS = "anonymous"


# Private data of the employee and who may ever see it, whatever the page.
GOAL_MARKER = "GEHEIM-doel-4711"
NOTE_MARKER = "GEHEIM-notitie-4711"
NUMBER_MARKER = "GEHEIMNR4711"
READ_MARKER = "GEHEIM-reden-4711"  # why HR asked: HR, the approver and the employee
CONTENT_READERS = frozenset({Rel.EMPLOYEE, Rel.FIRST, Rel.SECOND})
PERSON_READERS = frozenset({Rel.EMPLOYEE, Rel.FIRST, Rel.SECOND, Rel.HR})
MARKERS = {GOAL_MARKER: CONTENT_READERS, NOTE_MARKER: CONTENT_READERS,
           NUMBER_MARKER: PERSON_READERS,
           READ_MARKER: frozenset({Rel.EMPLOYEE, Rel.SECOND, Rel.HR})}

OWN = None  # a page about the caller (no object in its URL): no refusal expected
HR = frozenset({Rel.HR})
EDITORS = frozenset({Rel.EMPLOYEE, Rel.FIRST})
ORG = frozenset(Rel) - {Rel.OUTSIDER, Rel.ANONYMOUS}
ME = frozenset({Rel.EMPLOYEE})
ANY = frozenset(Rel) - {Rel.ANONYMOUS}

# Who may reach the employee's object through each view; ``OWN`` pages take no object.
# Web views by URL name, API operations as "api:<METHOD> <path>".
EXPECTED: dict[str, frozenset[Rel] | None] = {
    "home": OWN, "language": OWN, "unit_tree": OWN, "import_start": OWN,
    "import_template": OWN, "notifications": OWN, "notifications_read_all": OWN,
    "cycle_list": OWN, "policy_start": OWN, "my_goals": OWN, "team_goals": OWN,
    "team_goal_new": OWN,
    "person_detail": PERSON_READERS, "person_edit": HR, "override_create": HR,
    "override_end": HR, "effective_work_edit": HR,
    "unit_detail": HR, "unit_edit": HR, "unit_delete": HR, "unit_create": HR,
    "person_create": HR, "import_batch": HR, "import_apply": HR,
    "person_timeline": PERSON_READERS, "participation_period": PERSON_READERS,
    "notification_read": ME,
    # Without a unit the dashboard opens at the top of the caller's own HR subtree.
    "cycle_dashboard": HR | {Rel.OTHER_HR}, "cycle_dashboard_unit": HR,
    "cycle_dashboard_export": HR,
    "cycle_detail": HR, "cycle_resume": HR,
    "policy_detail": ORG, "policy_edit": HR, "policy_reset": HR,
    "goal_detail": CONTENT_READERS, "goal_edit": EDITORS,
    "goal_confirm": CONTENT_READERS, "goal_status": CONTENT_READERS,
    "goal_comment": CONTENT_READERS,
    "person_goals": PERSON_READERS, "goal_new": EDITORS,
    "my_conversations": OWN, "calendar_settings": OWN, "calendar_renew": OWN,
    "conversation_detail": CONTENT_READERS, "conversation_cancel": CONTENT_READERS,
    "conversation_hold": CONTENT_READERS, "conversation_report": CONTENT_READERS,
    "conversation_confirm": CONTENT_READERS, "person_conversations": PERSON_READERS,
    "conversation_new": CONTENT_READERS,
    # The secret link is the credential (calendar apps cannot sign in).
    "calendar_feed": frozenset(Rel),
    "access_requests": OWN, "my_reads": OWN, "access_request_new": HR,
    "access_request_decide": frozenset({Rel.SECOND}),
    # API
    "api:GET /api/v1/me": OWN, "api:GET /api/v1/me/team": OWN,
    "api:GET /api/v1/me/goals": OWN, "api:GET /api/v1/cycles": OWN,
    "api:POST /api/v1/cycles": OWN, "api:POST /api/v1/units": OWN,
    "api:POST /api/v1/goals": OWN, "api:POST /api/v1/conversations": OWN,
    "api:GET /api/v1/people/{person_id}/conversations": PERSON_READERS,
    "api:POST /api/v1/conversations/{conversation_id}/reschedule": CONTENT_READERS,
    "api:POST /api/v1/conversations/{conversation_id}/cancel": CONTENT_READERS,
    "api:POST /api/v1/conversations/{conversation_id}/hold": CONTENT_READERS,
    "api:POST /api/v1/conversations/{conversation_id}/confirm": CONTENT_READERS,
    "api:GET /api/v1/access-requests": OWN,
    "api:GET /api/v1/me/access-reads": OWN,
    "api:POST /api/v1/people/{person_id}/access-requests": HR,
    "api:POST /api/v1/access-requests/{request_id}/decision": frozenset({Rel.SECOND}),
    "api:GET /api/v1/people/{person_id}": PERSON_READERS,
    "api:PATCH /api/v1/people/{person_id}": HR,
    "api:POST /api/v1/people/{person_id}/evaluator-overrides": HR,
    "api:GET /api/v1/people/{person_id}/effective-work/{year}": PERSON_READERS,
    "api:PUT /api/v1/people/{person_id}/effective-work/{year}": HR,
    "api:GET /api/v1/people/{person_id}/timeline": PERSON_READERS,
    "api:GET /api/v1/people/{person_id}/history": HR,
    "api:GET /api/v1/people/{person_id}/goals": PERSON_READERS,
    "api:GET /api/v1/units/{unit_id}": HR, "api:PUT /api/v1/units/{unit_id}": HR,
    "api:GET /api/v1/units/{unit_id}/people": HR,
    "api:GET /api/v1/cycles/{cycle_id}/dashboard": HR | {Rel.OTHER_HR},
    "api:GET /api/v1/cycles/{cycle_id}": HR,
    "api:GET /api/v1/organisations/{organisation_id}/policy": ORG,
    "api:PATCH /api/v1/organisations/{organisation_id}/policy": HR,
    "api:PUT /api/v1/organisations/{organisation_id}/policy/{setting}": HR,
    "api:PUT /api/v1/participations/{participation_id}/agreed-period": HR,
    "api:GET /api/v1/goals/{goal_id}": CONTENT_READERS,
    "api:PATCH /api/v1/goals/{goal_id}": CONTENT_READERS,
    "api:POST /api/v1/goals/{goal_id}/confirm": CONTENT_READERS,
    "api:POST /api/v1/goals/{goal_id}/status": CONTENT_READERS,
    "api:POST /api/v1/goals/{goal_id}/comments": CONTENT_READERS,
}

# Not part of the matrix: Django admin, allauth, and the API's self-description.
SKIPPED_PREFIXES = ("admin/", "accounts/", "static/", "media/", "__debug__/")
API_PREFIX = "api/v1/"
API_DOCS = {"api/v1/", "api/v1/openapi.json", "api/v1/docs"}


@dataclass
class World:
    """The employee's objects, one of each kind, and a user for each relation."""

    people: personas.Personas
    second: Person
    ids: dict[str, Any]
    users: dict[Rel, User | None]


def build() -> World:
    """Builds the world through the services. A new kind of object in a URL needs a
    builder here (and an entry in ``KIND_BY_NAME``)."""
    p = personas.build()
    second = p.department.manager
    assert second is not None
    p.employee.employee_number = NUMBER_MARKER
    p.employee.save(update_fields=["employee_number"])
    goal = goal_factories.proposed(p.employee, title=f"{GOAL_MARKER} loonvragen",
                                   visibility=Visibility.PRIVATE)
    goal_services.goal_comment(actor=goal_factories.viewer(p.employee), goal=goal,
                               text=NOTE_MARKER)
    cycle = participations.cycle(p.employee.organisation, 2026)
    participation = participations.participation(cycle, p.employee)
    override = organisation_services.evaluator_override_create(
        person=p.employee, first_evaluator=p.manager, second_evaluator=second,
        valid_from=dt.date(2026, 1, 1), valid_until=None, reason="matrix",
    )
    assert p.employee.user is not None
    notification = Notification.objects.create(
        recipient=p.employee.user, key="matrix:1", kind="matrix", url="/",
        created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )
    batch = importing.import_batch_upload(
        organisation=p.employee.organisation, kind=ImportKind.PEOPLE, file_name="people.csv",
        content=importing.template_csv(ImportKind.PEOPLE).encode(), uploaded_by=p.hr.user)
    ids: dict[str, Any] = {
        "person": p.employee.pk, "unit": p.team.pk, "goal": goal.pk, "cycle": cycle.pk,
        "organisation": p.employee.organisation_id, "participation": participation.pk,
        "override": override.pk,
        "notification": notification.pk, "import_batch": batch.pk, "year": 2026,
        "setting": "minimum_hours", "import_kind": ImportKind.PEOPLE, "file_format": "csv",
    }
    for extra in EXTRA_BUILDERS:
        ids.update(extra(p))
    users: dict[Rel, User | None] = {
        Rel.EMPLOYEE: p.employee.user, Rel.COLLEAGUE: p.colleague.user,
        Rel.FIRST: p.manager.user, Rel.SECOND: second.user,
        Rel.UNRELATED_MANAGER: p.unrelated_manager.user, Rel.HR: p.hr.user,
        Rel.OTHER_HR: p.team_hr.user, Rel.OUTSIDER: p.outsider.user, Rel.ANONYMOUS: None,
    }
    return World(people=p, second=second, ids=ids, users=users)


def _conversation(p: personas.Personas) -> dict[str, Any]:
    assert p.employee.user is not None
    starts = dt.datetime(2099, 3, 2, 10, tzinfo=dt.UTC)
    conversation = conversation_services.conversation_schedule(
        actor=goal_factories.viewer(p.employee), employee=p.employee,
        kind=ConversationKind.PLANNING, starts_at=starts, ends_at=starts + dt.timedelta(hours=1),
        location="Lokaal 1", agenda=[f"{GOAL_MARKER} bespreken"],
    )
    feed = conversation_services.calendar_feed_of(user=p.employee.user)
    return {"conversation": conversation.pk, "calendar_token": feed.token}


# Rooms that add object kinds register a builder: ``(personas) -> {kind: id}``.
def _access_request(p: personas.Personas) -> dict[str, Any]:
    """A pending request of HR about the employee, and a read under a grant that expired."""
    second = p.department.manager
    assert second is not None
    with clock.frozen(clock.now() - dt.timedelta(days=2)):
        hr = goal_factories.viewer(p.hr)
        earlier = access_services.access_request_create(
            actor=hr, subject=p.employee, scope=Scope.GOALS,
            reason=f"{READ_MARKER} onderzoek", valid_from=hr.on, valid_until=hr.on)
        access_services.access_request_decide(actor=goal_factories.viewer(second),
                                              request=earlier, grant=True)
        goal = p.employee.goals.get()
        access_services.access_read_log(viewer=goal_factories.viewer(p.hr),
                                        subject=p.employee, scope=Scope.GOALS, record=goal,
                                        label=goal.title)
    hr = goal_factories.viewer(p.hr)
    pending = access_services.access_request_create(
        actor=hr, subject=p.employee, scope=Scope.ALL, reason=f"{READ_MARKER} dossier",
        valid_from=hr.on, valid_until=hr.on)
    return {"access_request": pending.pk}


EXTRA_BUILDERS: list[Callable[[personas.Personas], dict[str, Any]]] = [
    _conversation, _access_request]

# The kind of object a URL parameter names: by its name, or for ``pk`` by the path
# segment before it.
KIND_BY_NAME = {
    "person_id": "person", "unit_id": "unit", "unit_pk": "unit", "goal_id": "goal",
    "cycle_id": "cycle", "organisation_id": "organisation",
    "participation_id": "participation", "participation_pk": "participation",
    "override_pk": "override", "year": "year", "setting": "setting", "name": "setting",
    "kind": "import_kind", "file_format": "file_format", "token": "calendar_token",
    "conversation_id": "conversation", "request_id": "access_request",
}
KIND_BY_SEGMENT = {
    "people": "person", "units": "unit", "goals": "goal", "cycles": "cycle",
    "organisations": "organisation", "import": "import_batch",
    "notifications": "notification", "conversations": "conversation",
    "requests": "access_request",
}


@dataclass(frozen=True)
class Endpoint:
    key: str  # the EXPECTED key
    method: str  # GET for web pages (POST is tried too)
    route: str  # "people/<int:pk>/" or "/api/v1/people/{person_id}"
    api: bool


def _web_patterns(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _web_patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.name or repr(entry.callback)


def endpoints() -> list[Endpoint]:
    found: list[Endpoint] = []
    api_routes: set[str] = set()
    for route, name in _web_patterns(get_resolver().url_patterns):
        if route.startswith(SKIPPED_PREFIXES) or route in API_DOCS:
            continue
        if route.startswith(API_PREFIX):
            api_routes.add(re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", "/" + route))
            continue
        found.append(Endpoint(key=name, method="GET", route=route, api=False))
    schema = api.get_openapi_schema()
    schema_routes = set()
    for path, operations in schema["paths"].items():
        schema_routes.add(path)
        for method in operations:
            found.append(Endpoint(key=f"api:{method.upper()} {path}", method=method.upper(),
                                  route=path, api=True))
    missing = api_routes - schema_routes
    assert not missing, f"API routes missing from the OpenAPI schema: {sorted(missing)}"
    return found


def _parameters(endpoint: Endpoint) -> list[tuple[str, str]]:
    """``(name, kind)`` for each URL parameter; kind '' when nothing names it."""
    pattern = r"\{(\w+)\}" if endpoint.api else r"<(?:\w+:)?(\w+)>"
    result = []
    for match in re.finditer(pattern, endpoint.route):
        name = match.group(1)
        before = [s for s in endpoint.route[: match.start()].split("/") if s]
        kind = KIND_BY_NAME.get(name) or (
            KIND_BY_SEGMENT.get(before[-1], "") if name == "pk" and before else "")
        result.append((name, kind))
    return result


def url_of(endpoint: Endpoint, ids: dict[str, Any]) -> str | None:
    """The URL with the employee's ids filled in, or None when a builder is missing."""
    url = endpoint.route
    for name, kind in _parameters(endpoint):
        if kind not in ids:
            return None
        value = str(ids[kind])
        placeholder = "{" + name + "}" if endpoint.api else None
        url = url.replace(placeholder, value) if placeholder else \
            re.sub(r"<(?:\w+:)?" + name + ">", value, url)
    return url if endpoint.api else "/" + url


def _refused(response: Any, *, api: bool) -> bool:
    if response.status_code in (401, 403, 404, 405):
        return True
    if api and response.status_code == 422:
        # The API validates a body before the view runs; an empty one never got further.
        return True
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


def check(world: World, selected: list[Endpoint],
          expected: dict[str, frozenset[Rel] | None] | None = None) -> list[str]:
    """Every problem found calling ``selected`` as every relation."""
    global CHECKED_PAIRS
    table = EXPECTED if expected is None else expected
    problems: list[str] = []
    for endpoint in selected:
        if endpoint.key not in table:
            problems.append(f"{endpoint.key}: add it to EXPECTED in tests/access/matrix.py")
            continue
        allowed = table[endpoint.key]
        url = url_of(endpoint, world.ids)
        if url is None:
            kinds = [k or name for name, k in _parameters(endpoint) if k not in world.ids]
            problems.append(f"{endpoint.key}: add a builder for {', '.join(kinds)} "
                            "(tests/access/matrix.py)")
            continue
        for rel, user in world.users.items():
            CHECKED_PAIRS += 1
            client = Client()
            if user is not None:
                client.force_login(user)
            denied = allowed is not None and rel not in allowed
            methods = [endpoint.method]
            if not endpoint.api and denied:
                methods.append("POST")
            for method in methods:
                if endpoint.api and method != "GET":
                    if not denied:
                        continue  # writes by allowed callers are the API tests' business
                    response = client.generic(method, url, data=json.dumps({}),
                                              content_type="application/json")
                elif method == "POST":
                    response = client.post(url, {})
                else:
                    response = client.get(url)
                label = f"{method} {url} ({endpoint.key}) as {rel}"
                body = response.content.decode("utf-8", errors="replace")
                for marker, readers in MARKERS.items():
                    if marker in body and rel not in readers:
                        problems.append(f"{label}: shows {marker!r}")
                if denied and not _refused(response, api=endpoint.api):
                    problems.append(f"{label}: not refused ({response.status_code})")
                if (allowed is not None and not denied and method == "GET"
                        and response.status_code in (403, 404)):
                    problems.append(f"{label}: refused ({response.status_code}) but the "
                                    "table allows it")
    return problems
