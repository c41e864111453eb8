"""Every rule of every preset, with where it comes from.

Sources, by the short names of ``docs/policies.md`` (Sources): PLOEG (for staff),
Prestatiemanagement (for HR), the POP guide (federal), Heemstede (Dutch municipal
cycle), and the regulations by key ([f…] Flanders, [b…] federal, [n…] Dutch). "choice"
marks a convention the sources leave open; ``docs/policies.md`` gives the reasoning.

The tables cover every field of every preset (``test_the_tables_cover_every_field``),
so any change to a rule value fails here and must be made on purpose, with its source.
"""

import dataclasses
import math
from decimal import Decimal

import pytest

from koers.organisation.models import PolicyPreset
from koers.rulebook.calendar import YearDay
from koers.rulebook.presets import (
    DUTCH_MUNICIPAL,
    FEDERAL,
    FLEMISH,
    PRESETS,
    AdvancedCounting,
    Eligibility,
    HrContentAccess,
    ImprovementPlanSource,
    PeriodKind,
    Policy,
    ReportAuthor,
    VerdictOption,
)
from koers.rulebook.registry import SETTINGS, check

# (field, value, source)
# PLOEG, "Mogelijke richtvragen" for the follow-up conversation.
FOLLOW_UP = (
    "What have you achieved so far?",
    "What went well? And what went less well?",
    "Which obstacles do you meet?",
    "How can you avoid meeting those obstacles next time?",
    "What do you need to still reach certain goals?",
    "Where is adjustment needed?",
    "Which competencies help you and which do you want to develop?",
)
# The POP guide (FOD Personeel en Organisatie, "Ontwikkelcirkels — Ontwikkelen van de
# persoonlijke competenties. Praktische gids"), Stap 2.1 "Een diagnose van de te
# ontwikkelen competenties stellen": "U kunt de volgende 4 vragen beantwoorden".
POP_DIAGNOSIS = (
    "Which competencies are needed to carry out the tasks well and reach the performance "
    "goals, given the current function and the goals of the service?",
    "Which competencies are needed given the likely evolution of the function?",
    "How does the employee want to evolve in their function and career?",
    "Which competencies does the employee need to evolve in that direction?",
)
# The POP guide, Stap 3 "Opvolging van het POP".
POP_FOLLOW_UP = (
    "Was the agreed planning respected? If not, why not?",
    "Do the agreed development goals still motivate the employee?",
    "How far is the employee in reaching the goals? Which actions were carried out and "
    "what did they learn?",
    "Does the employee meet enough situations to learn from?",
    "Does the work context allow putting what was learned into practice?",
    "What more can be done to help reach the results (e.g. other learning situations)?",
)
# The same guiding questions in every preset.
GUIDING_QUESTIONS = [
    ("guiding_questions_planning", POP_DIAGNOSIS, "the POP guide's diagnosis"),
    ("guiding_questions_follow_up", FOLLOW_UP, "PLOEG"),
    ("guiding_questions_progress", FOLLOW_UP, "PLOEG (a follow-up kind)"),
    ("guiding_questions_functioning", FOLLOW_UP, "PLOEG (a follow-up kind)"),
    ("guiding_questions_evaluation", (), "no source lists any"),
    ("guiding_questions_career", (), "no source lists any"),
    ("guiding_questions_talent", (), "no source lists any"),
    ("guiding_questions_remediation", (), "no source lists any"),
    ("guiding_questions_pop_follow_up", POP_FOLLOW_UP, "the POP guide"),
    ("guiding_questions_formal_assessment", (), "no source lists any"),
]

# The evaluation report (evaluations room).
SELF_EVALUATION = (
    "What did you achieve over the past year?",
    "What went well? And what went less well?",
    "Which obstacles did you meet, and how can you avoid them next time?",
    "What are you good at, what are your talents?",
    "Which competencies help you and which do you want to develop?",
    "What do you learn from this for the coming period?",
)
EVALUATION_REPORT = [
    ("self_evaluation_questions", SELF_EVALUATION,
     "PLOEG 'Blik terug met je evaluatie': the past year, what you learn from it"),
    ("evaluation_report_author", ReportAuthor.FIRST_EVALUATOR, "PLOEG: the evaluator writes"),
    ("second_signature_required", True, "Prestatiemanagement: the 2nd evaluator signs by 31 March"),
    ("verdict_required", True, "Prestatiemanagement: voldoende, onvoldoende or loopbaanvertraging"),
    ("formal_assessment", False, "Heemstede only"),
    ("disagreement_mediation", False, "Heemstede only"),
    ("manager_functioning_on_agenda", False, "Heemstede only"),
    ("combined_planning_evaluation", False, "Heemstede only"),
    ("designated_conversation_holder", False, "Heemstede only"),
]
# Federal: a mention only for underperformance since 2022.
FEDERAL_EVALUATION_REPORT = [
    ("verdict_required", False, "[b2]: onvoldoende only for underperformance")
    if field == "verdict_required" else (field, value, source)
    for field, value, source in EVALUATION_REPORT
]
DUTCH_EVALUATION_REPORT = [
    ("self_evaluation_questions", (
        "Were the agreements on performance and development realised?",
        "Which factors played a part in realising them or not?",
        "Which conclusions about your functioning and development are the basis for new "
        "agreements?",
    ), "Heemstede 'Het evaluatiegesprek'"),
    ("evaluation_report_author", ReportAuthor.EMPLOYEE,
     "Heemstede: 'wordt schriftelijk door de medewerker vastgelegd'"),
    ("second_signature_required", False, "Heemstede, [n11]: manager and employee sign"),
    ("verdict_required", False, "Heemstede: no verdict"),
    ("formal_assessment", True, "Heemstede: beoordelingsgesprek with objection"),
    ("disagreement_mediation", True,
     "Heemstede, question 6: 'de naast-hogere leidinggevende of een onafhankelijk iemand als "
     "de P&O-adviseur'"),
    ("manager_functioning_on_agenda", True,
     "Heemstede: 'Ook het functioneren van de leidinggevende kan aan de orde komen'"),
    ("combined_planning_evaluation", True,
     "Heemstede: 'Het plannings- en evaluatiegesprek kan ook in een gesprek worden "
     "gecombineerd'"),
    ("designated_conversation_holder", True,
     "Heemstede: 'met de directe leidinggevende of een door hem/haar aangewezen persoon'"),
]

# Retention of personal data (access/retention.py): no source fixes a period.
PERSONAL_DATA = [
    ("retention_years", None, "none: the employer's archive rules; HR sets it"),
]

# Appeals and objections (consequences room).
FLEMISH_APPEALS = [
    ("appeal_days", 15, "[f3][f4][f5]: 15 calendar days after delivery"),
    ("appeal_body", "Raad van beroep (kamer 2)", "[f5]: chamber 2 of the Raad van beroep"),
    ("appeal_working_days", False, "[f3]: calendar days"),
    ("appeal_contract_staff", False, "[f3][f5]: statutory staff"),
    ("appeal_commission_advises", False, "[f3]: the appeal board decides"),
    ("unfitness_within_years", None, "federal rule [b2] only"),
    ("unfitness_minimum_worked_days", 240, "federal rule [b2], unused here"),
    ("objection_days", 15, "choice: no source names a term"),
    ("objection_committee", False, "Awb art. 7:10 lid 1: the employer's choice; none assumed"),
]
FEDERAL_APPEALS = [
    ("appeal_days", 20, "BOSA, Beroep [b6]: within 20 working days"),
    ("appeal_working_days", True, "[b6]: working days"),
    ("appeal_contract_staff", True, "[b6]: statutory and contract staff"),
    ("appeal_commission_advises", True,
     "[b6][b7]: the evaluation commission advises, the leidend ambtenaar decides"),
    ("unfitness_within_years", 4, "[b2]: two onvoldoende within four years"),
    ("unfitness_minimum_worked_days", 240, "[b2]: with at least 240 days worked"),
    ("appeal_body", "Leidend ambtenaar (advies van de evaluatiecommissie)",
     "[b6][b7]: to the leidend ambtenaar, the commission advises"),
    ("objection_days", 15, "choice: no source names a term"),
    ("objection_committee", False, "Awb art. 7:10 lid 1: the employer's choice; none assumed"),
]
NO_APPEAL_BOARD = [
    ("appeal_days", None, "no appeal board in this policy"),
    ("appeal_working_days", False, "no appeal"),
    ("appeal_contract_staff", False, "no appeal"),
    ("appeal_commission_advises", False, "no appeal"),
    ("unfitness_within_years", None, "federal rule [b2] only"),
    ("unfitness_minimum_worked_days", 240, "federal rule [b2], unused here"),
    ("appeal_body", "", "no appeal board in this policy"),
    ("objection_days", 15, "choice: no source names a term"),
    ("objection_committee", False, "Awb art. 7:10 lid 1: the employer's choice; none assumed"),
]

FLEMISH_RULES = [
    ("individual_work_plan", False, "Heemstede only"),
    ("preset", PolicyPreset.FLEMISH, "—"),
    ("version", "flemish-2024.1", "Part IV as replaced from 1 June 2024 [f10]"),
    ("period_kind", PeriodKind.CALENDAR_YEAR, "[f1]: the evaluation covers one calendar year"),
    ("period_starts", YearDay(1, 1), "[f1]: calendar year"),
    ("required_conversations", ("planning", "follow_up", "evaluation"), "PLOEG"),
    ("evaluation_window_opens", YearDay(12, 1, 0), "PLOEG: 'tussen 1 december …'; [f7]"),
    ("evaluation_window_closes", YearDay(3, 31, 1), "PLOEG: '… en 31 maart'"),
    ("first_signature_by", YearDay(3, 15, 1),
     "Prestatiemanagement: 1st evaluator signs by 15 March"),
    ("second_signature_by", YearDay(3, 31, 1),
     "Prestatiemanagement: 2nd by 31 March, report delivered"),
    ("handover_without_self_evaluation_from", YearDay(3, 15, 1),
     "[f7]: from 15 March the 1st evaluator's report alone hands over"),
    ("employee_signature_days", 15, "PLOEG: 'binnen de 15 kalenderdagen na ontvangst'"),
    ("receipt_day_counts", False, "choice: the day after receipt is day 1"),
    ("written_procedure_remark_days", 15, "[f2]: 15 calendar days for remarks"),
    ("verdicts", (VerdictOption("voldoende"), VerdictOption("onvoldoende"),
                  VerdictOption("loopbaanvertraging", statutory_seniority_only=True)),
     "PLOEG (three verdicts), Prestatiemanagement (career delay: statutory + seniority only), "
     "[f9]"),
    ("salary_steps", (0, 1, 2), "Prestatiemanagement: step 0/1/2; [f11][f12]"),
    ("eligibility", Eligibility.HOURS, "[f6]: '3 months' read as hours effectively worked"),
    ("minimum_hours", Decimal(479), "[f6]: 63 days × 7 h 36"),
    ("minimum_months", 3, "PLOEG: 'minder dan 3 maanden' (not used: hours rule)"),
    ("exempt_when_absent_months", 9, "[f22]: more than nine months not working"),
    ("maximum_period_months", 15, "[f1]: by agreement up to 15 months"),
    ("advanced_evaluation_months", 6, "PLOEG: 'vanaf de 6de maand die volgt'"),
    ("advanced_evaluation_counting", AdvancedCounting.CALENDAR_MONTHS,
     "choice: calendar months after the month of acknowledgement (the later reading)"),
    ("probation_assessment_months_before_end", None, "Dutch rule (Heemstede) only"),
    ("probation_workdays_per_month", 21, "[f18]: 'aantal maanden proeftijd x 21 werkdagen'"),
    ("probation_negative_contract_months", 3,
     "[f20], art. III 19: 'een arbeidsovereenkomst voor een bepaalde duur van drie maanden'"),
    ("stage_months", None, "federal rule [b12] only"),
    ("stage_planning_months", 1, "federal rule [b14], unused here"),
    ("stage_development_objectives", 2, "federal rule [b14], unused here"),
    ("stage_functioning_conversations", 3, "federal rule [b14], unused here"),
    ("stage_absence_free_workdays", 30, "federal rule [b12], unused here"),
    ("stage_extension_max_months", 4, "federal rule [b12][b13], unused here"),
    ("stage_dismissal_notice_months", 3, "federal rule [b13], unused here"),
    ("halfway_progress_conversation", False, "Dutch rule (Heemstede) only"),
    ("functioning_conversation_after_absence_days", None, "federal rule [b3] only"),
    ("functioning_conversation_after_regime_change", False, "federal rule [b3] only"),
    ("minimum_worked_days_between_conversations", None, "federal rule [b1] only"),
    ("late_evaluation_months", None, "federal rule [b2] only"),
    ("director_reads_reports", False, "PLOEG: only the employee and the evaluators"),
    ("hr_content_access", HrContentAccess.ON_GRANTED_REQUEST,
     "PLOEG: HR has no standard access, may request it"),
    ("improvement_plan_follow_up_months", 1, "PLOEG: 'maandelijks opgevolgd'; [f15]"),
    ("improvement_plan_source", ImprovementPlanSource.REMEDIATION,
     "Prestatiemanagement: informatie voor HR names the remediëringsgesprek"),
    ("pop_follow_up_months_min", 3, "the POP guide, Stap 3: every 3 to 6 months"),
    ("pop_follow_up_months_max", 6, "the POP guide, Stap 3"),
    ("pop_max_competencies", 5, "the POP guide: at most 5 competencies"),
    ("pop_priority_one_warning_above", 3, "the POP guide: priority 1 for 2–3 at most"),
    ("reminder_days_before", (14, 3), "choice: two weeks and three days ahead"),
    ("escalate_to_second_evaluator_after_days", 7, "choice"),
    ("escalate_to_hr_after_days", 21, "choice"),
    ("newcomer_planning_days", 90,
     "PLOEG-gesprekken, https://overheid.vlaanderen.be/personeel/loopbaan/ploeg-gesprekken: "
     "planning at the latest at the end of March, the first 90 days"),
    ("newcomer_progress_days", 90, "choice, as Heemstede (used only if switched on)"),
    ("other_evaluation_forms", True,
     "PLOEG: 'Voor topkaderfuncties bestaan andere evaluatievormen'"),
    ("evaluation_before_leaving", True,
     "Vlaams personeelsstatuut Deel IV, https://overheid.vlaanderen.be/BVR_Deel04-h1-h2: "
     "leavers may be evaluated with their consent"),
    ("second_evaluator_outranks", True,
     "PLOEG-gesprekken, https://overheid.vlaanderen.be/personeel/loopbaan/ploeg-gesprekken: "
     "a higher 2nd evaluator for everyone"),
    *GUIDING_QUESTIONS,
    *EVALUATION_REPORT,
    *PERSONAL_DATA,
    *FLEMISH_APPEALS,
]

FEDERAL_RULES = [
    ("individual_work_plan", False, "Heemstede only"),
    ("preset", PolicyPreset.FEDERAL, "—"),
    ("version", "federal-2022.1", "KB 24 Sep 2013 as amended, in force 1 Jan 2022 [b9]"),
    ("period_kind", PeriodKind.PER_PERSON, "[b1]: 12 months per person, not the calendar year"),
    ("period_starts", YearDay(1, 1), "unused: each person's own start [b10]"),
    ("required_conversations", ("evaluation",),
     "[b4]: one cycle conversation closes and plans"),
    ("evaluation_window_opens", None, "[b1]: no organisation-wide window"),
    ("evaluation_window_closes", None, "[b1]"),
    ("first_signature_by", None, "regulations.md: signature terms not found"),
    ("second_signature_by", None, "regulations.md: not found"),
    ("handover_without_self_evaluation_from", None, "Flemish practice [f7] only"),
    ("employee_signature_days", 15, "choice: PLOEG's term, federal term not found"),
    ("receipt_day_counts", False, "choice"),
    ("written_procedure_remark_days", 15, "choice"),
    ("verdicts", (VerdictOption("onvoldoende"),), "[b2]: the only mention since 2022"),
    ("salary_steps", (), "[b9][b10]: evaluation no longer drives pay"),
    ("eligibility", Eligibility.MONTHS, "PLOEG's '3 months' as whole months (choice)"),
    ("minimum_hours", Decimal(0), "not used: months rule"),
    ("minimum_months", 3, "choice: PLOEG's 3 months"),
    ("exempt_when_absent_months", None, "Flemish rule [f22] only"),
    ("maximum_period_months", 12, "[b1]: 12 months"),
    ("advanced_evaluation_months", 6, "choice: PLOEG's rule as a default"),
    ("advanced_evaluation_counting", AdvancedCounting.CALENDAR_MONTHS, "choice"),
    ("probation_assessment_months_before_end", None, "Dutch rule (Heemstede) only"),
    ("probation_workdays_per_month", None, "Flemish rule [f18] only"),
    ("probation_negative_contract_months", None, "Flemish rule [f20] only"),
    ("stage_months", 12, "[b12]: 'De evaluatieperiode van de stagiair duurt minimum een jaar'"),
    ("stage_planning_months", 1, "[b14]: 'in de eerste maand van de stage'"),
    ("stage_development_objectives", 2, "[b14]: 'minstens 2 ontwikkelingsdoelstellingen'"),
    ("stage_functioning_conversations", 3,
     "[b14]: 'Drie functioneringsgesprekken worden evenwichtig gespreid'"),
    ("stage_absence_free_workdays", 30,
     "[b12]: 'zonder rekening te houden met de eerste 30 werkdagen'"),
    ("stage_extension_max_months", 4, "[b12][b13]: 'verlengen met maximum 4 maanden'"),
    ("stage_dismissal_notice_months", 3, "[b13]: 'een opzeggingstermijn van 3 maanden'"),
    ("halfway_progress_conversation", False, "Dutch rule (Heemstede) only"),
    ("functioning_conversation_after_absence_days", 70, "[b3]: absence of more than 70 days"),
    ("functioning_conversation_after_regime_change", True,
     "[b3]: mandatory 'na een wijziging van het arbeidsregime'"),
    ("minimum_worked_days_between_conversations", 20, "[b1]: ≥ 20 days effectively worked"),
    ("late_evaluation_months", 3, "[b2]: not evaluated 3 months after the end → next cycle"),
    ("director_reads_reports", False, "[b5]: evaluator and P&O director only"),
    ("hr_content_access", HrContentAccess.ON_GRANTED_REQUEST, "choice, as PLOEG"),
    ("improvement_plan_follow_up_months", 1, "choice, as PLOEG"),
    ("improvement_plan_source", ImprovementPlanSource.REMEDIATION,
     "[b5][b15]: the P&O director follows up remediation"),
    ("pop_follow_up_months_min", 3, "the POP guide, Stap 3"),
    ("pop_follow_up_months_max", 6, "the POP guide, Stap 3"),
    ("pop_max_competencies", 5, "the POP guide"),
    ("pop_priority_one_warning_above", 3, "the POP guide"),
    ("reminder_days_before", (14, 3), "choice"),
    ("escalate_to_second_evaluator_after_days", 7, "choice"),
    ("escalate_to_hr_after_days", 21, "choice"),
    ("newcomer_planning_days", 30,
     "BOSA stagiairs, https://fedweb.belgium.be/nl/evaluatie/evaluatiecyclus_voor_"
     "personeelsleden/stagiairs/gesprekken: planning in the first month"),
    ("newcomer_progress_days", 90, "choice, as Heemstede (used only if switched on)"),
    ("evaluation_before_leaving", False, "not in the federal sources"),
    ("second_evaluator_outranks", False, "no rank rule in the federal sources"),
    ("other_evaluation_forms", False, "not in the federal sources"),
    *GUIDING_QUESTIONS,
    *FEDERAL_EVALUATION_REPORT,
    *PERSONAL_DATA,
    *FEDERAL_APPEALS,
]

DUTCH_RULES = [
    ("individual_work_plan", True, "Heemstede: 'het formulier Individueel werkplan'"),
    ("preset", PolicyPreset.DUTCH_MUNICIPAL, "—"),
    ("version", "dutch-municipal-2020.1", "after the Wnra, 1 Jan 2020 [n1]"),
    ("period_kind", PeriodKind.PLAN_YEAR, "Heemstede: the work plan holds for 12 months"),
    ("period_starts", YearDay(1, 1), "choice: most municipalities plan per calendar year"),
    ("required_conversations", ("planning", "progress", "evaluation"), "Heemstede"),
    ("evaluation_window_opens", None, "Heemstede: no window"),
    ("evaluation_window_closes", None, "Heemstede"),
    ("first_signature_by", None, "Heemstede"),
    ("second_signature_by", None, "Heemstede"),
    ("handover_without_self_evaluation_from", None, "Heemstede"),
    ("employee_signature_days", 14, "[n8]: a written reaction within 2 weeks"),
    ("receipt_day_counts", False, "choice"),
    ("written_procedure_remark_days", 14, "[n8]"),
    ("verdicts", (), "Heemstede: the evaluation conversation has no verdict"),
    ("salary_steps", (), "Heemstede"),
    ("eligibility", Eligibility.MONTHS, "choice: PLOEG's 3 months as whole months"),
    ("minimum_hours", Decimal(0), "not used: months rule"),
    ("minimum_months", 3, "choice"),
    ("exempt_when_absent_months", None, "Flemish rule [f22] only"),
    ("maximum_period_months", 12, "Heemstede: twelve months"),
    ("advanced_evaluation_months", 6, "choice"),
    ("advanced_evaluation_counting", AdvancedCounting.CALENDAR_MONTHS, "choice"),
    ("probation_assessment_months_before_end", 3,
     "Heemstede: '3 maanden voor de beëindiging van tijdelijke aanstelling bij wijze van proef'"),
    ("probation_workdays_per_month", None, "Flemish rule [f18] only"),
    ("probation_negative_contract_months", None, "Flemish rule [f20] only"),
    ("stage_months", None, "federal rule [b12] only"),
    ("stage_planning_months", 1, "federal rule [b14], unused here"),
    ("stage_development_objectives", 2, "federal rule [b14], unused here"),
    ("stage_functioning_conversations", 3, "federal rule [b14], unused here"),
    ("stage_absence_free_workdays", 30, "federal rule [b12], unused here"),
    ("stage_extension_max_months", 4, "federal rule [b12][b13], unused here"),
    ("stage_dismissal_notice_months", 3, "federal rule [b13], unused here"),
    ("halfway_progress_conversation", True,
     "Heemstede: 'één voortgangsgesprek (halverwege de looptijd …)'"),
    ("functioning_conversation_after_absence_days", None, "federal rule only"),
    ("functioning_conversation_after_regime_change", False, "federal rule only"),
    ("minimum_worked_days_between_conversations", None, "federal rule only"),
    ("late_evaluation_months", None, "federal rule only"),
    ("director_reads_reports", True,
     "Heemstede: 'De verslagen worden ook ingezien door de directeur'"),
    ("hr_content_access", HrContentAccess.STANDING,
     "Heemstede: 'opgenomen in het persoonsdossier'"),
    ("improvement_plan_follow_up_months", 1, "choice, as PLOEG"),
    ("improvement_plan_source", ImprovementPlanSource.IMPROVEMENT_POINTS,
     "Heemstede: improvement points raised in a progress conversation"),
    ("pop_follow_up_months_min", 3, "the POP guide"),
    ("pop_follow_up_months_max", 6, "the POP guide"),
    ("pop_max_competencies", 5, "the POP guide"),
    ("pop_priority_one_warning_above", 3, "the POP guide"),
    ("reminder_days_before", (14, 3), "choice"),
    ("escalate_to_second_evaluator_after_days", 7, "choice"),
    ("escalate_to_hr_after_days", 21, "choice"),
    ("newcomer_planning_days", 30,
     "Heemstede, 'Cyclus van jaargesprekken' (lokaleregelgeving.overheid.nl): 'het "
     "planningsgesprek vroeg in het eerste jaar' — within the first month (our reading)"),
    ("newcomer_progress_days", 90,
     "Heemstede: 'een aantal maanden na indiensttreding' — three months (our reading)"),
    ("evaluation_before_leaving", False, "not in Heemstede"),
    ("second_evaluator_outranks", False, "no ranks in Heemstede"),
    ("other_evaluation_forms", False, "not in Heemstede"),
    *GUIDING_QUESTIONS,
    *DUTCH_EVALUATION_REPORT,
    *PERSONAL_DATA,
    *NO_APPEAL_BOARD,
]

TABLES = {"flemish": (FLEMISH, FLEMISH_RULES), "federal": (FEDERAL, FEDERAL_RULES),
          "dutch": (DUTCH_MUNICIPAL, DUTCH_RULES)}


def rows():
    for name, (preset, table) in TABLES.items():
        for field, value, source in table:
            yield pytest.param(preset, field, value, id=f"{name}:{field} [{source}]")


@pytest.mark.parametrize(("preset", "field", "expected"), list(rows()))
def test_preset_rule(preset: Policy, field: str, expected: object):
    assert getattr(preset, field) == expected


@pytest.mark.parametrize("name", TABLES)
def test_the_tables_cover_every_field(name):
    _preset, table = TABLES[name]
    fields = [field for field, _value, _source in table]
    assert sorted(fields) == sorted(f.name for f in dataclasses.fields(Policy))
    assert len(fields) == len(set(fields))


def test_the_presets_are_registered_under_their_codes():
    assert PRESETS == {PolicyPreset.FLEMISH: FLEMISH, PolicyPreset.FEDERAL: FEDERAL,
                       PolicyPreset.DUTCH_MUNICIPAL: DUTCH_MUNICIPAL}


def test_479_hours_is_63_days_of_7_hours_36_rounded_up():
    # [f6]: "minstens 63 werkdagen × 7u36" = 478.8 h, applied as 479.
    assert FLEMISH.minimum_hours == math.ceil(63 * Decimal("7.6"))


# Which verdicts an evaluator may give, by employment status and salary system.
# (preset, statutory, seniority-based, verdicts, source)
VERDICTS = [
    (FLEMISH, True, True, ("voldoende", "onvoldoende", "loopbaanvertraging"),
     "Prestatiemanagement: statutory staff in the seniority system may get loopbaanvertraging"),
    (FLEMISH, True, False, ("voldoende", "onvoldoende"),
     "Prestatiemanagement: evaluation-based: no delay"),
    (FLEMISH, False, True, ("voldoende", "onvoldoende"),
     "Prestatiemanagement: contract staff: no delay"),
    (FLEMISH, False, False, ("voldoende", "onvoldoende"), "Prestatiemanagement"),
    (FEDERAL, True, True, ("onvoldoende",), "[b2]: only the mention onvoldoende"),
    (FEDERAL, False, False, ("onvoldoende",), "[b2]"),
    (DUTCH_MUNICIPAL, True, True, (), "Heemstede: no verdict"),
    (DUTCH_MUNICIPAL, False, False, (), "Heemstede: no verdict"),
]


@pytest.mark.parametrize(
    ("preset", "statutory", "seniority", "expected"),
    [pytest.param(*row[:4], id=f"{row[0].preset}-{row[1]}-{row[2]} [{row[4]}]")
     for row in VERDICTS],
)
def test_verdicts_for(preset: Policy, statutory: bool, seniority: bool, expected: tuple[str]):
    assert preset.verdicts_for(statutory=statutory, seniority=seniority) == expected


@pytest.mark.parametrize("preset", PRESETS.values(), ids=str)
def test_every_preset_passes_its_own_checks(preset: Policy):
    assert check(preset) == {}


@pytest.mark.parametrize("preset", PRESETS.values(), ids=str)
def test_every_preset_value_lies_within_the_bounds_hr_may_choose(preset: Policy):
    """Otherwise HR could not type a preset value back after changing it."""
    outside = []
    for name, setting in SETTINGS.items():
        value = getattr(preset, name)
        if value is None:
            if not setting.optional:
                outside.append(name)
            continue
        numbers = value if isinstance(value, tuple) else (value,)
        for number in numbers:
            if isinstance(number, int | Decimal) and not isinstance(number, bool) \
                    and not setting.minimum <= number <= setting.maximum:
                outside.append(name)
    assert outside == []
