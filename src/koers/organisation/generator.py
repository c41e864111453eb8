"""Synthetic organisations for tests, benchmarks and the demo.

``generate_organisation`` builds one organisation with a realistic unit tree and its
people straight into the database with bulk inserts: 100,000 people must load in
under a minute on PostgreSQL, which rules out the one-row services. What the
services would check is guaranteed here by construction instead, and the tests in
``tests/organisation/test_generator.py`` hold it to that.

The shape of what is generated:

- a tree of 4 to 6 levels (the top unit is level 1); every unit with sub-units has
  5 to 12 of them, and every unit has 5 to 12 members;
- every unit has a manager who is one of its members, except about 3% of the teams
  (units without sub-units), which exercise the walk-up rule of ``evaluators``;
- names, job titles and grades follow the policy preset: Flemish and federal levels
  A to D with their ranks, Dutch municipal salary scales (schalen);
- everything is drawn from one ``random.Random(seed)``: the same arguments give the
  same organisation.
"""

import datetime as dt
import heapq
import random
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _

from koers.core.errors import ValidationFailed
from koers.core.languages import Language
from koers.organisation import evaluators
from koers.organisation.models import (
    EmploymentStatus,
    Organisation,
    Person,
    PolicyPreset,
    Unit,
)
from koers.organisation.rules import default_salary_system

MIN_LEVELS, MAX_LEVELS = 4, 6
MIN_SPAN, MAX_SPAN = 5, 12  # sub-units per unit with sub-units, and members per unit
MEAN_SPAN = (MIN_SPAN + MAX_SPAN) / 2
MANAGERLESS_TEAM_SHARE = 0.03
# The smallest organisation that still reaches four levels: a chain of three units
# with sub-units (each with the minimum span) below the top unit, each unit minimally staffed.
MIN_PEOPLE = (1 + MIN_SPAN * (MIN_LEVELS - 1)) * MIN_SPAN
MAX_PEOPLE = 200_000

PERSON_BATCH = 2000
# bulk_update writes one CASE arm per row; PostgreSQL scans the arms row by row, so a
# smaller batch keeps each statement linear enough.
UNIT_UPDATE_BATCH = 500

# Start dates are spread over this range, weighted towards recent hires: public
# sector staff stay long, but turnover still makes the recent years the largest.
FIRST_START_DATE = dt.date(1985, 1, 1)
LAST_START_DATE = dt.date(2026, 9, 30)
MEAN_TENURE_DAYS = 11 * 365
# Leavers: a retirement or the end of a contract somewhere in these two years.
FIRST_END_DATE, LAST_END_DATE = dt.date(2026, 1, 1), dt.date(2027, 12, 31)
END_DATE_SHARE = 0.015
PROBATION = dt.timedelta(days=365)
ENGLISH_SHARE = 0.03

FULL_TIME = Decimal("1.000")
WORKING_TIME = ((FULL_TIME, 80), (Decimal("0.800"), 13), (Decimal("0.500"), 7))
# Tree expansion order: depth plus this much noise, so the upper levels fill first
# but not strictly breadth-first, and branches end at different depths.
EXPANSION_JITTER = 1.5


@dataclass(frozen=True)
class Job:
    title: str
    grades: tuple[str, ...]
    ranks: tuple[str, ...] = ("",)
    weight: int = 1


@dataclass(frozen=True)
class PresetProfile:
    """What differs between the policy presets in generated data."""

    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    statutory_share: float
    # Recent starters on probation: statutory trainees (stage) in Belgium; in Dutch
    # municipalities anyone on a first temporary appointment.
    probation_for_contractual: bool
    # Names of the units right below the top unit (at least MAX_SPAN, so siblings differ).
    top_units: tuple[str, ...]
    # The word in front of deeper unit names, by depth (the top unit has depth 0).
    unit_kinds: dict[int, str]
    regions: tuple[str, ...]
    jobs: tuple[Job, ...]
    # Manager jobs by depth; the last one serves all deeper units.
    manager_jobs: tuple[Job, ...]


FLEMISH_FIRST_NAMES = (
    "Jan", "Peter", "Marc", "Luc", "Dirk", "Geert", "Kristof", "Bart", "Tom", "Pieter",
    "Wouter", "Jeroen", "Stijn", "Thomas", "Lars", "Arne", "Wim", "Koen", "Steven", "Filip",
    "Johan", "Patrick", "Rudi", "Frank", "Guy", "Erik", "Hans", "Joris", "Ruben", "Jonas",
    "Sander", "Brecht", "Jens", "Tim", "Nico", "Yves", "Dries", "Maarten", "Hannes", "Robbe",
    "Mohamed", "Youssef", "Karim", "Mehmet", "Hilde", "Els", "An", "Katrien", "Sofie", "Lien",
    "Nele", "Eva", "Lotte", "Annelies", "Griet", "Veerle", "Ilse", "Inge", "Sarah", "Julie",
    "Laura", "Marieke", "Ellen", "Kathleen", "Nathalie", "Sabine", "Martine", "Christine",
    "Ann", "Karen", "Leen", "Tine", "Evelien", "Charlotte", "Elke", "Hanne", "Febe", "Silke",
    "Margot", "Jolien", "Fatima", "Yasmina", "Nadia", "Ayse",
)
FLEMISH_LAST_NAMES = (
    "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens",
    "Wouters", "De Smet", "Vermeulen", "Van den Bossche", "Dubois", "Lambert", "Hermans",
    "Aerts", "Pauwels", "Desmet", "De Clercq", "Van de Velde", "Verhaegen", "Michiels",
    "Martens", "Stevens", "De Backer", "Smets", "Coppens", "Verstraete", "Vandenberghe",
    "Declercq", "Cools", "Leclercq", "Wuyts", "Van Damme", "Vandamme", "Segers", "Hendrickx",
    "Van Dyck", "De Vos", "Verbeke", "Bogaerts", "Deckers", "Geerts", "Van Hove",
    "Vanderstraeten", "Devos", "Thys", "Lemmens", "Renard", "Verbruggen", "Roels",
    "Dewulf", "Huysmans", "Baert", "Ceulemans", "Van Acker", "Verschueren", "De Wilde",
    "Callens", "Nys", "Vervoort", "Mattheeuws", "Van Rompuy", "Daems", "Moens", "Govaerts",
    "Schepens", "Van Laere", "De Meyer", "Vlaeminck", "El Amrani", "Benali", "Yilmaz",
    "Öztürk", "Kaya", "Nguyen", "Kowalski",
)
DUTCH_FIRST_NAMES = (
    "Sanne", "Anouk", "Lieke", "Femke", "Iris", "Esther", "Marloes", "Mirjam", "Ingrid",
    "Petra", "Annemieke", "Wilma", "Marieke", "Linda", "Monique", "Saskia", "Karin",
    "Ellen", "Fleur", "Lotte", "Noor", "Eva", "Sophie", "Emma", "Tessa", "Lisa", "Maaike",
    "Hanneke", "Yvonne", "Joke", "Joost", "Bas", "Ruud", "Erik", "Henk", "Kees", "Maarten",
    "Sjoerd", "Thijs", "Daan", "Sem", "Niels", "Rob", "Jeroen", "Wouter", "Mark", "Arjen",
    "Gerrit", "Hans", "Pieter", "Martijn", "Bram", "Luuk", "Jasper", "Stefan", "Frank",
    "Willem", "Dennis", "Sander", "Rik", "Mohammed", "Ahmed", "Fatima", "Samira", "Naima",
    "Emre", "Priya", "Rajesh",
)
DUTCH_LAST_NAMES = (
    "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen",
    "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters",
    "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits",
    "de Graaf", "van der Meer", "van der Linden", "Kok", "Jacobs", "de Haan", "Vermeulen",
    "van den Heuvel", "van der Veen", "van den Broek", "de Bruijn", "de Bruin",
    "van der Heijden", "Schouten", "van Beek", "Willems", "van Vliet", "van de Ven",
    "Hoekstra", "Maas", "Verhoeven", "Koster", "van Dam", "van der Wal", "Prins", "Blom",
    "Huisman", "Peeters", "de Lange", "Kuipers", "Postma", "Kuiper", "Veenstra", "Wolters",
    "Boer", "Timmermans", "Groen", "Gerritsen", "Bosman", "Dam", "el Amrani", "Bouzid",
    "Yilmaz", "Kaya", "Ramdin", "Sewdien", "Tjon", "Nguyen",
)

BELGIAN_REGIONS = (
    "Antwerpen", "Limburg", "Oost-Vlaanderen", "West-Vlaanderen", "Vlaams-Brabant", "Brussel",
)
DUTCH_REGIONS = ("Noord", "Oost", "Zuid", "West", "Centrum")
# Topics of the units below the first level, shared by all presets.
UNIT_TOPICS = (
    "Beleidsondersteuning", "Dossierbeheer", "Klantenbeheer", "Kwaliteit", "Planning",
    "Projecten", "Data en Analyse", "Juridisch Advies", "Aankoop", "Facility", "Inspectie",
    "Vergunningen", "Subsidies", "Rapportering", "Applicatiebeheer", "Onthaal", "Archief",
    "Boekhouding", "Opleiding", "Interne Controle",
)

PROFILES: dict[PolicyPreset, PresetProfile] = {
    PolicyPreset.FLEMISH: PresetProfile(
        first_names=FLEMISH_FIRST_NAMES,
        last_names=FLEMISH_LAST_NAMES,
        statutory_share=0.92,
        probation_for_contractual=False,
        top_units=(
            "Afdeling Natuurbeheer", "Afdeling Bosbeheer", "Afdeling Landschap",
            "Afdeling Toezicht en Handhaving", "Afdeling Beleid", "Afdeling Kennis en Data",
            "Afdeling Ondersteunende Diensten", "Afdeling Communicatie", "Afdeling Financiën",
            "Afdeling ICT", "Afdeling Personeel en Organisatie", "Afdeling Subsidies",
            "Afdeling Terreinwerking",
        ),
        unit_kinds={2: "Dienst", 3: "Team", 4: "Cel", 5: "Cel"},
        regions=BELGIAN_REGIONS,
        jobs=(
            Job("Beleidsadviseur", ("A",), ("A1", "A2"), 8),
            Job("Jurist", ("A",), ("A1", "A2"), 3),
            Job("Projectleider", ("A",), ("A2",), 3),
            Job("ICT-analist", ("A",), ("A1",), 2),
            Job("Financieel adviseur", ("A",), ("A1",), 2),
            Job("Communicatieadviseur", ("A",), ("A1",), 2),
            Job("Deskundige", ("B",), ("B1", "B2", "B3"), 10),
            Job("Dossierbehandelaar", ("B",), ("B1", "B2"), 6),
            Job("Boekhouder", ("B",), ("B1", "B2"), 3),
            Job("Technisch deskundige", ("B",), ("B1", "B2", "B3"), 4),
            Job("Administratief medewerker", ("C",), ("C1", "C2", "C3"), 14),
            Job("Administratief assistent", ("C",), ("C1", "C2"), 8),
            Job("Onthaalmedewerker", ("C",), ("C1",), 3),
            Job("Boswachter", ("C",), ("C1", "C2"), 3),
            Job("Technisch assistent", ("D",), ("D1", "D2", "D3"), 5),
            Job("Terreinmedewerker", ("D",), ("D1", "D2"), 4),
            Job("Logistiek medewerker", ("D",), ("D1",), 3),
        ),
        manager_jobs=(
            Job("Administrateur-generaal", ("A",), ("A4",)),
            Job("Afdelingshoofd", ("A",), ("A3",)),
            Job("Diensthoofd", ("A",), ("A2",)),
            Job("Teamleider", ("A", "B"), ("A1", "B3")),
        ),
    ),
    PolicyPreset.FEDERAL: PresetProfile(
        first_names=FLEMISH_FIRST_NAMES,
        last_names=FLEMISH_LAST_NAMES,
        statutory_share=0.92,
        probation_for_contractual=False,
        top_units=(
            "Directoraat-generaal Beleidsondersteuning", "Directoraat-generaal Dienstverlening",
            "Directoraat-generaal Controle en Inspectie",
            "Directoraat-generaal Internationale Samenwerking",
            "Directoraat-generaal Juridische Zaken", "Directoraat-generaal Statistiek en Analyse",
            "Directoraat-generaal Kwaliteit en Innovatie", "Directoraat-generaal Klantenbeheer",
            "Directoraat-generaal Regelgeving", "Stafdienst Budget en Beheerscontrole",
            "Stafdienst ICT", "Stafdienst Communicatie", "Stafdienst Logistiek",
        ),
        unit_kinds={2: "Directie", 3: "Dienst", 4: "Cel", 5: "Team"},
        regions=BELGIAN_REGIONS,
        jobs=(
            Job("Attaché", ("A",), ("A1", "A2"), 9),
            Job("Jurist", ("A",), ("A1", "A2"), 3),
            Job("ICT-expert", ("A",), ("A2", "A3"), 3),
            Job("Adviseur", ("A",), ("A3",), 2),
            Job("Financieel deskundige", ("B",), ("B1", "B2"), 4),
            Job("Administratief deskundige", ("B",), ("B1", "B2", "B3"), 10),
            Job("ICT-deskundige", ("B",), ("B1", "B2"), 4),
            Job("Administratief assistent", ("C",), ("C1", "C2", "C3"), 14),
            Job("Dossierbeheerder", ("C",), ("C1", "C2"), 6),
            Job("Onthaalbediende", ("C",), ("C1",), 3),
            Job("Logistiek medewerker", ("D",), ("D1", "D2"), 4),
            Job("Chauffeur", ("D",), ("D1",), 2),
            Job("Technisch medewerker", ("D",), ("D1", "D2", "D3"), 3),
        ),
        manager_jobs=(
            Job("Voorzitter van het directiecomité", ("A",), ("A5",)),
            Job("Directeur-generaal", ("A",), ("A5",)),
            Job("Directeur", ("A",), ("A4",)),
            Job("Diensthoofd", ("A",), ("A2", "A3")),
        ),
    ),
    PolicyPreset.DUTCH_MUNICIPAL: PresetProfile(
        first_names=DUTCH_FIRST_NAMES,
        last_names=DUTCH_LAST_NAMES,
        # Since 1 January 2020 municipal staff are employed under civil law
        # (Wnra): nobody is appointed statutorily any more.
        statutory_share=0.0,
        probation_for_contractual=True,
        top_units=(
            "Domein Sociaal", "Domein Fysiek", "Domein Bedrijfsvoering", "Domein Dienstverlening",
            "Domein Openbare Orde en Veiligheid", "Domein Ruimte en Wonen",
            "Domein Economie en Werk", "Domein Onderwijs en Jeugd", "Domein Cultuur en Sport",
            "Domein Duurzaamheid", "Domein Mobiliteit", "Domein Bestuur en Strategie",
            "Domein Publiekszaken",
        ),
        unit_kinds={2: "Afdeling", 3: "Team", 4: "Team", 5: "Team"},
        regions=DUTCH_REGIONS,
        jobs=(
            Job("Beleidsadviseur", ("schaal 10", "schaal 11"), weight=8),
            Job("Jurist", ("schaal 10", "schaal 11"), weight=3),
            Job("Vergunningverlener", ("schaal 9",), weight=4),
            Job("Handhaver", ("schaal 8",), weight=4),
            Job("Medewerker burgerzaken", ("schaal 6", "schaal 7"), weight=6),
            Job("Administratief medewerker", ("schaal 5", "schaal 6"), weight=8),
            Job("Wijkbeheerder", ("schaal 8",), weight=3),
            Job("Medewerker openbare ruimte", ("schaal 5", "schaal 6"), weight=6),
            Job("Adviseur P&O", ("schaal 10",), weight=2),
            Job("Applicatiebeheerder", ("schaal 9",), weight=2),
            Job("Projectleider", ("schaal 11",), weight=3),
            Job("Klantcontactmedewerker", ("schaal 6",), weight=5),
            Job("Consulent werk en inkomen", ("schaal 8", "schaal 9"), weight=5),
        ),
        manager_jobs=(
            Job("Gemeentesecretaris", ("schaal 16",)),
            Job("Concerndirecteur", ("schaal 15",)),
            Job("Afdelingsmanager", ("schaal 13",)),
            Job("Teamleider", ("schaal 11", "schaal 12")),
        ),
    ),
}


@dataclass(frozen=True)
class GeneratedOrganisation:
    organisation: Organisation
    people: int
    units: int


@dataclass
class _PlannedUnit:
    parent: int | None
    depth: int
    code: str
    name: str
    children: list[int] = field(default_factory=list)
    size: int = MIN_SPAN
    has_manager: bool = True


def organisation_slug(name: str) -> str:
    return slugify(name)[:60] or "organisation"


def generate_organisation(
    *,
    name: str,
    people: int,
    preset: PolicyPreset | str,
    seed: int,
) -> GeneratedOrganisation:
    """Create organisation ``name`` with ``people`` people, in one transaction."""
    preset = PolicyPreset(preset)
    name = name.strip()
    slug = organisation_slug(name)
    if not MIN_PEOPLE <= people <= MAX_PEOPLE:
        raise ValidationFailed(
            _("Generate between %(min)d and %(max)d people.")
            % {"min": MIN_PEOPLE, "max": MAX_PEOPLE}
        )
    if Organisation.objects.filter(Q(name=name) | Q(slug=slug)).exists():
        raise ValidationFailed(
            _("An organisation named “%(name)s” already exists.") % {"name": name}
        )
    rng = random.Random(seed)
    profile = PROFILES[preset]
    plan = _plan_units(people=people, root_name=name, profile=profile, rng=rng)
    with transaction.atomic():
        organisation = Organisation.objects.create(name=name, slug=slug, policy_preset=preset)
        units = _insert_units(organisation, plan)
        _insert_people(organisation, plan, units, _PersonMaker(profile, rng, f"{slug}.example"))
        # Paths and managers in one pass: both were only known after the inserts.
        Unit.objects.bulk_update(
            list(units.values()), ["path", "manager"], batch_size=UNIT_UPDATE_BATCH
        )
        evaluators.refresh_lines(Person.objects.filter(organisation=organisation))
    return GeneratedOrganisation(organisation=organisation, people=people, units=len(plan))


def levels_for(people: int) -> int:
    """The fewest levels whose tree, at the mean span, holds the units with room to spare.

    The room (half as many units again) lets branches stop at different depths.
    """
    units_needed = 1.5 * people / MEAN_SPAN
    for levels in range(MIN_LEVELS, MAX_LEVELS + 1):
        if sum(MEAN_SPAN**depth for depth in range(levels)) >= units_needed:
            return levels
    return MAX_LEVELS


def _plan_units(
    *, people: int, root_name: str, profile: PresetProfile, rng: random.Random
) -> list[_PlannedUnit]:
    """The unit tree with each unit's size, in memory; index 0 is the top unit."""
    levels = levels_for(people)
    max_units = people // MIN_SPAN  # every unit needs at least MIN_SPAN members
    units = [_PlannedUnit(parent=None, depth=0, code="1", name=root_name)]
    frontier: list[tuple[float, int]] = []

    def expand(index: int, span: int) -> None:
        parent = units[index]
        depth = parent.depth + 1
        for position, unit_name in enumerate(_unit_names(profile, depth, span, rng), start=1):
            parent.children.append(len(units))
            units.append(
                _PlannedUnit(parent=index, depth=depth, code=f"{parent.code}.{position}",
                             name=unit_name)
            )
            if depth < levels - 1:
                priority = depth + rng.random() * EXPANSION_JITTER
                heapq.heappush(frontier, (priority, len(units) - 1))

    # One branch goes all the way down first, so even a small organisation gets its
    # full depth; room is kept for the minimal spans of the levels still to come.
    index = 0
    for step in range(levels - 1):
        levels_to_come = levels - 2 - step
        room = max_units - len(units) - MIN_SPAN * levels_to_come
        expand(index, min(rng.randint(MIN_SPAN, MAX_SPAN), room))
        index = units[index].children[0]

    target = round(people / MEAN_SPAN)
    while frontier and len(units) < target:
        _priority, index = heapq.heappop(frontier)
        if units[index].children:
            continue  # expanded as part of the first branch
        room = max_units - len(units)
        if room < MIN_SPAN:
            break
        expand(index, min(rng.randint(MIN_SPAN, MAX_SPAN), room))
    if people > MAX_SPAN * len(units):
        raise ValidationFailed(_("Too many people for a tree of %(n)d levels.") % {"n": levels})

    # Everybody above the minimum is spread over free places, at most MAX_SPAN a unit.
    extra_places = MAX_SPAN - MIN_SPAN
    for place in rng.sample(range(extra_places * len(units)), people - MIN_SPAN * len(units)):
        units[place // extra_places].size += 1

    teams = [i for i, unit in enumerate(units) if not unit.children and unit.depth > 0]
    for i in rng.sample(teams, max(1, round(MANAGERLESS_TEAM_SHARE * len(teams)))):
        units[i].has_manager = False
    return units


def _unit_names(profile: PresetProfile, depth: int, count: int, rng: random.Random) -> list[str]:
    if depth == 1:
        return rng.sample(profile.top_units, count)
    kind = profile.unit_kinds[depth]
    names = []
    for topic in rng.sample(UNIT_TOPICS, count):
        if depth >= 3 and rng.random() < 0.3:
            names.append(f"{kind} {topic} {rng.choice(profile.regions)}")
        else:
            names.append(f"{kind} {topic}")
    return names


def _insert_units(organisation: Organisation, plan: list[_PlannedUnit]) -> dict[int, Unit]:
    """Insert level by level so each level knows its parents' ids; paths are set in memory."""
    units: dict[int, Unit] = {}
    for depth in range(max(unit.depth for unit in plan) + 1):
        indexes = [i for i, planned in enumerate(plan) if planned.depth == depth]
        rows = [
            Unit(
                organisation=organisation,
                parent=_parent_row(units, plan[i]),
                code=plan[i].code,
                name=plan[i].name,
                path="",
                depth=depth,
            )
            for i in indexes
        ]
        Unit.objects.bulk_create(rows, batch_size=PERSON_BATCH)
        for i, unit in zip(indexes, rows, strict=True):
            parent = unit.parent
            # The same format as services.unit_create: "/<top id>/…/<own id>/".
            unit.path = (
                f"{parent.path if parent else Unit.PATH_SEPARATOR}{unit.pk}{Unit.PATH_SEPARATOR}"
            )
            units[i] = unit
    return units


def _parent_row(units: dict[int, Unit], planned: _PlannedUnit) -> Unit | None:
    return None if planned.parent is None else units[planned.parent]


def _insert_people(
    organisation: Organisation,
    plan: list[_PlannedUnit],
    units: dict[int, Unit],
    maker: "_PersonMaker",
) -> None:
    """Insert everybody in batches; the first member of a managed unit is its manager."""
    batch: list[Person] = []
    managers: list[tuple[Unit, Person]] = []
    for index, planned in enumerate(plan):
        unit = units[index]
        for position in range(planned.size):
            manager_depth = planned.depth if position == 0 and planned.has_manager else None
            person = maker.make(organisation, unit, manager_depth)
            batch.append(person)
            if manager_depth is not None:
                managers.append((unit, person))
        if len(batch) >= PERSON_BATCH:
            Person.objects.bulk_create(batch, batch_size=PERSON_BATCH)
            batch = []
    Person.objects.bulk_create(batch, batch_size=PERSON_BATCH)
    for unit, person in managers:
        unit.manager = person


class _PersonMaker:
    """Draws one person's facts at a time from the shared random generator."""

    def __init__(self, profile: PresetProfile, rng: random.Random, email_domain: str) -> None:
        self.profile = profile
        self.rng = rng
        self.email_domain = email_domain
        self.number = 0
        self.emails: dict[str, int] = {}
        self.jobs = profile.jobs
        self.job_weights = [job.weight for job in profile.jobs]
        self.fractions = [fraction for fraction, _weight in WORKING_TIME]
        self.fraction_weights = [weight for _fraction, weight in WORKING_TIME]
        self.email_names = {
            name: email_part(name) for name in (*profile.first_names, *profile.last_names)
        }

    def make(self, organisation: Organisation, unit: Unit, manager_depth: int | None) -> Person:
        rng, profile = self.rng, self.profile
        self.number += 1
        first_name = rng.choice(profile.first_names)
        last_name = rng.choice(profile.last_names)
        if manager_depth is None:
            job = rng.choices(self.jobs, self.job_weights)[0]
            fraction = rng.choices(self.fractions, self.fraction_weights)[0]
            start_date = self._start_date()
        else:
            job = profile.manager_jobs[min(manager_depth, len(profile.manager_jobs) - 1)]
            fraction = FULL_TIME if rng.random() < 0.92 else Decimal("0.800")
            # Managers have usually been around longer than their staff.
            start_date = min(self._start_date(), self._start_date())
        statutory = rng.random() < profile.statutory_share
        end_date = None
        if rng.random() < END_DATE_SHARE:
            end_date = max(start_date, _date_between(rng, FIRST_END_DATE, LAST_END_DATE))
        probation_end_date = None
        if (
            manager_depth is None
            and (statutory or profile.probation_for_contractual)
            and start_date > LAST_START_DATE - PROBATION
        ):
            probation_end_date = start_date + PROBATION
        return Person(
            organisation=organisation,
            unit=unit,
            employee_number=f"{self.number:06d}",
            first_name=first_name,
            last_name=last_name,
            email=self._email(first_name, last_name),
            language=Language.ENGLISH if rng.random() < ENGLISH_SHARE else Language.DUTCH,
            job_title=job.title,
            grade=rng.choice(job.grades),
            rank=rng.choice(job.ranks),
            start_date=start_date,
            end_date=end_date,
            working_time_fraction=fraction,
            employment_status=(
                EmploymentStatus.STATUTORY if statutory else EmploymentStatus.CONTRACTUAL
            ),
            salary_system=default_salary_system(start_date),
            salary_system_overridden=False,
            probation_end_date=probation_end_date,
        )

    def _start_date(self) -> dt.date:
        days = int(self.rng.expovariate(1 / MEAN_TENURE_DAYS))
        if days > (LAST_START_DATE - FIRST_START_DATE).days:
            return _date_between(self.rng, FIRST_START_DATE, LAST_START_DATE)
        return LAST_START_DATE - dt.timedelta(days=days)

    def _email(self, first_name: str, last_name: str) -> str:
        local = f"{self.email_names[first_name]}.{self.email_names[last_name]}"
        seen = self.emails.get(local, 0) + 1
        self.emails[local] = seen
        return f"{local}{seen if seen > 1 else ''}@{self.email_domain}"


def _date_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def email_part(name: str) -> str:
    """"Van den Bossche" → "vandenbossche", "Öztürk" → "ozturk"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(char for char in ascii_name.lower() if char.isalnum())
