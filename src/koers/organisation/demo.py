"""Demo data: three organisations, one per policy preset, and logins to try them with.

The federal administration carries the worked example of the POP guide: Marc Vandamme,
administrative assistant (level C) in the HR staff service, his manager Ratana Than,
her director An Desmet (Marc's 2nd evaluator) and Mr Gordon, the colleague who
later coaches him. Around the named people the generator adds colleagues.

``build_demo`` is idempotent: an organisation that already exists (by slug or
name) is left as it is, and a login that already exists is not touched, so running
it twice changes nothing. Browser tests rely on the e-mail addresses in
``DEMO_LOGINS``; change them only together with those tests.
"""

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from koers.core import clock
from koers.core.languages import Language
from koers.core.models import User
from koers.organisation import generator, services
from koers.organisation.models import (
    Absence,
    AbsenceKind,
    EffectiveWork,
    EmploymentStatus,
    Organisation,
    Person,
    PolicyPreset,
    Role,
    RoleGrant,
    Unit,
    WorkSource,
)
from koers.organisation.rules import estimated_hours_worked

DEMO_PASSWORD = "demo"  # noqa: S105 - printed on screen; demo data only
DEMO_EMAIL_DOMAIN = "demo.koers"
ADMIN_EMAIL = f"admin@{DEMO_EMAIL_DOMAIN}"
# Grants and overrides of the demo started before any cycle a demo user will look at.
GRANTS_FROM = dt.date(2020, 1, 1)


@dataclass(frozen=True)
class DemoLogin:
    email: str
    organisation: str  # name; empty for the superuser
    role: str  # what to try with this login, in English


@dataclass(frozen=True)
class _Cast:
    """A named demo person: hired through the services, or given to a generated person.

    An empty job title, grade or rank keeps what the generator drew (a generated
    manager keeps the manager's job of their level).
    """

    first_name: str
    last_name: str
    start_date: dt.date
    job_title: str = ""
    grade: str = ""
    rank: str = ""
    status: EmploymentStatus = EmploymentStatus.STATUTORY
    language: Language = Language.DUTCH
    fraction: Decimal = Decimal("1.000")
    probation_end_date: dt.date | None = None
    login_role: str = ""

    @property
    def email(self) -> str:
        first, last = generator.email_part(self.first_name), generator.email_part(self.last_name)
        return f"{first}.{last}@{DEMO_EMAIL_DOMAIN}"


@dataclass(frozen=True)
class _DemoOrganisation:
    name: str
    preset: PolicyPreset
    people: int  # generated colleagues, besides the hired cast
    seed: int
    cast: tuple[_Cast, ...]


# Federal administration (the POP guide) ----------------------------------------------

AN = _Cast("An", "Desmet", dt.date(1996, 9, 2), "Directeur Ondersteunende Diensten", "A", "A4",
           login_role="director above the HR staff service; Marc's 2nd evaluator")
KRIS = _Cast("Kris", "Verhaegen", dt.date(2003, 2, 3), "Directiesecretaris", "B", "B2")
RATANA = _Cast("Ratana", "Than", dt.date(2006, 4, 3), "Diensthoofd Stafdienst P&O", "A", "A2",
               login_role="manager of the HR staff service; Marc's 1st evaluator")
MARC = _Cast("Marc", "Vandamme", dt.date(2011, 10, 3), "Administratief assistent", "C", "C1",
             login_role="employee: administrative assistant (level C), HR staff service")
PETER = _Cast("Peter", "Gordon", dt.date(1999, 5, 3), "HR-deskundige", "B", "B3",
              language=Language.ENGLISH,
              login_role="colleague in the HR staff service who coaches Marc (English)")
# Federal staff work in Dutch, French or German: two colleagues read Koers in theirs.
CLAIRE = _Cast("Claire", "Dubois", dt.date(2015, 9, 1), "Deskundige opleidingen", "B", "B1",
               language=Language.FRENCH,
               login_role="colleague in the HR staff service who reads Koers in French")
LUKAS = _Cast("Lukas", "Schmitz", dt.date(2019, 2, 4), "Deskundige personeelsplanning", "B",
              "B1", language=Language.GERMAN,
              login_role="colleague in the HR staff service who reads Koers in German")
ELS = _Cast("Els", "Deckers", dt.date(2017, 1, 9), "HR-adviseur", "A", "A1",
            status=EmploymentStatus.CONTRACTUAL, login_role="HR of the whole organisation")
# The new colleague Marc mentors in the POP guide: still on probation, evaluation-based salary.
JONAS = _Cast("Jonas", "Wuyts", dt.date(2026, 3, 2), "Administratief medewerker", "C", "C1",
              probation_end_date=dt.date(2027, 3, 1))
SOFIE = _Cast("Sofie", "Maes", dt.date(2014, 2, 3), "Deskundige personeelsadministratie", "B",
              "B1", fraction=Decimal("0.800"))

FEDERAL = _DemoOrganisation(
    name="FOD Beleid en Ondersteuning (demo)", preset=PolicyPreset.FEDERAL, people=120,
    seed=2002, cast=(MARC, RATANA, AN, PETER, CLAIRE, LUKAS, ELS, KRIS, JONAS, SOFIE),
)

# Flemish agency -----------------------------------------------------------------

HILDE = _Cast("Hilde", "Claes", dt.date(2008, 9, 1), "HR-business partner", "A", "A2",
              login_role="HR of the whole organisation")
TOM = _Cast("Tom", "Peeters", dt.date(2005, 3, 1),
            login_role="head of a department: 1st and 2nd evaluator")

FLEMISH = _DemoOrganisation(
    name="Agentschap Groen en Landschap (demo)", preset=PolicyPreset.FLEMISH, people=100,
    seed=2000, cast=(HILDE, TOM),
)

# Dutch municipality -------------------------------------------------------------

FATIMA = _Cast("Fatima", "el Amrani", dt.date(2016, 5, 1), "Adviseur P&O", "schaal 10",
               status=EmploymentStatus.CONTRACTUAL,
               login_role="P&O adviser (HR) of the municipality")
SANNE = _Cast("Sanne", "de Vries", dt.date(2009, 1, 5), status=EmploymentStatus.CONTRACTUAL,
              login_role="manager; 2nd evaluator of a team without a manager")
JEROEN = _Cast("Jeroen", "Bakker", dt.date(2012, 6, 1), "Coördinerend medewerker", "schaal 9",
               status=EmploymentStatus.CONTRACTUAL,
               login_role="team member acting as 1st evaluator of a team without a manager")

DUTCH = _DemoOrganisation(
    name="Gemeente Lindendaal (demo)", preset=PolicyPreset.DUTCH_MUNICIPAL, people=90,
    seed=2004, cast=(FATIMA, SANNE, JEROEN),
)

DEMO_ORGANISATIONS = (FEDERAL, FLEMISH, DUTCH)

DEMO_LOGINS: list[DemoLogin] = [
    *(
        DemoLogin(cast.email, org.name, cast.login_role)
        for org in DEMO_ORGANISATIONS
        for cast in org.cast
        if cast.login_role
    ),
    DemoLogin(ADMIN_EMAIL, "", "superuser (Django admin)"),
]


@dataclass(frozen=True)
class DemoResult:
    created: list[str]  # organisations built now
    existing: list[str]  # organisations left as they were
    logins_created: int


def build_demo() -> DemoResult:
    """Build whatever part of the demo is missing."""
    builders: dict[str, Callable[[Organisation], None]] = {
        FEDERAL.name: _build_federal, FLEMISH.name: _build_flemish, DUTCH.name: _build_dutch,
    }
    created, existing = [], []
    with transaction.atomic():
        for demo in DEMO_ORGANISATIONS:
            slug = generator.organisation_slug(demo.name)
            if Organisation.objects.filter(Q(slug=slug) | Q(name=demo.name)).exists():
                existing.append(demo.name)
                continue
            organisation = generator.generate_organisation(
                name=demo.name, people=demo.people, preset=demo.preset, seed=demo.seed
            ).organisation
            builders[demo.name](organisation)
            created.append(demo.name)
        logins_created = _ensure_logins()
    return DemoResult(created=created, existing=existing, logins_created=logins_created)


def _build_federal(organisation: Organisation) -> None:
    """Graft the directorate with the HR staff service of the POP guide below the top unit."""
    top = _top_unit(organisation)
    directorate = services.unit_create(
        organisation=organisation, code="DOD", name="Directie Ondersteunende Diensten", parent=top
    )
    staff_service = services.unit_create(
        organisation=organisation, code="DOD.PO", name="Stafdienst P&O", parent=directorate
    )
    an = _hire(organisation, directorate, AN, 900001)
    _hire(organisation, directorate, KRIS, 900002)
    services.unit_update(unit=directorate, code=directorate.code, name=directorate.name,
                         parent=top, manager=an)
    people = {
        cast: _hire(organisation, staff_service, cast, number)
        for number, cast in enumerate((RATANA, MARC, PETER, ELS, JONAS, SOFIE), start=900003)
    }
    services.unit_update(unit=staff_service, code=staff_service.code, name=staff_service.name,
                         parent=directorate, manager=people[RATANA])
    _grant_hr(people[ELS], top)
    for number, cast in enumerate((CLAIRE, LUKAS), start=900009):
        _hire(organisation, staff_service, cast, number)
    year = clock.today().year
    _record_work(organisation, seed=FEDERAL.seed, absences=[
        (people[MARC], AbsenceKind.SICKNESS, dt.date(year - 1, 2, 10), dt.date(year - 1, 2, 12)),
        (people[MARC], AbsenceKind.ANNUAL_LEAVE, dt.date(year - 1, 7, 14),
         dt.date(year - 1, 8, 1)),
        (people[MARC], AbsenceKind.ANNUAL_LEAVE, dt.date(year - 1, 12, 22),
         dt.date(year - 1, 12, 31)),
        (people[MARC], AbsenceKind.SICKNESS, dt.date(year, 3, 3), dt.date(year, 3, 4)),
        (people[MARC], AbsenceKind.ANNUAL_LEAVE, dt.date(year, 7, 20), dt.date(year, 8, 7)),
        (people[PETER], AbsenceKind.ANNUAL_LEAVE, dt.date(year - 1, 8, 4),
         dt.date(year - 1, 8, 22)),
        (people[SOFIE], AbsenceKind.PARENTAL_LEAVE, dt.date(year - 1, 3, 1),
         dt.date(year - 1, 5, 31)),
    ])


def _build_flemish(organisation: Organisation) -> None:
    top = _top_unit(organisation)
    hilde = _adopt(organisation, _first_member(top), HILDE)
    _grant_hr(hilde, top)
    # A department with teams below it: its head evaluates both as 1st and as 2nd.
    department = (
        Unit.objects.filter(organisation=organisation, depth=1, manager__isnull=False,
                            children__isnull=False)
        .distinct().order_by("code").first()
    )
    # The generator's first branch goes all the way down, so such a department exists.
    assert department is not None
    assert department.manager is not None
    _adopt(organisation, department.manager, TOM)
    # Someone on career break for most of last year stays under the 479 hours, so
    # the evaluation is not mandatory for them (the Flemish rule).
    on_break = _first_member(department)
    year = clock.today().year
    _record_work(organisation, seed=FLEMISH.seed, absences=[
        (on_break, AbsenceKind.CAREER_BREAK, dt.date(year - 1, 2, 1), dt.date(year - 1, 11, 30)),
    ])


def _build_dutch(organisation: Organisation) -> None:
    top = _top_unit(organisation)
    fatima = _adopt(organisation, _first_member(top), FATIMA)
    _grant_hr(fatima, top)
    # The generator leaves some teams without a manager; in one of them a team
    # member acts as 1st evaluator, and the manager above becomes the 2nd.
    team = (
        Unit.objects.filter(organisation=organisation, manager__isnull=True)
        .exclude(parent=None).select_related("parent__manager").order_by("code").first()
    )
    assert team is not None  # the generator leaves at least one team without a manager
    assert team.parent is not None
    assert team.parent.manager is not None  # units with sub-units always have a manager
    _adopt(organisation, team.parent.manager, SANNE)
    members = list(Person.objects.filter(unit=team).order_by("employee_number"))
    jeroen = _adopt(organisation, members[0], JEROEN)
    year = clock.today().year
    for member in members[1:]:
        services.evaluator_override_create(
            person=member, first_evaluator=jeroen, second_evaluator=None,
            valid_from=dt.date(year, 1, 1), valid_until=None,
            reason="Team zonder leidinggevende: Jeroen Bakker voert de jaargesprekken.",
        )
    _record_work(organisation, seed=DUTCH.seed, absences=[
        (jeroen, AbsenceKind.ANNUAL_LEAVE, dt.date(year - 1, 7, 28), dt.date(year - 1, 8, 15)),
    ])


def _top_unit(organisation: Organisation) -> Unit:
    return Unit.objects.get(organisation=organisation, parent=None)


def _first_member(unit: Unit) -> Person:
    """The first member of ``unit`` who is not its manager."""
    person = (
        Person.objects.filter(unit=unit).exclude(managed_units=unit)
        .order_by("employee_number").first()
    )
    assert person is not None  # generated units have at least five members
    return person


def _hire(organisation: Organisation, unit: Unit, cast: _Cast, number: int) -> Person:
    return services.person_save(
        organisation=organisation, employee_number=str(number), first_name=cast.first_name,
        last_name=cast.last_name, email=cast.email, language=cast.language, unit=unit,
        job_title=cast.job_title, grade=cast.grade, rank=cast.rank, start_date=cast.start_date,
        end_date=None, working_time_fraction=cast.fraction, employment_status=cast.status,
        probation_end_date=cast.probation_end_date,
    )


def _adopt(organisation: Organisation, person: Person, cast: _Cast) -> Person:
    """Give a generated person the name and facts of a demo login."""
    for field in ("job_title", "grade", "rank"):
        value = getattr(cast, field)
        if value:
            setattr(person, field, value)
    return services.person_save(
        organisation=organisation, person=person, first_name=cast.first_name,
        last_name=cast.last_name, email=cast.email, language=cast.language,
        start_date=cast.start_date, end_date=None, working_time_fraction=cast.fraction,
        employment_status=cast.status, probation_end_date=cast.probation_end_date,
    )


def _grant_hr(person: Person, unit: Unit) -> None:
    grant = RoleGrant(organisation=person.organisation, person=person, role=Role.HR, unit=unit,
                      valid_from=GRANTS_FROM)
    grant.full_clean()
    grant.save()


def _record_work(
    organisation: Organisation,
    *,
    seed: int,
    absences: list[tuple[Person, AbsenceKind, dt.date, dt.date]],
) -> None:
    """Absences for this year and last, and last year's hours as a time registration would.

    This year stays without a recorded figure, so a profile shows last year's
    imported hours next to this year's estimate.
    """
    rng = random.Random(seed)
    year = clock.today().year
    last_year_start, last_year_end = dt.date(year - 1, 1, 1), dt.date(year - 1, 12, 31)
    people = list(Person.objects.filter(organisation=organisation).order_by("employee_number"))
    named = {person.pk for person, *_dates in absences}
    rows = [
        Absence(person=person, kind=kind, start_date=start, end_date=end)
        for person, kind, start, end in absences
    ]
    for person in people:
        if person.pk in named:
            continue
        if rng.random() < 0.4:
            start = dt.date(year - 1, 7, 1) + dt.timedelta(days=rng.randint(0, 45))
            rows.append(Absence(person=person, kind=AbsenceKind.ANNUAL_LEAVE, start_date=start,
                                end_date=start + dt.timedelta(days=rng.choice((11, 18)))))
        if rng.random() < 0.15:
            start = dt.date(year, 1, 5) + dt.timedelta(days=rng.randint(0, 270))
            rows.append(Absence(person=person, kind=AbsenceKind.SICKNESS, start_date=start,
                                end_date=start + dt.timedelta(days=rng.randint(1, 9))))
    # Only absences within the employment make sense on a profile.
    rows = [
        row for row in rows
        if row.start_date >= row.person.start_date
        and (row.person.end_date is None or row.end_date <= row.person.end_date)
    ]
    Absence.objects.bulk_create(rows)
    last_year_absences: dict[int, list[tuple[dt.date, dt.date]]] = {}
    for row in rows:
        if row.start_date <= last_year_end and row.end_date >= last_year_start:
            last_year_absences.setdefault(row.person.pk, []).append((row.start_date, row.end_date))
    work = []
    for person in people:
        if person.start_date > last_year_end or (
            person.end_date is not None and person.end_date < last_year_start
        ):
            continue
        estimate = estimated_hours_worked(
            year=year - 1, start_date=person.start_date, end_date=person.end_date,
            working_time_fraction=person.working_time_fraction,
            absences=last_year_absences.get(person.pk, []),
            preset=organisation.policy_preset,
        )
        # A real registration knows the odd unrecorded hour.
        hours = max(estimate - Decimal(rng.randint(0, 1500)) / 100, Decimal(0))
        work.append(EffectiveWork(person=person, year=year - 1,
                                  hours_worked=hours.quantize(Decimal("0.01")),
                                  source=WorkSource.IMPORTED, note="Tijdsregistratie"))
    # The organisation was created in this transaction: there is no earlier figure or
    # HR correction for effective_work_record to weigh, so one insert does it.
    EffectiveWork.objects.bulk_create(work)


def _ensure_logins() -> int:
    """Create the demo logins that do not exist yet; an existing one is left alone."""
    created = 0
    for login in DEMO_LOGINS:
        if User.objects.filter(email=login.email).exists():
            continue
        created += 1
        if login.email == ADMIN_EMAIL:
            User.objects.create_superuser(email=login.email, password=DEMO_PASSWORD)
            continue
        person = Person.objects.filter(
            organisation__name=login.organisation, email=login.email
        ).first()
        user = User.objects.create_user(
            email=login.email, password=DEMO_PASSWORD,
            first_name=person.first_name if person else "",
            last_name=person.last_name if person else "",
            language=person.language if person else Language.DUTCH,
        )
        if person is not None and person.user_id is None:
            person.user = user
            person.save(update_fields=["user"])
    return created
