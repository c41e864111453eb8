"""What each regime calls its roles, its evaluation and its bodies: the words in one place.

The three regimes name the same roles differently, and some have bodies the others lack.
A Dutch municipality's staff speak of their "leidinggevende" and the "naast-hogere
leidinggevende", never of a "1ste evaluator", and a municipality has no appeal board,
no management body deciding salary steps and, since its staff are employed under civil
law, no statutory staff. The pages and the API ask ``terms_for`` with the organisation's
preset (read with the viewer, so asking adds no query); the verdicts' names stay in
``rulebook.verdicts``, which ``Terms.verdict`` asks.

Sources, by public title:

- Flemish government: "Planning, opvolging en evaluatie (PLOEG)" and "Prestatiemanagement:
  informatie voor HR" (Vlaamse overheid): the 1st and 2nd evaluator, the annual
  evaluation, the management body (managementorgaan) that decides salary steps, the
  advisory body (adviesorgaan) for objections, the salary system on the basis of
  seniority or of evaluation; the Vlaams personeelsstatuut, part IV: the appeal to the
  Raad van beroep.
- Belgian federal administration: BOSA, "Evaluatie — betrokkenen": the evaluator is the
  hierarchical superior (hiërarchische meerdere), who may delegate to a functional chief;
  "Evaluatie — contractuelen en statutairen": a cycle of 12 months per person, closed in
  the evaluation cycle's conversation; "Evaluatie — beroep": the appeal to the leidend
  ambtenaar, advised by the evaluation commission. No management body decides salary
  steps.
- Dutch municipalities: Gemeente Heemstede, regeling "Cyclus van jaargesprekken": the
  conversations are held with the "direct leidinggevende"; in a disagreement "de
  naast-hogere leidinggevende" is called in; the cycle closes with the evaluation
  conversation (evaluatiegesprek). Since the Wet normalisering rechtspositie ambtenaren
  (1 January 2020) municipal staff are employed under civil law: no statutory status,
  no appeal board.
"""

from dataclasses import dataclass, replace

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy, pgettext_lazy

from koers.organisation.models import PolicyPreset
from koers.rulebook.verdicts import verdict_label


@dataclass(frozen=True)
class Terms:
    """One regime's words (lazy: translated when shown) and which of the facts and bodies
    it knows. A body that is ``None`` does not exist in the regime: its pages and menu
    entries are not offered (``consequences.permissions``)."""

    preset: str
    # The roles, without an article, as a table header or a label says them.
    first_evaluator: Promise
    second_evaluator: Promise
    # Both roles together ("Visible to the employee and the evaluators").
    evaluators: Promise
    # The signature steps and what they leave, each a whole phrase (the languages decline
    # the role): "Signature of the 1st evaluator" (a step of the cycle), "signed by the
    # 1st evaluator" (an evaluation's state, a count on the dashboard).
    first_signature: Promise
    second_signature: Promise
    signed_by_first: Promise
    signed_by_second: Promise
    # The evaluation that closes the period.
    annual_evaluation: Promise
    # A period by its year, with ``%(year)s`` where the year goes ("evaluation period
    # 2026"): the one name the pages, the API and the documents give it (``period_name``).
    period: Promise
    # What the report's conclusion is called, as a heading or a label says it
    # ("Einduitspraak"; a Dutch municipality's "Beoordeling"), and the note a report
    # without one carries where the policy gives none.
    verdict_name: Promise
    without_verdict: Promise
    # Whether the period's name already names the evaluation (federal: the
    # "evaluatiecyclus 2025" is the period and its evaluation at once), so that a title
    # says the period alone rather than "evaluatiecyclus, evaluatiecyclus 2025".
    period_names_evaluation: bool
    # Who decides an appeal against a verdict; None: no appeal against a verdict.
    appeal_body: Promise | None
    # Who decides salary steps, and who advises on an objection to one; None: none.
    management_body: Promise | None
    advisory_body: Promise | None
    # Whether staff are statutory or contractual (a Belgian distinction).
    employment_status: bool
    # Whether staff are in a seniority- or evaluation-based salary system (Flanders).
    salary_system: bool
    # The trial period of a new appointment and its pages, each a whole phrase: the
    # Flemish and Dutch "proeftijd", the federal "stage" of the stagiair.
    probation: Promise  # a link or a table header ("Probation")
    probation_of: Promise  # with %(name)s: a heading, the way back
    record_probation_of: Promise  # with %(name)s: the record form's heading
    record_probation: Promise  # the link to the record form
    record_the_probation: Promise  # the record form's button
    probation_recorded: Promise  # said once recorded
    probation_why: Promise  # the record form's questions: why, from when
    probation_starts_on: Promise
    probation_link: Promise  # from the evaluation to its probation
    probations_latest_first: Promise  # the list's caption
    no_probation: Promise  # the empty list
    probation_ended_on: Promise
    # The evaluation that closes it: its kind's name, its heading (with %(name)s), the
    # button that opens it and what is said once open.
    probation_evaluation: Promise
    probation_evaluation_title: Promise
    probation_evaluation_of: Promise
    open_probation_evaluation: Promise
    probation_evaluation_opened: Promise
    probation_evaluation_not_open: Promise
    probation_evaluations: Promise  # the list's heading and caption
    probation_evaluations_latest_first: Promise
    # The step of the cycle that assesses it (the person's timeline), and the person's
    # fact of its end.
    probation_assessment: Promise
    probation_end: Promise
    # The refusals of its record, each a whole phrase (the languages give "proeftijd" and
    # "stage", "Probezeit" and "Praktikum" their own articles).
    probation_reason_missing: Promise
    probation_starts_too_early: Promise  # before the person's start date
    probation_recorded_already: Promise  # one starting on that day
    probation_absence_before: Promise  # a day not worked before it starts
    probation_not_recorded: Promise  # with %(name)s: no record to open its evaluation on
    probation_no_mentor: Promise  # a mentor given where the regime names none
    # Who guides the new colleague beside the evaluators; None: the regime's sources name
    # no such person and the record does not ask for one.
    mentor: Promise | None
    # How the record's end is computed, as the form that records it explains
    # (``rulebook.probation.probation_end``, ``rulebook.stage.stage_end``).
    probation_end_rule: Promise
    # A period whose evaluation lapsed, with %(day)s ([b2]: federal, not evaluated 3
    # months after the cycle, the next cycle started without a mention; the timeline and
    # the API say it). None: nothing lapses in the regime.
    evaluation_lapsed: Promise | None

    def verdict(self, verdict: str) -> str:
        """What the regime calls ``verdict`` (``rulebook.verdicts.verdict_label``)."""
        return verdict_label(self.preset, verdict)


FLEMISH = Terms(
    preset=PolicyPreset.FLEMISH,
    # PLOEG, Prestatiemanagement: "1ste evaluator", "2de evaluator".
    first_evaluator=pgettext_lazy("Flemish term", "1st evaluator"),
    second_evaluator=pgettext_lazy("Flemish term", "2nd evaluator"),
    evaluators=pgettext_lazy("Flemish term", "evaluators"),
    first_signature=gettext_lazy("Signature of the 1st evaluator"),
    second_signature=gettext_lazy("Signature of the 2nd evaluator"),
    signed_by_first=gettext_lazy("signed by the 1st evaluator"),
    signed_by_second=gettext_lazy("signed by the 2nd evaluator"),
    annual_evaluation=pgettext_lazy("Flemish term", "annual evaluation"),  # PLOEG
    # PLOEG: the evaluatieperiode, the year the planning and follow-up run in.
    period=pgettext_lazy("Flemish term", "evaluation period %(year)s"),
    # Prestatiemanagement: the einduitspraak.
    verdict_name=gettext_lazy("Verdict"),
    without_verdict=gettext_lazy("No verdict: this policy records the conversation without one."),
    # Vlaams personeelsstatuut, part IV: chamber 2 of the Raad van beroep.
    period_names_evaluation=False,
    appeal_body=pgettext_lazy("Flemish term", "appeal board"),
    # Prestatiemanagement: the managementorgaan decides, the adviesorgaan advises.
    management_body=pgettext_lazy("Flemish term", "management body"),
    advisory_body=pgettext_lazy("Flemish term", "advisory body"),
    employment_status=True,
    salary_system=True,
    # Vlaams personeelsstatuut (proeftijd): the probationer has a mentor (meter of peter)
    # besides the evaluators.
    probation=gettext_lazy("Probation"),
    probation_of=gettext_lazy("Probation of %(name)s"),
    record_probation_of=gettext_lazy("Record a probation of %(name)s"),
    record_probation=gettext_lazy("Record a probation"),
    record_the_probation=gettext_lazy("Record the probation"),
    probation_recorded=gettext_lazy("The probation is recorded."),
    probation_why=gettext_lazy("Why is the person on probation?"),
    probation_starts_on=gettext_lazy("Probation starts on"),
    probation_link=gettext_lazy("The probation: its end and what follows"),
    probations_latest_first=gettext_lazy("Probations, the latest first"),
    no_probation=gettext_lazy("No probation is recorded."),
    probation_ended_on=gettext_lazy("Probation ended on"),
    probation_evaluation=gettext_lazy("probation evaluation"),
    probation_evaluation_title=gettext_lazy("Probation evaluation"),
    probation_evaluation_of=gettext_lazy("Probation evaluation of %(name)s"),
    open_probation_evaluation=gettext_lazy("Open the probation evaluation"),
    probation_evaluation_opened=gettext_lazy("The probation evaluation is open."),
    probation_evaluation_not_open=gettext_lazy("The probation evaluation is not open yet."),
    probation_evaluations=gettext_lazy("Probation evaluations"),
    probation_evaluations_latest_first=gettext_lazy("Probation evaluations, the latest first"),
    probation_assessment=gettext_lazy("Probation assessment"),
    probation_end=gettext_lazy("End of probation"),
    probation_reason_missing=gettext_lazy("Choose why the person is on probation."),
    probation_starts_too_early=gettext_lazy("The probation starts on or after the start date."),
    probation_recorded_already=gettext_lazy(
        "A probation starting on that day is recorded already."),
    probation_absence_before=gettext_lazy("A day not worked lies within the probation."),
    probation_not_recorded=gettext_lazy(
        "%(name)s has no probation recorded: HR records it first."),
    probation_no_mentor=gettext_lazy("This regime names no mentor for a probation: leave it out."),
    mentor=gettext_lazy("Mentor"),
    probation_end_rule=gettext_lazy(
        "The end is computed: the number of months times 21 working days, from the first "
        "day, without counting weekends, public holidays and the days not worked. "
        "Part-time work is not pro rata: a day worked part-time counts whole."),
    evaluation_lapsed=None,
)

FEDERAL = Terms(
    preset=PolicyPreset.FEDERAL,
    # BOSA, "Evaluatie — betrokkenen": the evaluator, the hierarchical superior.
    first_evaluator=pgettext_lazy("federal term", "evaluator"),
    second_evaluator=pgettext_lazy("federal term", "hierarchical superior"),
    evaluators=pgettext_lazy("federal term", "evaluators"),
    first_signature=pgettext_lazy("federal term", "Signature of the evaluator"),
    second_signature=pgettext_lazy("federal term", "Signature of the hierarchical superior"),
    signed_by_first=pgettext_lazy("federal term", "signed by the evaluator"),
    signed_by_second=pgettext_lazy("federal term", "signed by the hierarchical superior"),
    # BOSA, "Evaluatie — contractuelen en statutairen": the evaluation cycle.
    annual_evaluation=pgettext_lazy("federal term", "evaluation cycle"),
    # BOSA, "Evaluatie — contractuelen en statutairen": the evaluatiecyclus of 12 months.
    period=pgettext_lazy("federal term", "evaluation cycle %(year)s"),
    verdict_name=gettext_lazy("Verdict"),
    without_verdict=gettext_lazy("No verdict: this policy records the conversation without one."),
    # BOSA, "Evaluatie — beroep": the leidend ambtenaar, on the commission's advice.
    period_names_evaluation=True,
    appeal_body=pgettext_lazy("federal term", "leidend ambtenaar"),
    management_body=None,
    advisory_body=None,
    employment_status=True,  # statutory and contract staff alike are evaluated
    salary_system=False,
    # BOSA, "Evaluatieperiode stagiair" and Fedweb, "Stagiairs — Gesprekken": the stage of
    # the stagiair, closed by the final conversation; neither names a mentor, only the
    # evaluator who holds the stage's conversations.
    probation=pgettext_lazy("federal term", "Stage"),
    probation_of=pgettext_lazy("federal term", "Stage of %(name)s"),
    record_probation_of=pgettext_lazy("federal term", "Record a stage of %(name)s"),
    record_probation=pgettext_lazy("federal term", "Record a stage"),
    record_the_probation=pgettext_lazy("federal term", "Record the stage"),
    probation_recorded=pgettext_lazy("federal term", "The stage is recorded."),
    probation_why=pgettext_lazy("federal term", "Why does the person do a stage?"),
    probation_starts_on=pgettext_lazy("federal term", "Stage starts on"),
    probation_link=pgettext_lazy("federal term", "The stage: its end and what follows"),
    probations_latest_first=pgettext_lazy("federal term", "Stages, the latest first"),
    no_probation=pgettext_lazy("federal term", "No stage is recorded."),
    probation_ended_on=pgettext_lazy("federal term", "Stage ended on"),
    probation_evaluation=pgettext_lazy("federal term", "evaluation of the stage"),
    probation_evaluation_title=pgettext_lazy("federal term", "Evaluation of the stage"),
    probation_evaluation_of=pgettext_lazy("federal term", "Evaluation of the stage of %(name)s"),
    open_probation_evaluation=pgettext_lazy("federal term", "Open the evaluation of the stage"),
    probation_evaluation_opened=pgettext_lazy("federal term",
                                              "The evaluation of the stage is open."),
    probation_evaluation_not_open=pgettext_lazy("federal term",
                                                "The evaluation of the stage is not open yet."),
    probation_evaluations=pgettext_lazy("federal term", "Evaluations of the stage"),
    probation_evaluations_latest_first=pgettext_lazy(
        "federal term", "Evaluations of the stage, the latest first"),
    probation_assessment=pgettext_lazy("federal term", "Assessment of the stage"),
    probation_end=pgettext_lazy("federal term", "End of the stage"),
    probation_reason_missing=pgettext_lazy("federal term", "Choose why the person does a stage."),
    probation_starts_too_early=pgettext_lazy("federal term",
                                             "The stage starts on or after the start date."),
    probation_recorded_already=pgettext_lazy(
        "federal term", "A stage starting on that day is recorded already."),
    probation_absence_before=pgettext_lazy("federal term",
                                           "A day not worked lies within the stage."),
    probation_not_recorded=pgettext_lazy(
        "federal term", "%(name)s has no stage recorded: HR records it first."),
    probation_no_mentor=pgettext_lazy("federal term",
                                      "This regime names no mentor for a stage: leave it out."),
    mentor=None,
    # [b12]: at least a year; the working days not worked beyond thirty extend it.
    probation_end_rule=pgettext_lazy(
        "federal term",
        "The end is computed: the number of months from the first day, at least twelve; "
        "each working day not worked beyond the first thirty moves it on by one working "
        "day."),
    # BOSA, "Evaluatie – contractuelen en statutairen" [b2]: not evaluated 3 months after
    # the end of the cycle, and not absent: the next cycle is activated without a mention.
    evaluation_lapsed=pgettext_lazy(
        "federal term", "Lapsed on %(day)s: not evaluated within 3 months after the "
        "evaluation cycle, the next evaluation cycle started without a mention."),
)

DUTCH_MUNICIPAL = replace(
    FLEMISH,
    preset=PolicyPreset.DUTCH_MUNICIPAL,
    # Heemstede, "Cyclus van jaargesprekken": the (direct) leidinggevende and, in a
    # disagreement, the naast-hogere leidinggevende.
    first_evaluator=pgettext_lazy("Dutch municipal term", "manager"),
    second_evaluator=pgettext_lazy("Dutch municipal term", "next-higher manager"),
    evaluators=pgettext_lazy("Dutch municipal term", "managers"),
    first_signature=pgettext_lazy("Dutch municipal term", "Signature of the manager"),
    second_signature=pgettext_lazy("Dutch municipal term",
                                   "Signature of the next-higher manager"),
    signed_by_first=pgettext_lazy("Dutch municipal term", "signed by the manager"),
    signed_by_second=pgettext_lazy("Dutch municipal term",
                                   "signed by the next-higher manager"),
    annual_evaluation=pgettext_lazy("Dutch municipal term", "evaluation conversation"),
    # Heemstede, "Cyclus van jaargesprekken": the gesprekscyclus of a (plan) year.
    period=pgettext_lazy("Dutch municipal term", "conversation cycle %(year)s"),
    # Heemstede, "Cyclus van jaargesprekken": the evaluation conversation has no verdict;
    # only a formal assessment (beoordelingsgesprek) concludes with a beoordeling.
    verdict_name=pgettext_lazy("Dutch municipal term", "Assessment"),
    without_verdict=pgettext_lazy(
        "Dutch municipal term",
        "No assessment: the evaluation conversation is recorded without one."),
    period_names_evaluation=False,
    appeal_body=None,
    management_body=None,
    advisory_body=None,
    employment_status=False,  # civil-law employment since 2020
    salary_system=False,
    # The proeftijd of a temporary appointment, assessed before it ends, in the Flemish
    # words (the probation fields are taken over); Heemstede's regeling names no mentor,
    # and a Dutch probation is not recorded.
    mentor=None,
    evaluation_lapsed=None,  # nothing lapses
)

TERMS: dict[str, Terms] = {
    PolicyPreset.FLEMISH: FLEMISH,
    PolicyPreset.FEDERAL: FEDERAL,
    PolicyPreset.DUTCH_MUNICIPAL: DUTCH_MUNICIPAL,
}

# For a viewer of no organisation (a superuser): the words the product started with.
DEFAULT = FLEMISH


def terms_for(preset: str | None) -> Terms:
    """The words of the regime ``preset`` names (an organisation's ``policy_preset`` or a
    policy's ``preset``); the default words for none or an unknown one."""
    return TERMS.get(preset or "", DEFAULT)


def period_name(preset: str | None, year: int) -> str:
    """The name of the period of ``year`` in the words of the regime ``preset`` names
    ("evaluatieperiode 2026", "gesprekscyclus 2026"), in the active language, lower case
    as in a sentence (``capfirst`` where it starts one).

    A period is named by the year it runs in: the year of its cycle, the year it starts
    in (a Flemish or Dutch period on the policy's first day of that year, a federal
    12-month period on the person's own day in it). Not by the year it is evaluated in:
    a Flemish period of 2026 is evaluated early in 2027 and a federal one mostly ends in
    the next year, yet it is the same period all along, and HR opens it as the cycle of
    that year (``cycles.services.cycle_open``).
    """
    return str(terms_for(preset).period) % {"year": year}
