"""Forms of the POP: starting a plan, its rows and their parts, rounds and remarks; the
rules live in ``koers.development.services.plans`` and ``koers.development.rules``."""

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from koers.conversations.models import Conversation
from koers.core import languages
from koers.development.models import Competency, DevelopmentAction, DevelopmentPlan
from koers.development.rules import Priority, Source
from koers.development.states import RoundKind
from koers.organisation.models import Person
from koers.web.development.forms import TEXTAREA, action_choices, competency_choices
from koers.web.page.forms import DateInput, KoersFormMixin

# The plan ----------------------------------------------------------------------------


def _conversation_label(conversation: Conversation) -> str:
    day = conversation.held_on or conversation.starts_at.date()
    return f"{conversation.get_kind_display()} · {day:%d-%m-%Y}"


class PlanStartForm(KoersFormMixin, forms.Form):
    planning_conversation = forms.ModelChoiceField(
        label=_("Planning conversation"), required=False, queryset=Conversation.objects.none(),
        empty_label=_("None (give the date below)"),
        help_text=_("The conversation in which you build the plan together."))
    held_on = forms.DateField(label=_("Date of the conversation"), required=False,
                              widget=DateInput(),
                              help_text=_("Leave empty to take the conversation's date, or "
                                          "today."))
    period_start = forms.DateField(label=_("Period from"), required=False, widget=DateInput(),
                                   help_text=_("Leave empty to take the period of the "
                                               "running cycle, or twelve months."))
    period_end = forms.DateField(label=_("Period until"), required=False, widget=DateInput())

    def __init__(self, *args: Any, conversations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["planning_conversation"]
        field.queryset = conversations  # type: ignore[attr-defined]
        field.label_from_instance = _conversation_label  # type: ignore[attr-defined]
        self.style_fields()


def with_revision[F: forms.Form](form: F) -> F:
    """``form`` with the hidden revision of the record it changes (optimistic locking:
    the service refuses a change that started from an older revision)."""
    form.fields["revision"] = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    return form


class PlanItemForm(KoersFormMixin, forms.Form):
    """A row of the plan: a competency, why (source) and how urgent (priority); when
    adding, its first development goal and the proposed actions may come along."""

    competency = forms.TypedChoiceField(label=_("Competency"), coerce=int)
    source = forms.TypedChoiceField(
        label=_("Source"), coerce=int, choices=Source.choices,
        help_text=_("Where the wish to develop this competency comes from."))
    priority = forms.TypedChoiceField(label=_("Priority"), coerce=int, choices=Priority.choices)
    success_indicators = forms.CharField(
        label=_("Success indicators"), required=False, widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("One a line: what will show that the competency has been developed?"))
    goal = forms.CharField(
        label=_("Development goal"), required=False, widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("SMART: what the employee will be able to do, how well and by when."))
    term = forms.DateField(label=_("Term of the goal"), required=False, widget=DateInput())
    term_note = forms.CharField(label=_("Term in words"), required=False, max_length=300,
                                help_text=_("E.g. “three months after the course”."))
    proposals = forms.TypedMultipleChoiceField(
        label=_("Add as means"), coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple)

    ITEM_FIELDS = ("competency", "source", "priority", "success_indicators")

    def __init__(self, *args: Any, competencies: Iterable[Competency], adding: bool,
                 proposals: Sequence[DevelopmentAction] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competency"].choices = competency_choices(  # type: ignore[attr-defined]
            competencies, empty=str(_("Choose a competency")))
        if adding:
            self.fields["proposals"].choices = [  # type: ignore[attr-defined]
                (action.pk, action.name) for action in proposals]
        else:
            for name in ("goal", "term", "term_note", "proposals"):
                del self.fields[name]
        self.style_fields()

    def item_changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.ITEM_FIELDS}


class PlanGoalForm(KoersFormMixin, forms.Form):
    text = forms.CharField(label=_("Development goal"), widget=forms.Textarea(attrs=TEXTAREA),
                           help_text=_("SMART: what the employee will be able to do, how well "
                                       "and by when."))
    term = forms.DateField(label=_("Term"), required=False, widget=DateInput())
    term_note = forms.CharField(label=_("Term in words"), required=False, max_length=300,
                                help_text=_("E.g. “three months after the course”."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()


class _MeansFields(KoersFormMixin, forms.Form):
    action = forms.TypedChoiceField(label=_("Development action"), coerce=int, required=False,
                                    empty_value=None)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("What exactly, e.g. the course's name, or a support action in words."))
    term = forms.DateField(label=_("Term"), required=False, widget=DateInput())
    term_note = forms.CharField(label=_("Term in words"), required=False, max_length=300)
    supporter = forms.ModelChoiceField(label=_("Supported by"), required=False,
                                       queryset=Person.objects.none(),
                                       help_text=_("The coach, mentor or colleague who "
                                                   "helps, if any."))

    def set_choices(self, *, actions: Sequence[DevelopmentAction],
                    recommended: Sequence[DevelopmentAction], competency: Competency | None,
                    supporters: Any) -> None:
        self.fields["action"].choices = action_choices(  # type: ignore[attr-defined]
            actions, recommended, competency, str(_("None: a support action in words")))
        self.fields["supporter"].queryset = supporters  # type: ignore[attr-defined]
        self.style_fields()


class PlanMeansForm(_MeansFields):
    def __init__(self, *args: Any, actions: Sequence[DevelopmentAction],
                 recommended: Sequence[DevelopmentAction], competency: Competency,
                 supporters: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_choices(actions=actions, recommended=recommended, competency=competency,
                         supporters=supporters)


class HrActionForm(KoersFormMixin, forms.Form):
    description = forms.CharField(
        label=_("What HR should do"), widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("E.g. “register Marc for the course of the training institute”."))
    action = forms.TypedChoiceField(label=_("Development action"), coerce=int, required=False,
                                    empty_value=None,
                                    help_text=_("The learning form it serves, for HR's "
                                                "training demand."))
    term = forms.DateField(label=_("Term"), required=False, widget=DateInput())

    def __init__(self, *args: Any, actions: Sequence[DevelopmentAction],
                 recommended: Sequence[DevelopmentAction], competency: Competency,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = action_choices(  # type: ignore[attr-defined]
            actions, recommended, competency, str(_("None")))
        self.style_fields()


class FollowUpForm(_MeansFields):
    """Realisation / follow-up of a row, with at most one new means and one new HR action
    (more can be added on the row while the round is open)."""

    text = forms.CharField(label=_("Realisation / follow-up"),
                           widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("What was done and reached, and what comes next."))
    hr_description = forms.CharField(
        label=_("New action for HR"), required=False, widget=forms.Textarea(attrs=TEXTAREA))
    hr_action = forms.TypedChoiceField(label=_("Development action it serves"), coerce=int,
                                       required=False, empty_value=None)
    hr_term = forms.DateField(label=_("Term of the HR action"), required=False,
                              widget=DateInput())

    MEANS_FIELDS = ("action", "description", "term", "term_note", "supporter")

    def __init__(self, *args: Any, actions: Sequence[DevelopmentAction],
                 recommended: Sequence[DevelopmentAction], competency: Competency,
                 supporters: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["text"])
        for name in self.MEANS_FIELDS:
            label = str(self.fields[name].label)
            # Mid-sentence the label is lower case, but German writes its nouns capitalised.
            if languages.active() != languages.Language.GERMAN:
                label = label.lower()
            self.fields[name].label = gettext("New means: %(label)s") % {"label": label}
        self.set_choices(actions=actions, recommended=recommended, competency=competency,
                         supporters=supporters)
        self.fields["hr_action"].choices = action_choices(  # type: ignore[attr-defined]
            actions, recommended, competency, str(_("None")))
        if editing:
            for name in [*self.MEANS_FIELDS, "hr_description", "hr_action", "hr_term"]:
                del self.fields[name]
        self.style_fields()

    def has_new_means(self) -> bool:
        data = self.cleaned_data
        return bool(data.get("action") or str(data.get("description") or "").strip())

    def has_new_hr_action(self) -> bool:
        return bool(str(self.cleaned_data.get("hr_description") or "").strip())


class RoundStartForm(KoersFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[
        (RoundKind.FOLLOW_UP.value, RoundKind.FOLLOW_UP.label),
        (RoundKind.AMENDMENT.value, RoundKind.AMENDMENT.label),
    ])
    conversation = forms.ModelChoiceField(
        label=_("Conversation"), required=False, queryset=Conversation.objects.none(),
        empty_label=_("None (give the date below)"))
    held_on = forms.DateField(label=_("Date of the conversation"), required=False,
                              widget=DateInput(),
                              help_text=_("Leave empty to take the conversation's date, or "
                                          "today."))

    def __init__(self, *args: Any, conversations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["conversation"]
        field.queryset = conversations  # type: ignore[attr-defined]
        field.label_from_instance = _conversation_label  # type: ignore[attr-defined]
        self.style_fields()


class RemarksForm(KoersFormMixin, forms.Form):
    remarks = forms.CharField(label=_("Remarks of the employee"), required=False,
                              widget=forms.Textarea(attrs=TEXTAREA))

    def __init__(self, *args: Any, plan: DevelopmentPlan | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if plan is not None:
            self.initial.setdefault("remarks", plan.employee_remarks)
        self.style_fields()
