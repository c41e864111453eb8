"""Shapes of the development endpoints: the catalogues (competencies, development
actions, the recommendation matrix, competency profiles), the self-scan and the POP
preparations (the plans: development_plans_schemas.py).
Names follow the glossary; catalogue texts come in the caller's language (Dutch when
there is none in it), and beside it every language's text ({language code: text})."""

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any

from ninja import Schema
from pydantic import Field

from koers.api.common_schemas import Id, Input
from koers.api.pagination import PageOut
from koers.core import languages
from koers.development.models import (
    Competency,
    CompetencyCluster,
    CompetencyProfile,
    DepartmentPreparation,
    DevelopmentAction,
    EmployeePreparation,
    ManagerPreparation,
    Recommendation,
    SelfScan,
)
from koers.development.selectors import ActionAdvice, Matrix

# Catalogues ---------------------------------------------------------------------------


class Ref(Schema):
    id: int
    code: str
    name: str


def ref_of(entry: Competency | DevelopmentAction | None) -> Ref | None:
    return None if entry is None else Ref(id=entry.pk, code=entry.code, name=entry.name)


class CompetencyOut(Schema):
    id: int
    code: str
    cluster_id: int
    name: str  # in the caller's language
    names: dict[str, str]  # every text there is, by language code
    description: str
    descriptions: dict[str, str]
    from_source: bool
    active: bool

    @classmethod
    def of(cls, competency: Competency) -> "CompetencyOut":
        return cls(id=competency.pk, code=competency.code, cluster_id=competency.cluster_id,
                   name=competency.name, names=competency.names,
                   description=competency.description, descriptions=competency.descriptions,
                   from_source=competency.from_source, active=competency.active)


class ClusterOut(Schema):
    id: int
    code: str
    name: str
    names: dict[str, str]
    competencies: list[CompetencyOut]

    @classmethod
    def of(cls, cluster: CompetencyCluster) -> "ClusterOut":
        return cls(id=cluster.pk, code=cluster.code, name=cluster.name, names=cluster.names,
                   competencies=[CompetencyOut.of(c) for c in cluster.competencies.all()])


# A text in the languages Koers offers, {language code: text}: the keys are those of
# ``core.languages``, so a new language is accepted by itself. Creating, the name in the
# default language (nl) is required; changing, the languages given replace theirs, the
# others keep their text, and an empty text removes the language's.
Texts = Annotated[dict[languages.Language, str],
                  Field(description="{language code: text}, e.g. {\"nl\": \"…\", \"en\": \"…\"}")]


def texts_of(texts: Mapping[languages.Language, str] | None) -> dict[str, str] | None:
    return None if texts is None else {code.value: text for code, text in texts.items()}


class ClusterIn(Input):
    names: Texts


class CompetencyIn(Input):
    cluster_id: int
    names: Texts
    descriptions: Texts = {}


class CompetencyPatch(Input):
    cluster_id: int | None = None
    names: Texts | None = None
    descriptions: Texts | None = None
    active: bool | None = None


class DevelopmentActionOut(Schema):
    id: int
    code: str
    name: str  # in the caller's language
    names: dict[str, str]  # every text there is, by language code
    definition: str
    definitions: dict[str, str]
    when_to_choose: list[str]
    when_to_choose_texts: dict[str, str]  # by language, one point a line
    points_of_attention: list[str]
    points_of_attention_texts: dict[str, str]
    from_source: bool
    active: bool

    @classmethod
    def of(cls, action: DevelopmentAction) -> "DevelopmentActionOut":
        return cls(id=action.pk, code=action.code, name=action.name, names=action.names,
                   definition=action.definition, definitions=action.definitions,
                   when_to_choose=action.when_to_choose,
                   when_to_choose_texts=action.when_to_choose_texts,
                   points_of_attention=action.points_of_attention,
                   points_of_attention_texts=action.points_of_attention_texts,
                   from_source=action.from_source, active=action.active)


class DevelopmentActionIn(Input):
    names: Texts
    definitions: Texts = {}
    when_to_choose_texts: Texts = {}  # one point a line
    points_of_attention_texts: Texts = {}


class DevelopmentActionPatch(Input):
    names: Texts | None = None
    definitions: Texts | None = None
    when_to_choose_texts: Texts | None = None
    points_of_attention_texts: Texts | None = None
    active: bool | None = None


TEXT_FIELDS = ("names", "descriptions", "definitions", "when_to_choose_texts",
               "points_of_attention_texts")


def texts_parsed(data: Mapping[str, Any]) -> dict[str, Any]:
    """A body's fields with its texts keyed by plain language codes, for the services."""
    return {name: texts_of(value) if name in TEXT_FIELDS else value
            for name, value in data.items()}


class ActionAdviceOut(Schema):
    """The matrix's word on one action for a competency."""

    action: Ref
    value: str  # recommended, not_recommended, unknown (no recommendation yet)

    @classmethod
    def of(cls, advice: ActionAdvice) -> "ActionAdviceOut":
        ref = ref_of(advice.action)
        assert ref is not None
        return cls(action=ref, value=advice.value.value)


class MatrixRowOut(Schema):
    competency: Ref
    cluster: str
    values: list[str]  # one per action of ``MatrixOut.actions``, in that order


class MatrixOut(Schema):
    actions: list[Ref]
    rows: list[MatrixRowOut]
    unknown_count: int

    @classmethod
    def of(cls, matrix: Matrix) -> "MatrixOut":
        return cls(
            actions=[Ref(id=a.pk, code=a.code, name=a.name) for a in matrix.actions],
            rows=[MatrixRowOut(competency=Ref(id=c.pk, code=c.code, name=c.name),
                               cluster=cluster.name,
                               values=[matrix.value(c, a).value for a in matrix.actions])
                  for cluster in matrix.clusters for c in cluster.competencies.all()],
            unknown_count=matrix.unknown_count,
        )


class RecommendationIn(Input):
    value: str  # recommended, not_recommended, unknown


class RecommendationOut(Schema):
    competency_id: int
    action_id: int
    value: str

    @classmethod
    def of(cls, cell: Recommendation) -> "RecommendationOut":
        return cls(competency_id=cell.competency_id, action_id=cell.action_id, value=cell.value)


class ProfileOut(Schema):
    id: int
    job_title: str
    competencies: list[Ref]

    @classmethod
    def of(cls, profile: CompetencyProfile) -> "ProfileOut":
        return cls(id=profile.pk, job_title=profile.job_title,
                   competencies=[Ref(id=e.competency.pk, code=e.competency.code,
                                     name=e.competency.name) for e in profile.entries.all()])


class ProfileIn(Input):
    job_title: str
    competency_ids: list[Id]


# Preparing the POP conversation -------------------------------------------------------
# The text fields carry the names of ``services.preparations.*_FIELDS`` (the questions of
# POP opmaken and the development scan); their labels are the model fields' verbose names.


class SelfScanOut(Schema):
    """My self-scan: mine alone; empty until first saved (``updated_at`` None)."""

    who_am_i: str
    energy: str
    what_do_i_want: str
    what_can_i_do: str
    acquired_elsewhere: str
    next_step: str
    updated_at: dt.datetime | None

    @classmethod
    def of(cls, scan: SelfScan | None) -> "SelfScanOut":
        if scan is None:
            return cls(who_am_i="", energy="", what_do_i_want="", what_can_i_do="",
                       acquired_elsewhere="", next_step="", updated_at=None)
        return cls(who_am_i=scan.who_am_i, energy=scan.energy,
                   what_do_i_want=scan.what_do_i_want, what_can_i_do=scan.what_can_i_do,
                   acquired_elsewhere=scan.acquired_elsewhere, next_step=scan.next_step,
                   updated_at=scan.updated_at)


class SelfScanIn(Input):
    """The whole self-scan: a field left out is saved empty."""

    who_am_i: str = ""
    energy: str = ""
    what_do_i_want: str = ""
    what_can_i_do: str = ""
    acquired_elsewhere: str = ""
    next_step: str = ""


def _competency_refs(preparation: EmployeePreparation | ManagerPreparation) -> list[Ref]:
    """The chosen competencies (``preparation`` with ``competencies`` prefetched)."""
    return [Ref(id=c.pk, code=c.code, name=c.name) for c in preparation.competencies.all()]


class EmployeePreparationOut(Schema):
    """An employee's preparation; ``shared_at`` None: the employee's private draft."""

    id: int
    employee_id: int
    shared_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime
    revision: int  # give it as ``expected_revision`` when saving

    @classmethod
    def of(cls, preparation: EmployeePreparation) -> "EmployeePreparationOut":
        return cls(id=preparation.pk, employee_id=preparation.employee_id,
                   shared_at=preparation.shared_at, created_at=preparation.created_at,
                   updated_at=preparation.updated_at,
                   revision=preparation.revision)


class EmployeePreparationDetailOut(EmployeePreparationOut):
    """With the answers (POP opmaken, Bijlage 1) and the competencies chosen."""

    strengths: str
    ambitions: str
    ambitions_why: str
    competencies_to_develop: str
    preferred_functions: str
    change_term: str
    desired_training: str
    desired_training_why: str
    self_investment: str
    competencies: list[Ref]

    @classmethod
    def of_detail(cls, p: EmployeePreparation) -> "EmployeePreparationDetailOut":
        return cls(**EmployeePreparationOut.of(p).dict(), strengths=p.strengths,
                   ambitions=p.ambitions, ambitions_why=p.ambitions_why,
                   competencies_to_develop=p.competencies_to_develop,
                   preferred_functions=p.preferred_functions, change_term=p.change_term,
                   desired_training=p.desired_training,
                   desired_training_why=p.desired_training_why,
                   self_investment=p.self_investment, competencies=_competency_refs(p))


class EmployeePreparationIn(Input):
    from_self_scan: bool = True  # pre-fill the answers from my self-scan
    competency_ids: list[Id] = []


class EmployeePreparationPatch(Input):
    """The answers to change; ``competency_ids`` replaces the chosen competencies.
    ``expected_revision`` is the preparation's ``revision`` the save starts from: if it
    was saved since, nothing is saved (409, with what is saved now)."""

    expected_revision: int

    strengths: str | None = None
    ambitions: str | None = None
    ambitions_why: str | None = None
    competencies_to_develop: str | None = None
    preferred_functions: str | None = None
    change_term: str | None = None
    desired_training: str | None = None
    desired_training_why: str | None = None
    self_investment: str | None = None
    competency_ids: list[Id] | None = None


class DepartmentPreparationOut(Schema):
    """A manager's general view of a unit; ``shared_at`` None: the author's private draft."""

    id: int
    author_id: int
    unit_id: int
    shared_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime
    revision: int  # give it as ``expected_revision`` when saving

    @classmethod
    def of(cls, preparation: DepartmentPreparation) -> "DepartmentPreparationOut":
        return cls(id=preparation.pk, author_id=preparation.author_id,
                   unit_id=preparation.unit_id, shared_at=preparation.shared_at,
                   created_at=preparation.created_at, updated_at=preparation.updated_at,
                   revision=preparation.revision)


class DepartmentPreparationDetailOut(DepartmentPreparationOut):
    """With the answers (POP opmaken, Bijlage 2: staffing and the SWOT of the unit)."""

    staffing: str
    strengths: str
    weaknesses: str
    opportunities: str
    threats: str

    @classmethod
    def of_detail(cls, p: DepartmentPreparation) -> "DepartmentPreparationDetailOut":
        return cls(**DepartmentPreparationOut.of(p).dict(), staffing=p.staffing,
                   strengths=p.strengths, weaknesses=p.weaknesses,
                   opportunities=p.opportunities, threats=p.threats)


class DepartmentPreparationIn(Input):
    unit_id: int  # a unit I manage


class DepartmentPreparationPatch(Input):
    """The answers to change. ``expected_revision`` is the preparation's ``revision`` the
    save starts from: if it was saved since, nothing is saved (409, with what is saved
    now)."""

    expected_revision: int
    staffing: str | None = None
    strengths: str | None = None
    weaknesses: str | None = None
    opportunities: str | None = None
    threats: str | None = None


class ManagerPreparationOut(Schema):
    """The 1st evaluator's preparation about an employee; ``shared_at`` None: the
    author's private draft."""

    id: int
    author_id: int
    employee_id: int
    department_view_id: int | None  # the author's general view it builds on
    shared_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime
    revision: int  # give it as ``expected_revision`` when saving

    @classmethod
    def of(cls, preparation: ManagerPreparation) -> "ManagerPreparationOut":
        return cls(id=preparation.pk, author_id=preparation.author_id,
                   employee_id=preparation.employee_id,
                   department_view_id=preparation.department_view_id,
                   shared_at=preparation.shared_at, created_at=preparation.created_at,
                   updated_at=preparation.updated_at,
                   revision=preparation.revision)


class ManagerPreparationDetailOut(ManagerPreparationOut):
    """With the answers (POP opmaken, Bijlage 2: 7 questions) and the competencies chosen."""

    overall_impression: str
    investments_to_maintain: str
    growth_possibilities: str
    career_possibilities: str
    change_term: str
    change_term_reason: str
    investments_for_target: str
    other_remarks: str
    competencies: list[Ref]

    @classmethod
    def of_detail(cls, p: ManagerPreparation) -> "ManagerPreparationDetailOut":
        return cls(**ManagerPreparationOut.of(p).dict(),
                   overall_impression=p.overall_impression,
                   investments_to_maintain=p.investments_to_maintain,
                   growth_possibilities=p.growth_possibilities,
                   career_possibilities=p.career_possibilities, change_term=p.change_term,
                   change_term_reason=p.change_term_reason,
                   investments_for_target=p.investments_for_target,
                   other_remarks=p.other_remarks, competencies=_competency_refs(p))


class ManagerPreparationIn(Input):
    department_view_id: int | None = None  # a general preparation of my own
    competency_ids: list[Id] = []


class ManagerPreparationPatch(Input):
    """The answers to change; ``competency_ids`` replaces the chosen competencies.
    ``expected_revision`` is the preparation's ``revision`` the save starts from: if it
    was saved since, nothing is saved (409, with what is saved now)."""

    expected_revision: int

    overall_impression: str | None = None
    investments_to_maintain: str | None = None
    growth_possibilities: str | None = None
    career_possibilities: str | None = None
    change_term: str | None = None
    change_term_reason: str | None = None
    investments_for_target: str | None = None
    other_remarks: str | None = None
    competency_ids: list[Id] | None = None


class ClusterPageOut(PageOut):
    items: list[ClusterOut]


class ActionAdvicePageOut(PageOut):
    items: list[ActionAdviceOut]


class DevelopmentActionPageOut(PageOut):
    items: list[DevelopmentActionOut]


class ProfilePageOut(PageOut):
    items: list[ProfileOut]


class EmployeePreparationPageOut(PageOut):
    items: list[EmployeePreparationOut]


class DepartmentPreparationPageOut(PageOut):
    items: list[DepartmentPreparationOut]


class ManagerPreparationPageOut(PageOut):
    items: list[ManagerPreparationOut]
