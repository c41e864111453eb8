"""The three built-in policies, each a documented, versioned object.

Every value cites where it comes from: the public documents by their short names (PLOEG,
Prestatiemanagement, the POP guide, POP opmaken, Heemstede) and the regulations by key
([f…] Flemish, [b…] federal, [n…] Dutch), all listed with their titles and addresses in
``docs/policies.md`` (Sources). Where a source leaves a convention open, the value here
is our choice and ``docs/policies.md`` explains it. An organisation may override fields
(``rulebook.models.PolicyOverride``); ``rulebook.policy.policy_for`` merges the two.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext_noop

from koers.organisation.models import PolicyPreset
from koers.rulebook.calendar import YearDay
from koers.rulebook.questions import Question
from koers.rulebook.verdicts import Verdict


class PeriodKind(StrEnum):
    CALENDAR_YEAR = "calendar_year"  # Flanders: the evaluation covers one calendar year
    PER_PERSON = "per_person"  # federal: 12 months per person, not tied to the year
    PLAN_YEAR = "plan_year"  # Dutch: the 12 months of the individual work plan


class Eligibility(StrEnum):
    HOURS = "hours"  # at least N hours effectively worked in the period
    MONTHS = "months"  # employed at least N whole months in the period


class HrContentAccess(StrEnum):
    ON_GRANTED_REQUEST = "on_granted_request"
    STANDING = "standing"


class ImprovementPlanSource(StrEnum):
    """Which held conversation may ground a personal improvement plan, its text taken over
    as the plan's grounds: the regime's own conversation about underperformance."""

    REMEDIATION = "remediation"  # the remediation conversation (remediëringsgesprek)
    IMPROVEMENT_POINTS = "improvement_points"  # a progress conversation's improvement points


class AdvancedCounting(StrEnum):
    # "vanaf de 6de maand die volgt op de datum van kennisname" (PLOEG):
    CALENDAR_MONTHS = "calendar_months"  # 1st day of the 6th calendar month after
    DATE_TO_DATE = "date_to_date"  # the day 5 months after (the 6th month starts)


@dataclass(frozen=True)
class VerdictOption:
    code: Verdict
    statutory_seniority_only: bool = False


# Guiding questions for a new conversation's agenda. The built-in ones are stored in
# English and translated when shown (``conversations.agenda``); an organisation's own
# questions carry HR's text in each language (``rulebook.questions``).
FOLLOW_UP_QUESTIONS: tuple[str, ...] = (  # PLOEG, "Mogelijke richtvragen"
    gettext_noop("What have you achieved so far?"),
    gettext_noop("What went well? And what went less well?"),
    gettext_noop("Which obstacles do you meet?"),
    gettext_noop("How can you avoid meeting those obstacles next time?"),
    gettext_noop("What do you need to still reach certain goals?"),
    gettext_noop("Where is adjustment needed?"),
    gettext_noop("Which competencies help you and which do you want to develop?"),
)
POP_FOLLOW_UP_QUESTIONS: tuple[str, ...] = (  # the POP guide, Stap 3 "Opvolging van het POP"
    gettext_noop("Was the agreed planning respected? If not, why not?"),
    gettext_noop("Do the agreed development goals still motivate the employee?"),
    gettext_noop("How far is the employee in reaching the goals? Which actions were carried "
                 "out and what did they learn?"),
    gettext_noop("Does the employee meet enough situations to learn from?"),
    gettext_noop("Does the work context allow putting what was learned into practice?"),
    gettext_noop("What more can be done to help reach the results (e.g. other learning "
                 "situations)?"),
)

# The POP guide, Stap 2 "Gesprek om te komen tot een POP", 1. "Een diagnose van de te
# ontwikkelen competenties stellen": the four questions of the conversation in which the
# employee and their manager agree the competencies to develop.
POP_DIAGNOSIS_QUESTIONS: tuple[str, ...] = (
    gettext_noop("Which competencies are needed to carry out the tasks well and reach the "
                 "performance goals, given the current function and the goals of the "
                 "service?"),
    gettext_noop("Which competencies are needed given the likely evolution of the function?"),
    gettext_noop("How does the employee want to evolve in their function and career?"),
    gettext_noop("Which competencies does the employee need to evolve in that direction?"),
)


# The self-evaluation's guiding questions, shown beside the form. PLOEG ("Blik terug
# met je evaluatie"): the employee looks back on the past year's performance and on what
# they learn from it for the coming period, with the tips and questions of the guide.
SELF_EVALUATION_QUESTIONS: tuple[str, ...] = (
    gettext_noop("What did you achieve over the past year?"),
    gettext_noop("What went well? And what went less well?"),
    gettext_noop("Which obstacles did you meet, and how can you avoid them next time?"),
    gettext_noop("What are you good at, what are your talents?"),
    gettext_noop("Which competencies help you and which do you want to develop?"),
    gettext_noop("What do you learn from this for the coming period?"),
)
# Heemstede, "Het evaluatiegesprek": the balance of the agreed period.
WORK_PLAN_EVALUATION_QUESTIONS: tuple[str, ...] = (
    gettext_noop("Were the agreements on performance and development realised?"),
    gettext_noop("Which factors played a part in realising them or not?"),
    gettext_noop("Which conclusions about your functioning and development are the basis "
                 "for new agreements?"),
)


class ReportAuthor(StrEnum):
    FIRST_EVALUATOR = "first_evaluator"  # PLOEG: the evaluator writes the report
    EMPLOYEE = "employee"  # Heemstede: the employee records the evaluation conversation


def _guiding(default: tuple[Question, ...] = ()) -> tuple[Question, ...]:
    # kw_only: fields with a default may then be followed by fields without one.
    return field(default=default, kw_only=True)


@dataclass(frozen=True)
class Policy:
    preset: PolicyPreset
    version: str
    period_kind: PeriodKind
    # Where an organisation-wide period starts (calendar year or plan year).
    period_starts: YearDay
    required_conversations: tuple[str, ...]
    # Evaluation window and signatures, relative to the evaluation year.
    evaluation_window_opens: YearDay | None
    evaluation_window_closes: YearDay | None
    first_signature_by: YearDay | None
    second_signature_by: YearDay | None
    # From this day the 2nd evaluator's task starts once the 1st evaluator submitted,
    # even without a self-evaluation (Flemish hand-over rule); None: always both.
    handover_without_self_evaluation_from: YearDay | None
    employee_signature_days: int  # calendar days after receipt
    receipt_day_counts: bool  # does the day of receipt count as day 1?
    written_procedure_remark_days: int
    verdicts: tuple[VerdictOption, ...]
    salary_steps: tuple[int, ...]
    eligibility: Eligibility
    minimum_hours: Decimal
    minimum_months: int
    # Not working (in service) for more than this many months exempts (Flanders).
    exempt_when_absent_months: int | None
    maximum_period_months: int  # by agreement, the period may be stretched to this
    advanced_evaluation_months: int
    advanced_evaluation_counting: AdvancedCounting
    probation_assessment_months_before_end: int | None
    halfway_progress_conversation: bool
    functioning_conversation_after_absence_days: int | None
    functioning_conversation_after_regime_change: bool
    minimum_worked_days_between_conversations: int | None
    late_evaluation_months: int | None  # after the period ends, evaluation lapses
    director_reads_reports: bool
    hr_content_access: HrContentAccess
    improvement_plan_follow_up_months: int
    improvement_plan_source: ImprovementPlanSource
    pop_follow_up_months_min: int
    pop_follow_up_months_max: int
    pop_max_competencies: int
    pop_priority_one_warning_above: int
    reminder_days_before: tuple[int, ...]
    escalate_to_second_evaluator_after_days: int
    escalate_to_hr_after_days: int
    # Dutch: the employee drafts an individual work plan for the plan year, the manager
    # comments, both fix it (Heemstede); the web pages and API offer it only when on.
    individual_work_plan: bool = field(default=False, kw_only=True)
    # The guiding questions a new conversation's agenda starts with, per kind of
    # conversation (``guiding_questions_<kind>``); the same in every preset: PLOEG
    # for the follow-up kinds, the POP guide's diagnosis for the planning and its
    # follow-up questions for the POP follow-up, none for the others.
    # Built-in ones are source texts; HR's own are ``questions.Translated``.
    guiding_questions_planning: tuple[Question, ...] = _guiding(POP_DIAGNOSIS_QUESTIONS)
    guiding_questions_follow_up: tuple[Question, ...] = _guiding(FOLLOW_UP_QUESTIONS)
    guiding_questions_progress: tuple[Question, ...] = _guiding(FOLLOW_UP_QUESTIONS)
    guiding_questions_functioning: tuple[Question, ...] = _guiding(FOLLOW_UP_QUESTIONS)
    guiding_questions_evaluation: tuple[Question, ...] = _guiding()
    guiding_questions_career: tuple[Question, ...] = _guiding()
    guiding_questions_talent: tuple[Question, ...] = _guiding()
    guiding_questions_remediation: tuple[Question, ...] = _guiding()
    guiding_questions_pop_follow_up: tuple[Question, ...] = _guiding(POP_FOLLOW_UP_QUESTIONS)
    guiding_questions_formal_assessment: tuple[Question, ...] = _guiding()
    # The annual evaluation (evaluations room): the self-evaluation's guiding questions,
    # who writes the report, and whether a 2nd evaluator co-signs before delivery.
    # Its questions are translatable content like the agenda's (``rulebook.questions``).
    self_evaluation_questions: tuple[Question, ...] = _guiding(SELF_EVALUATION_QUESTIONS)
    evaluation_report_author: ReportAuthor = field(default=ReportAuthor.FIRST_EVALUATOR,
                                                   kw_only=True)  # PLOEG
    second_signature_required: bool = field(default=True, kw_only=True)  # Prestatiemanagement
    # Does the report need a verdict before it is signed? Flanders: always one of its
    # three (Prestatiemanagement). Federal: since 2022 a mention is given only for underperformance
    # ([b2]), so a report without one is the normal case.
    verdict_required: bool = field(default=True, kw_only=True)
    # The employee may put their manager's own functioning on the agenda of a
    # conversation (Heemstede: "Ook het functioneren van de leidinggevende kan aan de
    # orde komen").
    manager_functioning_on_agenda: bool = field(default=False, kw_only=True)
    # A formal assessment (beoordelingsgesprek) with objection exists (Heemstede).
    formal_assessment: bool = field(default=False, kw_only=True)
    # When the employee and the manager disagree, the employee asks the next-higher
    # manager or an independent HR adviser to mediate; the outcome is recorded, and the
    # formal assessment is the last resort (Heemstede, ``rulebook.mediation``).
    disagreement_mediation: bool = field(default=False, kw_only=True)
    # The evaluation conversation may be combined with the planning of the next period:
    # first looking back, then agreements for the future (Heemstede, "Het
    # evaluatiegesprek", ``rulebook.holding``).
    combined_planning_evaluation: bool = field(default=False, kw_only=True)
    # The 1st evaluator may designate a colleague to hold a planning, progress or
    # evaluation conversation ("met de directe leidinggevende of een door hem/haar
    # aangewezen persoon", Heemstede, ``rulebook.holding``).
    designated_conversation_holder: bool = field(default=False, kw_only=True)
    # Personal data is kept this many years after someone leaves (and after a record
    # ends), then erased or pseudonymised (access/retention.py). Not in the sources: it
    # follows the employer's archive rules, so HR sets it; None keeps everything.
    retention_years: int | None = field(default=None, kw_only=True)
    # Appeals and objections (consequences room). The appeal to the appeal board: within
    # this many calendar days after the report was delivered, the day of delivery not
    # counted ([f3][f4][f5]: 15 in Flanders); None: no appeal board in this policy.
    appeal_days: int | None = field(default=None, kw_only=True)
    # The body the appeal goes to, named as the report names it ([f5] in Flanders).
    appeal_body: str = field(default="", kw_only=True)
    # The objection to a step-0 salary decision: within this many calendar days after
    # the decision. The sources name no term (regulations.md, "not found"): 15 days is
    # our choice, the same as the appeal's, and HR may change it (docs/consequences.md).
    objection_days: int = field(default=15, kw_only=True)
    # The objection to a Dutch formal or probation assessment is decided within six weeks
    # after the term to object, or within twelve when an advisory objection committee
    # (art. 7:13) hears it first (Algemene wet bestuursrecht, art. 7:10 lid 1). Whether the
    # employer set up such a committee is its own choice, so HR says so.
    objection_committee: bool = field(default=False, kw_only=True)
    # How the appeal's days count: calendar days (Flanders, [f3]) or working days, the
    # weekends and the public holidays of the regime's region left out ([b6]: federal
    # staff appeal within 20 working days).
    appeal_working_days: bool = field(default=False, kw_only=True)
    # Who may appeal: statutory staff only (Flanders, [f3][f5]) or contract staff too
    # ([b6]: the federal appeal is open to statutory and contract staff).
    appeal_contract_staff: bool = field(default=False, kw_only=True)
    # [b6][b7]: an evaluation commission hears the evaluatee and the evaluator and
    # advises to keep the mention or give a better one; the leidend ambtenaar then
    # decides, never worse. Off: the appeal board hears and decides (Flanders, [f3]).
    appeal_commission_advises: bool = field(default=False, kw_only=True)
    # Federal [b2][b8]: two "onvoldoende" within this many years, with at least
    # ``unfitness_minimum_worked_days`` days actually worked in between, can lead to
    # dismissal for professional unfitness. Koers flags it to HR, never decides it.
    # None: the policy has no such rule.
    unfitness_within_years: int | None = field(default=None, kw_only=True)
    unfitness_minimum_worked_days: int = field(default=240, kw_only=True)
    # Newcomers (rulebook.deadlines.cycle_due_dates): someone who starts during the
    # period has their first planning, and the halfway progress conversation where the
    # policy has one, at the earliest this many days after their start (the start day
    # being day 1), never before everyone else's and never after the evaluation.
    newcomer_planning_days: int = field(kw_only=True)
    newcomer_progress_days: int = field(kw_only=True)
    # Someone who leaves voluntarily or retires may, with their agreement, be evaluated
    # before leaving, outside the window (rulebook.leavers); off: whoever leaves before
    # the evaluation is not evaluated in the cycle.
    evaluation_before_leaving: bool = field(kw_only=True)
    # Flanders [f8]: the 2nd evaluator holds a higher rank than the person evaluated;
    # where the line says otherwise HR is told (rulebook.ranks). Off: ranks are not
    # compared (the federal and Dutch sources set no such rule).
    second_evaluator_outranks: bool = field(default=False, kw_only=True)
    # Probation (rulebook.probation). Flanders: a probation of N months lasts N × this
    # many working days ([f18]); None: no probation evaluation in this policy.
    probation_workdays_per_month: int | None = field(default=None, kw_only=True)
    # Flanders: after a negative probation evaluation that stands, a fixed-term contract
    # of this many months ([f20], art. III 19); None: no such consequence.
    probation_negative_contract_months: int | None = field(default=None, kw_only=True)
    # The federal stage (rulebook.stage, [b12]–[b14]): a newly recruited federal civil
    # servant (stagiair) is evaluated over a stage of at least this many months; None:
    # no stage in this policy. The others are read only where it is set.
    stage_months: int | None = field(default=None, kw_only=True)
    stage_planning_months: int = field(default=1, kw_only=True)  # the planning's month
    stage_development_objectives: int = field(default=2, kw_only=True)  # at least, planned
    stage_functioning_conversations: int = field(default=3, kw_only=True)  # spread evenly
    # Working days of absence that do not extend the stage; beyond them it is extended.
    stage_absence_free_workdays: int = field(default=30, kw_only=True)
    stage_extension_max_months: int = field(default=4, kw_only=True)  # by the commission
    stage_dismissal_notice_months: int = field(default=3, kw_only=True)
    # Flanders (PLOEG: "Voor topkaderfuncties bestaan andere evaluatievormen"): HR records
    # a top manager or mandate holder on the person, who is then not in the annual
    # evaluation (rulebook.eligibility); off: everyone is evaluated in the cycle.
    other_evaluation_forms: bool = field(default=False, kw_only=True)

    def verdicts_for(self, *, statutory: bool, seniority: bool) -> tuple[str, ...]:
        """The verdicts an evaluator may give this person (none in the Dutch policy)."""
        return tuple(
            option.code
            for option in self.verdicts
            if not option.statutory_seniority_only or (statutory and seniority)
        )


FLEMISH = Policy(
    preset=PolicyPreset.FLEMISH,
    version="flemish-2024.1",
    period_kind=PeriodKind.CALENDAR_YEAR,  # [f1]
    period_starts=YearDay(1, 1),
    required_conversations=("planning", "follow_up", "evaluation"),  # PLOEG
    evaluation_window_opens=YearDay(12, 1, 0),  # PLOEG: between 1 December …
    evaluation_window_closes=YearDay(3, 31, 1),  # … and 31 March
    first_signature_by=YearDay(3, 15, 1),  # Prestatiemanagement: 1st evaluator signs by 15 March
    second_signature_by=YearDay(3, 31, 1),  # Prestatiemanagement: 2nd by 31 March, delivered
    handover_without_self_evaluation_from=YearDay(3, 15, 1),  # [f7]
    employee_signature_days=15,  # PLOEG: within 15 calendar days of receipt
    receipt_day_counts=False,  # our choice, docs/policies.md
    written_procedure_remark_days=15,  # [f2]
    verdicts=(
        VerdictOption(Verdict.VOLDOENDE),
        VerdictOption(Verdict.ONVOLDOENDE),
        # Prestatiemanagement: only statutory staff in the seniority-based salary system.
        VerdictOption(Verdict.LOOPBAANVERTRAGING, statutory_seniority_only=True),
    ),
    salary_steps=(0, 1, 2),  # Prestatiemanagement, [f11][f12]
    appeal_days=15,  # [f3][f4][f5]: 15 calendar days after delivery, statutory staff
    appeal_body="Raad van beroep (kamer 2)",  # [f5]
    probation_workdays_per_month=21,  # [f18]: months × 21 working days
    probation_negative_contract_months=3,  # [f20]: a fixed-term contract of 3 months
    eligibility=Eligibility.HOURS,
    minimum_hours=Decimal(479),  # [f6]: 63 days × 7 h 36
    minimum_months=3,  # PLOEG, read as 479 hours by [f6]
    exempt_when_absent_months=9,  # [f22]
    maximum_period_months=15,  # [f1]
    advanced_evaluation_months=6,  # PLOEG
    advanced_evaluation_counting=AdvancedCounting.CALENDAR_MONTHS,  # docs/policies.md
    probation_assessment_months_before_end=None,
    halfway_progress_conversation=False,
    functioning_conversation_after_absence_days=None,
    functioning_conversation_after_regime_change=False,
    minimum_worked_days_between_conversations=None,
    late_evaluation_months=None,
    director_reads_reports=False,
    hr_content_access=HrContentAccess.ON_GRANTED_REQUEST,  # PLOEG
    improvement_plan_follow_up_months=1,  # PLOEG: monthly
    # "Prestatiemanagement: informatie voor HR" names the remediation conversation
    # (remediëringsgesprek) among the conversations; PLOEG's improvement plan follows it.
    improvement_plan_source=ImprovementPlanSource.REMEDIATION,
    pop_follow_up_months_min=3,  # the POP guide, Stap 3
    pop_follow_up_months_max=6,
    pop_max_competencies=5,  # the POP guide
    pop_priority_one_warning_above=3,  # the POP guide: 2–3 at most at priority 1
    reminder_days_before=(14, 3),
    escalate_to_second_evaluator_after_days=7,
    escalate_to_hr_after_days=21,
    # [f8]: the planning is filed at the latest at the end of March, the first three
    # months (90 days from 1 January) of the year; a newcomer gets as many from the start.
    newcomer_planning_days=90,
    evaluation_before_leaving=True,  # [f1]: leavers may be evaluated with their consent
    second_evaluator_outranks=True,  # [f8]: "a higher 2nd for everyone"
    other_evaluation_forms=True,  # PLOEG: top management has other evaluation forms
    # Read only when HR switches the halfway progress conversation on: three months
    # after the start, as Heemstede's "een aantal maanden na indiensttreding".
    newcomer_progress_days=90,
)

FEDERAL = Policy(
    preset=PolicyPreset.FEDERAL,
    version="federal-2022.1",
    period_kind=PeriodKind.PER_PERSON,  # [b1]: 12 months per person
    period_starts=YearDay(1, 1),  # unused: each person's cycle starts on their own date
    required_conversations=("evaluation",),  # [b4]: one cycle conversation closes and plans
    evaluation_window_opens=None,
    evaluation_window_closes=None,
    first_signature_by=None,  # [b…]: terms not found; set them per organisation
    second_signature_by=None,
    handover_without_self_evaluation_from=None,
    employee_signature_days=15,
    receipt_day_counts=False,
    written_procedure_remark_days=15,
    verdicts=(VerdictOption(Verdict.ONVOLDOENDE),),  # [b2]: the only mention since 2022
    verdict_required=False,  # [b2]: onvoldoende only for underperformance
    salary_steps=(),
    # [b6]: in writing within 20 working days, statutory and contract staff, to the
    # leidend ambtenaar, who forwards the file to the evaluation commission ([b7]).
    appeal_days=20,
    appeal_body="Leidend ambtenaar (advies van de evaluatiecommissie)",
    appeal_working_days=True,
    appeal_contract_staff=True,
    appeal_commission_advises=True,
    unfitness_within_years=4,  # [b2]: two onvoldoende within four years …
    unfitness_minimum_worked_days=240,  # … with at least 240 days actually worked
    eligibility=Eligibility.MONTHS,
    minimum_hours=Decimal(0),
    minimum_months=3,
    exempt_when_absent_months=None,
    maximum_period_months=12,
    advanced_evaluation_months=6,
    advanced_evaluation_counting=AdvancedCounting.CALENDAR_MONTHS,
    probation_assessment_months_before_end=None,
    halfway_progress_conversation=False,
    functioning_conversation_after_absence_days=70,  # [b3]
    functioning_conversation_after_regime_change=True,  # [b3]
    minimum_worked_days_between_conversations=20,  # [b1]
    late_evaluation_months=3,  # [b2]: not evaluated 3 months after the end → next cycle
    director_reads_reports=False,
    hr_content_access=HrContentAccess.ON_GRANTED_REQUEST,
    improvement_plan_follow_up_months=1,
    # [b5][b15]: the P&O director follows up remediation (the remediation conversation).
    improvement_plan_source=ImprovementPlanSource.REMEDIATION,
    pop_follow_up_months_min=3,  # the POP guide
    pop_follow_up_months_max=6,
    pop_max_competencies=5,
    pop_priority_one_warning_above=3,
    reminder_days_before=(14, 3),
    escalate_to_second_evaluator_after_days=7,
    escalate_to_hr_after_days=21,
    # [b14]: a new stagiair's planning conversation takes place in the first month;
    # a newcomer's period starts on their start date, so this applies where an agreed
    # period starts before it.
    newcomer_planning_days=30,
    newcomer_progress_days=90,  # as the Dutch preset, when HR switches it on
    evaluation_before_leaving=False,  # not in the federal sources
    # The stage of a newly recruited federal civil servant (rulebook.stage).
    stage_months=12,  # [b12]: at least one year
    stage_planning_months=1,  # [b14]: the planning conversation in the first month …
    stage_development_objectives=2,  # … fixes at least 2 development objectives
    stage_functioning_conversations=3,  # [b14]: three, spread evenly over the stage
    stage_absence_free_workdays=30,  # [b12]: absence beyond 30 working days extends it
    stage_extension_max_months=4,  # [b12][b13]: the commission extends by at most 4 months
    stage_dismissal_notice_months=3,  # [b13]: 3 months' notice (none for a serious fault)
)

DUTCH_MUNICIPAL = Policy(
    preset=PolicyPreset.DUTCH_MUNICIPAL,
    version="dutch-municipal-2020.1",
    period_kind=PeriodKind.PLAN_YEAR,  # Heemstede: the work plan holds for 12 months
    period_starts=YearDay(1, 1),  # most municipalities plan per calendar year
    required_conversations=("planning", "progress", "evaluation"),  # Heemstede
    evaluation_window_opens=None,
    evaluation_window_closes=None,
    first_signature_by=None,
    second_signature_by=None,
    handover_without_self_evaluation_from=None,
    employee_signature_days=14,  # [n8]: a written reaction within 2 weeks
    receipt_day_counts=False,
    written_procedure_remark_days=14,
    verdicts=(),  # Heemstede: the evaluation conversation has no verdict
    salary_steps=(),
    eligibility=Eligibility.MONTHS,
    minimum_hours=Decimal(0),
    minimum_months=3,
    exempt_when_absent_months=None,
    maximum_period_months=12,
    advanced_evaluation_months=6,
    advanced_evaluation_counting=AdvancedCounting.CALENDAR_MONTHS,
    probation_assessment_months_before_end=3,  # Heemstede
    halfway_progress_conversation=True,  # Heemstede: at least one, halfway
    functioning_conversation_after_absence_days=None,
    functioning_conversation_after_regime_change=False,
    minimum_worked_days_between_conversations=None,
    late_evaluation_months=None,
    director_reads_reports=True,  # Heemstede
    individual_work_plan=True,  # Heemstede: "het formulier Individueel werkplan"
    self_evaluation_questions=WORK_PLAN_EVALUATION_QUESTIONS,  # Heemstede
    # Heemstede: "Ook dit gesprek wordt weer schriftelijk door de medewerker vastgelegd".
    evaluation_report_author=ReportAuthor.EMPLOYEE,
    second_signature_required=False,  # Heemstede, [n11]: manager and employee sign
    verdict_required=False,  # Heemstede: the evaluation conversation has no verdict
    formal_assessment=True,  # Heemstede: only on request or for a negative decision
    disagreement_mediation=True,  # Heemstede: "verschil van mening", question 6
    manager_functioning_on_agenda=True,  # Heemstede
    combined_planning_evaluation=True,  # Heemstede: "in een gesprek worden gecombineerd"
    designated_conversation_holder=True,  # Heemstede: "een door hem/haar aangewezen persoon"
    hr_content_access=HrContentAccess.STANDING,  # Heemstede: reports go to the file
    improvement_plan_follow_up_months=1,
    # Heemstede: improvement points are raised in a progress conversation (voortgangs-
    # gesprek) before a formal assessment; a plan to work on them starts from there.
    improvement_plan_source=ImprovementPlanSource.IMPROVEMENT_POINTS,
    pop_follow_up_months_min=3,
    pop_follow_up_months_max=6,
    pop_max_competencies=5,
    pop_priority_one_warning_above=3,
    reminder_days_before=(14, 3),
    escalate_to_second_evaluator_after_days=7,
    escalate_to_hr_after_days=21,
    # Heemstede: for new employees "het planningsgesprek vroeg in het eerste jaar", and
    # "een aantal maanden na indiensttreding" the progress conversation. Our reading:
    # planning within the first month, progress three months after the start.
    newcomer_planning_days=30,
    newcomer_progress_days=90,
    evaluation_before_leaving=False,  # not in Heemstede
)

PRESETS: dict[str, Policy] = {
    PolicyPreset.FLEMISH: FLEMISH,
    PolicyPreset.FEDERAL: FEDERAL,
    PolicyPreset.DUTCH_MUNICIPAL: DUTCH_MUNICIPAL,
}
