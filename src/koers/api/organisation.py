"""The API of people and units: my own record and team, a person's record,
evaluator overrides, effective work and history; the unit tree.
"""

from collections.abc import Sequence
from typing import Any, cast

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Status, UploadedFile

from koers.access import policy
from koers.access import selectors as access_selectors
from koers.api import lookups
from koers.api.common_schemas import PersonRef, Problem, UnitRef
from koers.api.filters import Fields, UpdatedSinceIn, narrowed
from koers.api.lookups import viewer_of
from koers.api.organisation_schemas import (
    ChildUnit,
    EffectiveWorkIn,
    EffectiveWorkOut,
    EvaluatorOverrideIn,
    HistoryEvent,
    HistoryEventPageOut,
    LookIn,
    LookOut,
    OrganisationOut,
    OrganisationPageOut,
    OtherEvaluationIn,
    PersonIn,
    PersonOut,
    PersonPageOut,
    PersonPatch,
    PersonRefPageOut,
    RankCheckOut,
    RankCheckPageOut,
    UnitIn,
    UnitOut,
)
from koers.api.pagination import PageIn, page_of, paged
from koers.audit import selectors as audit_selectors
from koers.core import clock
from koers.core.errors import ValidationFailed
from koers.core.models import User
from koers.cycles import other_evaluation
from koers.organisation import evaluators, look, selectors, services
from koers.organisation.models import EvaluatorOverride, Organisation, Person, Unit, WorkSource

router = Router()


def _person_out(person: Person) -> PersonOut:
    return PersonOut.of(person, evaluators.evaluator_line(person, on=clock.today()))


@router.get("/me", response=PersonOut, tags=["people"], summary="My own record")
def me(request: HttpRequest) -> PersonOut:
    person = viewer_of(request).person
    if person is None:
        raise Http404
    return _person_out(person)


@router.get("/me/team", response=PersonPageOut, tags=["people"],
            summary="The people I evaluate as 1st evaluator, a page at a time")
def my_team(request: HttpRequest, paging: Query[PageIn]) -> dict[str, Any]:
    viewer = viewer_of(request)
    if viewer.person is None:
        return paged(request, [], paging, list)

    def build(team: Sequence[Person]) -> list[PersonOut]:
        lines = evaluators.evaluator_lines(team, on=viewer.on)
        return [PersonOut.of(member, lines[member.pk]) for member in team]

    return paged(request, evaluators.team(viewer.person, on=viewer.on, team_ids=viewer.team_ids)
                 .select_related("organisation"), paging, build)


# Where a person's record keeps the moment it changed, for ``updated_since``.
PEOPLE = Fields(Person, updated="updated_at")


@router.get("/people", response={200: PersonPageOut, 422: Problem}, tags=["people"],
            summary="The people I may see, by name, a page at a time; found by employee "
                    "number, e-mail address, unit (with its subtree) or a record changed "
                    "since a moment")
def people(request: HttpRequest, paging: Query[PageIn], since: Query[UpdatedSinceIn],
           employee_number: str = "", email: str = "",
           unit_id: int | None = None) -> PersonPageOut:
    """``employee_number`` matches exactly, ``email`` without regard to case; a unit I may
    not see is the same 404 as a missing one; ``updated_since`` keeps the records changed
    at or after it (``api.filters``), for a sync that reads what changed since its last
    run."""
    viewer = viewer_of(request)
    unit = lookups.unit(request, unit_id) if unit_id is not None else None
    found = access_selectors.people_found(
        viewer, employee_number=employee_number.strip(), email=email.strip(), unit=unit)
    # A query set in, a query set out: narrowed in the database.
    rows, page = page_of(request, cast("QuerySet[Person]", narrowed(
        request, found, PEOPLE, since=since)), paging)
    lines = evaluators.evaluator_lines(rows, on=viewer.on)
    return PersonPageOut(items=[PersonOut.of(person, lines[person.pk]) for person in rows],
                         **page)


@router.get("/people/{person_id}", response=PersonOut, tags=["people"])
def person_detail(request: HttpRequest, person_id: int) -> PersonOut:
    return _person_out(lookups.person(request, person_id))


@router.patch("/people/{person_id}", response={200: PersonOut, 422: Problem}, tags=["people"],
              summary="Change employment facts (HR)")
def person_update(request: HttpRequest, person_id: int, patch: PersonPatch) -> PersonOut:
    person = lookups.person(request, person_id)
    viewer = viewer_of(request)
    if not policy.can_change_person(viewer, person):
        raise Http404
    given = patch.model_dump(exclude_unset=True)
    fields: dict[str, Any] = {name: getattr(person, name) for name in services.PERSON_FIELDS}
    if "unit_id" in given:
        unit = Unit.objects.filter(pk=given.pop("unit_id")).first()
        if unit is None or not policy.can_manage_unit(viewer, unit):
            raise ValidationFailed(
                _("You may only place people in units you manage as HR."),
                {"unit_id": [_("Unknown unit.")]},
            )
        fields["unit"] = unit
    follow_rule = "salary_system" in given and given["salary_system"] is None
    salary_system = given.pop("salary_system", None)
    fields.update(given)
    saved = services.person_save(
        organisation=person.organisation, person=person, salary_system=salary_system,
        follow_salary_rule=follow_rule, actor=cast(User, request.user), **fields,
    )
    return _person_out(saved)


@router.post("/people/{person_id}/evaluator-overrides", response={201: PersonOut, 422: Problem},
             tags=["people"], summary="Set a 1st and/or 2nd evaluator by hand for a period (HR)")
def override_create(
    request: HttpRequest, person_id: int, data: EvaluatorOverrideIn
) -> Status[PersonOut]:
    person = lookups.person(request, person_id)
    if not policy.can_change_person(viewer_of(request), person):
        raise Http404
    colleagues = Person.objects.filter(organisation=person.organisation)
    first = colleagues.filter(pk=data.first_evaluator_id).first() \
        if data.first_evaluator_id else None
    second = colleagues.filter(pk=data.second_evaluator_id).first() \
        if data.second_evaluator_id else None
    services.evaluator_override_create(
        person=person, first_evaluator=first, second_evaluator=second,
        valid_from=data.valid_from, valid_until=data.valid_until, reason=data.reason,
        actor=cast(User, request.user),
    )
    return Status(201, _person_out(person))


@router.post("/people/{person_id}/evaluator-overrides/{override_id}/end",
             response={200: PersonOut, 422: Problem}, tags=["people"],
             summary="End an evaluator override today (HR); the evaluator line follows")
def override_end(request: HttpRequest, person_id: int, override_id: int) -> PersonOut:
    person = lookups.person(request, person_id)
    if not policy.can_change_person(viewer_of(request), person):
        raise Http404
    override = EvaluatorOverride.objects.filter(pk=override_id, person=person).first()
    if override is None:
        raise Http404
    services.evaluator_override_end(override=override, on=clock.today(),
                                    actor=cast(User, request.user))
    return _person_out(person)


@router.put("/people/{person_id}/other-evaluation",
            response={200: PersonOut, 404: Problem, 422: Problem}, tags=["people"],
            summary="Record that the person is a top manager or mandate holder, evaluated in "
                    "another form than the annual evaluation (HR, Flemish policy); empty "
                    "clears it")
def person_other_evaluation(
    request: HttpRequest, person_id: int, data: OtherEvaluationIn
) -> PersonOut:
    person = other_evaluation.person_other_evaluation_record(
        person=lookups.person(request, person_id), function=data.function,
        reason=data.reason, valid_from=data.valid_from, viewer=viewer_of(request))
    return _person_out(person)


@router.get("/people/{person_id}/effective-work/{year}",
            response={200: EffectiveWorkOut, 422: Problem},
            tags=["people"], summary="Hours effectively worked in a year (from 2000 to this year)")
def effective_work(request: HttpRequest, person_id: int, year: int) -> EffectiveWorkOut:
    person = lookups.person(request, person_id)
    hours, source = services.effective_hours(person, year)
    return EffectiveWorkOut(year=year, hours_worked=hours, source=source)


@router.put("/people/{person_id}/effective-work/{year}",
            response={200: EffectiveWorkOut, 422: Problem}, tags=["people"],
            summary="Correct the hours effectively worked in a year (HR)")
def effective_work_correct(
    request: HttpRequest, person_id: int, year: int, data: EffectiveWorkIn
) -> EffectiveWorkOut:
    person = lookups.person(request, person_id)
    if not policy.can_change_person(viewer_of(request), person):
        raise Http404
    work = services.effective_work_record(
        person=person, year=year, hours_worked=data.hours_worked, source=WorkSource.CORRECTED,
        note=data.note, updated_by=cast(User, request.user),
    )
    return EffectiveWorkOut(year=work.year, hours_worked=work.hours_worked, source=work.source)


def _unit_out(unit: Unit) -> UnitOut:
    today = clock.today()
    parent = unit.parent
    return UnitOut(
        id=unit.pk, organisation=unit.organisation.name, code=unit.code, name=unit.name,
        parent=UnitRef.of(parent) if parent else None, manager=PersonRef.of(unit.manager),
        head_count=selectors.head_count(unit, on=today),
        children=[
            ChildUnit(unit=UnitRef.of(c.unit), manager=PersonRef.of(c.unit.manager),
                      head_count=c.head_count)
            for c in selectors.children_with_head_counts(unit, on=today)
        ],
    )


@router.get("/organisations", response=OrganisationPageOut, tags=["structure"],
            summary="The organisations whose unit tree I browse, with their top units (HR), "
                    "a page at a time")
def organisation_list(request: HttpRequest, paging: Query[PageIn]) -> dict[str, Any]:
    """HR: the tops of its subtrees, by organisation; empty for someone without an HR
    grant (a superuser without one: every organisation with its top unit)."""
    return paged(request, OrganisationOut.of_roots(policy.unit_tree_roots(viewer_of(request))),
                 paging, list)


@router.get("/units/{unit_id}", response=UnitOut, tags=["structure"],
            summary="A unit with its child units and head counts (HR)")
def unit_detail(request: HttpRequest, unit_id: int) -> UnitOut:
    return _unit_out(lookups.unit(request, unit_id))


@router.get("/units/{unit_id}/people", response=PersonRefPageOut, tags=["structure"],
            summary="People working directly in a unit (HR), a page at a time")
def unit_people(request: HttpRequest, unit_id: int, paging: Query[PageIn]) -> dict[str, Any]:
    unit = lookups.unit(request, unit_id)
    return paged(request, selectors.unit_members(unit, on=clock.today()), paging,
                 lambda page: [PersonRef(id=p.pk, name=p.full_name) for p in page])


@router.get("/units/{unit_id}/rank-check", response=RankCheckPageOut, tags=["structure"],
            summary="The people in a unit and below whose 2nd evaluator does not hold a "
                    "higher rank than theirs (HR, where the policy compares ranks: "
                    "Flanders), a page at a time")
def unit_rank_check(request: HttpRequest, unit_id: int, paging: Query[PageIn]
                    ) -> dict[str, Any]:
    unit = lookups.unit(request, unit_id)
    lines = access_selectors.second_evaluators_to_check(viewer_of(request), unit,
                                                        on=clock.today())
    return paged(request, lines, paging, lambda page: [RankCheckOut.of(line) for line in page])


@router.post("/units", response={201: UnitOut, 422: Problem}, tags=["structure"],
             summary="Add a unit below another (HR)")
def unit_create(request: HttpRequest, data: UnitIn) -> Status[UnitOut]:
    parent = lookups.unit(request, data.parent_id)
    if not policy.can_manage_unit(viewer_of(request), parent):
        raise Http404
    # A manager the caller cannot see is the same 404 as one that does not exist.
    manager = lookups.person(request, data.manager_id) if data.manager_id else None
    unit = services.unit_create(organisation=parent.organisation, code=data.code,
                                name=data.name, parent=parent, manager=manager,
                                actor=cast(User, request.user))
    return Status(201, _unit_out(unit))


@router.post("/units/{unit_id}/people", response={201: PersonOut, 422: Problem},
             tags=["people"], summary="Add a person to a unit (HR)")
def person_create(request: HttpRequest, unit_id: int, data: PersonIn) -> Status[PersonOut]:
    """The fields not given take their defaults, as on the page's form."""
    unit = lookups.unit(request, unit_id)
    if not policy.can_manage_unit(viewer_of(request), unit):
        raise Http404
    fields: dict[str, Any] = data.model_dump(exclude_unset=True)
    salary_system = fields.pop("salary_system", None)
    person = services.person_save(
        organisation=unit.organisation, salary_system=salary_system,
        follow_salary_rule=not salary_system, actor=cast(User, request.user), unit=unit,
        **fields,
    )
    return Status(201, _person_out(person))


@router.delete("/units/{unit_id}", response={204: None, 422: Problem}, tags=["structure"],
               summary="Remove an empty unit (HR); the top unit stays")
def unit_delete(request: HttpRequest, unit_id: int) -> Status[None]:
    unit = lookups.unit(request, unit_id)
    if not policy.can_manage_unit(viewer_of(request), unit) or unit.parent is None:
        raise Http404
    services.unit_delete(unit=unit, actor=cast(User, request.user))
    return Status(204, None)


@router.put("/units/{unit_id}", response={200: UnitOut, 422: Problem}, tags=["structure"],
            summary="Rename a unit, change its manager or move it with its subtree (HR)")
def unit_update(request: HttpRequest, unit_id: int, data: UnitIn) -> UnitOut:
    viewer = viewer_of(request)
    unit = lookups.unit(request, unit_id)
    parent = lookups.unit(request, data.parent_id)
    if not policy.can_manage_unit(viewer, unit) or not policy.can_manage_unit(viewer, parent):
        raise Http404
    # A manager the caller cannot see is the same 404 as one that does not exist.
    manager = lookups.person(request, data.manager_id) if data.manager_id else None
    services.unit_update(unit=unit, code=data.code, name=data.name, parent=parent,
                         manager=manager, actor=cast(User, request.user))
    return _unit_out(unit)


@router.get("/people/{person_id}/history", response=HistoryEventPageOut, tags=["people"],
            summary="Who changed the person's record, when, and what changed (HR), a page "
                    "at a time")
def person_history(request: HttpRequest, person_id: int,
                   paging: Query[PageIn]) -> dict[str, Any]:
    person = lookups.person(request, person_id)
    if not policy.can_change_person(viewer_of(request), person):
        raise Http404
    return paged(request, audit_selectors.history(person), paging,
                 lambda page: [HistoryEvent.of(event) for event in page])



# The organisation's look ---------------------------------------------------------------
# HR of the whole organisation and superusers, as on its page (web/organisation/look.py);
# others get the 404 of a missing organisation.


def _look_organisation(request: HttpRequest, organisation_id: int) -> Organisation:
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None or not policy.can_manage_organisation(viewer_of(request),
                                                                  organisation):
        raise Http404
    return organisation


def _look_out(request: HttpRequest, organisation: Organisation) -> LookOut:
    return LookOut.of(
        organisation,
        theme_url=request.build_absolute_uri(reverse("organisation_theme",
                                                     args=[organisation.pk])),
        logo_url=request.build_absolute_uri(reverse("organisation_logo",
                                                    args=[organisation.pk])))


def _look_save(request: HttpRequest, organisation_id: int, change: look.LookChange) -> LookOut:
    organisation = look.organisation_look_save(
        organisation=_look_organisation(request, organisation_id),
        actor=viewer_of(request).user, change=change)
    return _look_out(request, organisation)


@router.get("/organisations/{organisation_id}/look", response=LookOut, tags=["structure"],
            summary="The organisation's primary colour and logo (HR)")
def organisation_look(request: HttpRequest, organisation_id: int) -> LookOut:
    return _look_out(request, _look_organisation(request, organisation_id))


@router.put("/organisations/{organisation_id}/look", response={200: LookOut, 422: Problem},
            tags=["structure"],
            summary="Set the organisation's primary colour (HR); \"\" for Koers's own")
def organisation_look_save(request: HttpRequest, organisation_id: int,
                           data: LookIn) -> LookOut:
    """The colour needs a contrast of at least 4.5:1 with white (WCAG 2.2, success
    criterion 1.4.3): white text is set on it and it colours links on the white page. A
    lighter colour is refused with 422 and nothing changes."""
    return _look_save(request, organisation_id,
                      look.LookChange(primary_colour=data.primary_colour))


@router.post("/organisations/{organisation_id}/look/logo",
             response={200: LookOut, 422: Problem}, tags=["structure"],
             summary="Upload the organisation's logo (HR, multipart/form-data): a PNG, JPEG "
                     "or WebP image of at most 256 KB; it replaces the one there was")
def organisation_logo_save(request: HttpRequest, organisation_id: int,
                           file: File[UploadedFile]) -> LookOut:
    return _look_save(request, organisation_id,
                      look.LookChange(logo=look.logo_content(file)))


@router.delete("/organisations/{organisation_id}/look/logo", response=LookOut,
               tags=["structure"], summary="Remove the organisation's logo (HR)")
def organisation_logo_remove(request: HttpRequest, organisation_id: int) -> LookOut:
    return _look_save(request, organisation_id, look.LookChange(remove_logo=True))
