"""Forms of the appeal, salary-decision and objection pages. The rules live in
``koers.consequences`` (rules, services); a form only shapes the input."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from koers.consequences.models import UnfitnessDecision
from koers.consequences.states import AppealOutcome
from koers.web.page.forms import DateInput, KoersFormMixin

STEP_PREFIX = "step_"
MAX_TEXT = 20_000


def step_field(evaluation_id: int) -> str:
    return f"{STEP_PREFIX}{evaluation_id}"


def _step_choices(steps: Iterable[int], *, empty: str | None) -> list[tuple[str, str]]:
    choices = [("", empty)] if empty is not None else []
    return [*choices, *((str(step), str(_("step %(step)s") % {"step": step}))
                        for step in steps)]


class AppealForm(KoersFormMixin, forms.Form):
    grounds = forms.CharField(
        label=_("Grounds of the appeal"), max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("An appeal must be reasoned: say why the verdict is not right."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()


class HearingForm(KoersFormMixin, forms.Form):
    hearing_on = forms.DateField(label=_("Day of the hearing"), widget=DateInput())
    notes = forms.CharField(label=_("Notes of the hearing"), required=False,
                            max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()


class OutcomeForm(KoersFormMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=AppealOutcome.choices,
                                widget=forms.RadioSelect)
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput())
    remarks = forms.CharField(label=_("Remarks on the decision"), required=False,
                              max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, outcomes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = outcomes  # type: ignore[attr-defined]
        self.style_fields()


class AppealAdviceForm(KoersFormMixin, forms.Form):
    """The evaluation commission's advice on an appeal ([b6][b7])."""

    advice = forms.ChoiceField(label=_("Advice of the commission"),
                               choices=AppealOutcome.choices, widget=forms.RadioSelect)
    advised_on = forms.DateField(label=_("Advised on"), widget=DateInput())
    remarks = forms.CharField(label=_("Remarks on the advice"), required=False,
                              max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, outcomes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["advice"].choices = outcomes  # type: ignore[attr-defined]
        self.style_fields()


class ObjectionForm(KoersFormMixin, forms.Form):
    grounds = forms.CharField(
        label=_("Grounds of the objection"), max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Say why step 0 is not right. The advisory body gives its advice; the "
                    "management body decides finally."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()


class AdviceForm(KoersFormMixin, forms.Form):
    advice = forms.CharField(label=_("Advice"), max_length=MAX_TEXT,
                             widget=forms.Textarea(attrs={"rows": 8}))
    advised_step = forms.TypedChoiceField(label=_("Advised step"), required=False, coerce=int,
                                          empty_value=None)

    def __init__(self, *args: Any, steps: Iterable[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["advised_step"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = _step_choices(steps, empty=str(_("no step advised")))
        self.style_fields()


class FinalDecisionForm(KoersFormMixin, forms.Form):
    final_step = forms.TypedChoiceField(label=_("Final salary step"), coerce=int)
    remarks = forms.CharField(label=_("Reasons"), required=False, max_length=MAX_TEXT,
                              widget=forms.Textarea(attrs={"rows": 5}),
                              help_text=_("Above all when the decision does not follow the "
                                          "advice."))

    def __init__(self, *args: Any, steps: Iterable[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["final_step"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = _step_choices(steps, empty=None)
        self.style_fields()


class WorklistForm(KoersFormMixin, forms.Form):
    """One step select per evaluation that can be decided now (``step_<evaluation id>``);
    an empty choice leaves that one for later."""

    def __init__(self, *args: Any, rows: Iterable[tuple[int, str, tuple[int, ...]]],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for evaluation_id, name, steps in rows:
            self.fields[step_field(evaluation_id)] = forms.TypedChoiceField(
                label=_("Salary step of %(name)s") % {"name": name}, required=False,
                coerce=int, empty_value=None,
                choices=_step_choices(steps, empty=str(_("not now"))))
        self.style_fields()

    def steps(self) -> dict[int, int]:
        return {int(name.removeprefix(STEP_PREFIX)): value
                for name, value in self.cleaned_data.items()
                if name.startswith(STEP_PREFIX) and value is not None}


class UnfitnessReviewForm(KoersFormMixin, forms.Form):
    """HR's answer to two “onvoldoende” within the policy's years ([b2][b8])."""

    decision = forms.ChoiceField(label=_("What happens"), choices=UnfitnessDecision.choices,
                                 widget=forms.RadioSelect)
    remarks = forms.CharField(label=_("Remarks"), required=False, max_length=MAX_TEXT,
                              widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()
