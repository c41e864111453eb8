"""Forms of the evaluation pages. The rules live in koers.evaluations (services, rules);
a form only shapes the input and, for a clear message next to the field, asks the same
rule the service asks (the day of an advanced evaluation).
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from koers.conversations.models import Conversation
from koers.evaluations import rules
from koers.evaluations.models import FormalReason
from koers.evaluations.states import ObjectionOutcome
from koers.organisation.models import Person
from koers.rulebook.presets import Policy
from koers.rulebook.probation import ProbationReason
from koers.rulebook.stage import StageOutcome
from koers.rulebook.terms import Terms
from koers.rulebook.verdicts import verdict_criteria
from koers.web.page.forms import DateInput, KoersFormMixin

ITEM_PREFIX = "item_"


def item_field(position: int) -> str:
    return f"{ITEM_PREFIX}{position}"


class _ItemsForm(KoersFormMixin, forms.Form):
    """A text per goal (``item_<position>``) and an overall text, with the revision the
    page started from (optimistic locking: the service refuses a stale save)."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    overall: forms.CharField

    def __init__(self, *args: Any, goals: Sequence[tuple[int, str]], item_label: str,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.goals = list(goals)
        for position, title in self.goals:
            self.fields[item_field(position)] = forms.CharField(
                label=title, required=False, max_length=20_000,
                widget=forms.Textarea(attrs={"rows": 5}), help_text=item_label,
            )
        # The overall text comes last, after the goals, as on paper.
        self.fields["overall"] = self.fields.pop("overall")
        self.style_fields()

    def items(self) -> dict[int, str]:
        return {position: self.cleaned_data.get(item_field(position), "")
                for position, _title in self.goals}

    def item_fields(self) -> list[tuple[int, forms.BoundField]]:
        return [(position, self[item_field(position)]) for position, _title in self.goals]


class SelfEvaluationForm(_ItemsForm):
    overall = forms.CharField(
        label=_("Overall self-evaluation"), required=False, max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Your look back on the whole period, beyond the separate goals."),
    )

    def __init__(self, *args: Any, goals: Sequence[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, goals=goals,
                         item_label=str(_("Your look back on this goal.")), **kwargs)


class ReportForm(_ItemsForm):
    overall = forms.CharField(
        label=_("Overall evaluation"), required=False, max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    verdict = forms.ChoiceField(label=_("Verdict"), required=False,
                                widget=forms.RadioSelect)
    advanced_evaluation_on = forms.DateField(
        label=_("Advanced evaluation on"), required=False, widget=DateInput(),
        help_text=_("Optional, only after onvoldoende: the next evaluation is held earlier, "
                    "at the earliest on the day shown."),
    )

    def __init__(self, *args: Any, goals: Sequence[tuple[int, str]],
                 verdicts: Iterable[tuple[str, str]], policy: Policy, today: dt.date,
                 saved_advanced: dt.date | None = None, advances: bool = True,
                 **kwargs: Any) -> None:
        super().__init__(*args, goals=goals,
                         item_label=str(_("Your evaluation of this goal.")), **kwargs)
        choices = list(verdicts)
        if choices:
            self.fields["verdict"].choices = choices  # type: ignore[attr-defined]
            self.fields["verdict"].widget.attrs = {}
            self.fields["verdict"].help_text = str(
                _("Required to sign the report.") if policy.verdict_required
                else _("A mention is given only for underperformance; otherwise leave it "
                       "at no mention."))
        else:
            del self.fields["verdict"]  # the policy gives no verdict (Dutch preset)
        # The regime's criteria of a verdict, shown beside it ([b2]).
        self.criteria = {code: verdict_criteria(policy, code) for code, _label in choices}
        # The rule decides on the day chosen; the earliest day only guides the browser.
        self.policy, self.today = policy, today
        self.saved_advanced = saved_advanced
        # ``advances``: the kind may be advanced at all (``rules.may_be_advanced``).
        if ("verdict" not in self.fields or rules.ADVANCING_VERDICT not in dict(choices)
                or not advances):
            del self.fields["advanced_evaluation_on"]
        else:
            # The browser offers only allowed days; clean() checks them again.
            earliest = rules.advanced_earliest(policy, acknowledged_on=today)
            lowest = min(earliest, saved_advanced or earliest)
            self.fields["advanced_evaluation_on"].widget.attrs["min"] = lowest.isoformat()

    @property
    def verdict_radios(self) -> list[tuple[Any, str]]:
        """Each verdict's radio button with the regime's criteria for it (or "")."""
        return [(radio, self.criteria.get(str(radio.data["value"]), ""))
                for radio in self["verdict"]]

    @property
    def has_verdict(self) -> bool:
        return "verdict" in self.fields

    @property
    def offers_advanced(self) -> bool:
        return "advanced_evaluation_on" in self.fields

    def verdict_value(self) -> str:
        """The verdict the form shows now: posted, or else the saved one."""
        if not self.has_verdict:
            return ""
        value = self["verdict"].value()
        return str(value or "")

    def show_advanced(self) -> bool:
        """The date field is offered only with onvoldoende."""
        return self.offers_advanced and self.verdict_value() == rules.ADVANCING_VERDICT

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        refused = rules.advanced_date_error(
            self.policy, verdict=cleaned.get("verdict") or "",
            chosen=cleaned.get("advanced_evaluation_on"), saved=self.saved_advanced,
            today=self.today)
        if refused:
            self.add_error("advanced_evaluation_on", refused)
        return cleaned

    def advanced_day(self) -> dt.date | None:
        if not self.show_advanced():
            return None
        day: dt.date | None = self.cleaned_data.get("advanced_evaluation_on")
        return day


class SignForm(KoersFormMixin, forms.Form):
    """Sign the version the page showed; a newer version or revision is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    remarks = forms.CharField(
        label=_("Your remarks"), required=False, max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Optional. They become part of the signed report."),
    )

    def __init__(self, *args: Any, with_remarks: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_remarks:
            del self.fields["remarks"]
        self.style_fields()


class ReasonForm(KoersFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=5_000,
                             widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, help_text: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = help_text
        self.style_fields()


class DraftRemarksForm(KoersFormMixin, forms.Form):
    remarks = forms.CharField(label=_("Your remarks on the draft"), max_length=20_000,
                              widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()


class ObjectionForm(KoersFormMixin, forms.Form):
    filed_on = forms.DateField(label=_("Filed on"), widget=DateInput())
    text = forms.CharField(label=_("Objection"), max_length=20_000,
                           widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()


class ObjectionDecisionForm(KoersFormMixin, forms.Form):
    """The decision on an objection, as the body that decides took it."""

    outcome = forms.ChoiceField(label=_("Decision on the objection"), widget=forms.RadioSelect,
                                choices=ObjectionOutcome.choices)
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput())
    body = forms.CharField(label=_("Decided by"), max_length=200,
                           help_text=_("The body that decided, e.g. the college van "
                                       "burgemeester en wethouders."))
    motivation = forms.CharField(label=_("Motivation"), max_length=20_000,
                                 widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()


class FormalAssessmentForm(KoersFormMixin, forms.Form):
    formal_reason = forms.ChoiceField(label=_("Why is the formal assessment held?"),
                                      choices=FormalReason.choices)
    improvement_conversation = forms.ModelChoiceField(
        label=_("Progress conversation in which the improvement points were raised"),
        queryset=Conversation.objects.none(),
        help_text=_("A formal assessment is possible only after improvement points were "
                    "raised in an earlier progress conversation."),
    )

    def __init__(self, *args: Any, conversations: QuerySet[Conversation],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["improvement_conversation"]
        field.queryset = conversations  # type: ignore[attr-defined]
        field.label_from_instance = _conversation_label  # type: ignore[attr-defined]
        self.style_fields()


def _conversation_label(conversation: Conversation) -> str:
    day = conversation.held_on or conversation.starts_at.date()
    return f"{conversation.get_kind_display()} · {day:%d-%m-%Y}"


def _days(text: str) -> list[dt.date]:
    """One date a line or separated by commas (2025-04-01 or 01-04-2025)."""
    days = []
    for part in text.replace(",", "\n").split():
        for pattern in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
            try:
                days.append(dt.datetime.strptime(part, pattern).date())
                break
            except ValueError:
                continue
        else:
            raise forms.ValidationError(
                _("“%(value)s” is not a date: write it as 2025-04-01 or 01-04-2025."),
                params={"value": part})
    return days


class ProbationAbsencesForm(KoersFormMixin, forms.Form):
    absences = forms.CharField(
        label=_("Days not worked"), required=False, max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Whole days of absence that are no working days, one a line (2025-04-01). "
                    "Public holidays are counted already."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()

    def clean_absences(self) -> list[dt.date]:
        return _days(self.cleaned_data["absences"])


class ProbationForm(ProbationAbsencesForm):
    reason = forms.ChoiceField(label=_("Why is the person on probation?"),
                               choices=ProbationReason.choices)
    starts_on = forms.DateField(label=_("Probation starts on"), widget=DateInput())
    months = forms.IntegerField(label=_("Length in months"), min_value=1, max_value=36)
    mentor = forms.ModelChoiceField(
        label=_("Mentor"), required=False, queryset=Person.objects.none(),
        help_text=_("The mentor guides the new colleague; the evaluators evaluate. The mentor "
                    "cannot be one of the evaluators."))
    field_order = ("reason", "starts_on", "months", "mentor", "absences")

    def __init__(self, *args: Any, colleagues: QuerySet[Person], terms: Terms,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The record's regime names the period; a regime whose sources name no mentor
        # (the federal stage) is not asked for one.
        self.fields["reason"].label = str(terms.probation_why)
        self.fields["starts_on"].label = str(terms.probation_starts_on)
        if terms.mentor is None:
            del self.fields["mentor"]
        else:
            self.fields["mentor"].label = str(terms.mentor)
            self.fields["mentor"].queryset = colleagues  # type: ignore[attr-defined]
        self.order_fields(self.field_order)


class StageOutcomeForm(KoersFormMixin, forms.Form):
    """HR records how a federal stage goes on or ends ([b12][b13]); the choices are the
    ones the rules allow today (``evaluations.probation.StageProgress.outcomes``), and
    nothing is chosen beforehand."""

    outcome = forms.ChoiceField(label=_("Outcome of the stage"), widget=forms.RadioSelect)
    extension_months = forms.IntegerField(
        label=_("Extension in months"), required=False, min_value=1, max_value=12,
        help_text=_("Only for an extension."))
    serious_fault = forms.BooleanField(
        label=_("Dismissal for a serious fault (without notice)"), required=False)

    def __init__(self, *args: Any, outcomes: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["outcome"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(value, StageOutcome(value).label) for value in outcomes]
        self.style_fields()
