"""Forms of the conversation pages; the rules live in koers.conversations.services."""

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.conversations.models import Conversation, WorkPlan
from koers.conversations.permissions import DIRECTOR_READ_KINDS
from koers.conversations.selectors import ReportFilters
from koers.conversations.states import ConversationKind, MediationOutcome, MediatorKind
from koers.conversations.team import TeamFilters
from koers.goals.models import Goal
from koers.goals.states import GoalStatus
from koers.organisation.models import Person, Unit
from koers.web.page.forms import DateInput, KoersFormMixin


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class ScheduleForm(KoersFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of conversation"), choices=ConversationKind.choices)
    day = forms.DateField(label=_("Date"), widget=DateInput())
    start = forms.TimeField(label=_("From"), widget=TimeInput())
    end = forms.TimeField(label=_("Until"), widget=TimeInput())
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    online_link = forms.URLField(label=_("Online link"), required=False)
    in_writing = forms.BooleanField(label=_("Held in writing"), required=False,
                                    help_text=_("Only when an oral conversation is impossible."))
    agenda = forms.CharField(
        label=_("Your own agenda items"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One item a line; the guiding questions of the kind are added for you."),
    )
    despite_spacing = forms.BooleanField(
        label=_("Schedule it even if fewer days are worked in between than the rules ask"),
        required=False)
    combined_with_planning = forms.BooleanField(
        label=_("Combine this evaluation conversation with the planning of the next period"),
        required=False,
        help_text=_("First looking back, then agreements for the next period: holding it "
                    "also holds the next period's planning conversation."))

    def __init__(self, *args: Any, spacing: bool = False, combinable: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not spacing:  # the policy asks no days between conversations
            del self.fields["despite_spacing"]
        if not combinable:  # the policy combines nothing, or the actor is the employee
            del self.fields["combined_with_planning"]
        self.style_fields()

    @property
    def combined(self) -> bool:
        return bool(self.cleaned_data.get("combined_with_planning"))

    @property
    def schedules_anyway(self) -> bool:
        return bool(self.cleaned_data.get("despite_spacing"))

    def moments(self) -> tuple[dt.datetime, dt.datetime]:
        day = self.cleaned_data["day"]
        zone = timezone.get_current_timezone()
        return (dt.datetime.combine(day, self.cleaned_data["start"], tzinfo=zone),
                dt.datetime.combine(day, self.cleaned_data["end"], tzinfo=zone))

    def agenda_items(self) -> list[str]:
        return [line for line in str(self.cleaned_data["agenda"]).splitlines() if line.strip()]


class HoldForm(KoersFormMixin, forms.Form):
    notes = forms.CharField(label=_("Notes"), required=False,
                            widget=forms.Textarea(attrs={"rows": 5}))
    goals = forms.ModelMultipleChoiceField(label=_("Goals discussed"),
                                           queryset=Goal.objects.none(), required=False,
                                           widget=forms.CheckboxSelectMultiple)
    improvement_points = forms.CharField(
        label=_("Improvement points"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The points for improvement you raised, if any."),
    )
    report = forms.CharField(
        label=_("Report"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Optional; both sides confirm it, after which it can no longer change."),
    )
    combined_with_planning = forms.BooleanField(
        label=_("Combine this evaluation conversation with the planning of the next period"),
        required=False)
    agreements = forms.CharField(
        label=_("Agreements for the next period"), required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The second part of the report of a combined conversation: the "
                    "agreements for the next work plan."))

    def __init__(self, *args: Any, goals: QuerySet[Goal], combinable: bool = False,
                 combined: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goals"].queryset = goals  # type: ignore[attr-defined]
        if combined:  # marked when scheduled
            del self.fields["combined_with_planning"]
        elif not combinable:
            del self.fields["combined_with_planning"], self.fields["agreements"]
        else:
            self.fields["agreements"].help_text = _(
                "Only when combined with the planning of the next period: the agreements "
                "for the next work plan.")
        if combined or combinable:
            self.fields["report"].label = _("Report: looking back")
        self.style_fields()
        self.fields["goals"].widget.attrs = {}

    def combined(self) -> bool | None:
        """Marked combined now (``None``: as scheduled)."""
        if "combined_with_planning" not in self.fields:
            return None
        return bool(self.cleaned_data.get("combined_with_planning"))


class ReportForm(KoersFormMixin, forms.Form):
    report = forms.CharField(label=_("Report"), widget=forms.Textarea(attrs={"rows": 6}))
    # The second part of a conversation combined with the next planning.
    agreements = forms.CharField(label=_("Agreements for the next period"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 6}))
    # The report's revision the change starts from (optimistic locking).
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, combined: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if combined:
            self.fields["report"].label = _("Report: looking back")
        else:
            del self.fields["agreements"]
        self.style_fields()

    def agreements_given(self) -> str | None:
        return self.cleaned_data.get("agreements") if "agreements" in self.fields else None


class HolderForm(KoersFormMixin, forms.Form):
    """The colleague the 1st evaluator designates to hold the conversation."""

    holder = forms.ModelChoiceField(label=_("Held by"), queryset=Person.objects.none(),
                                    required=False, empty_label=_("the manager"))

    def __init__(self, *args: Any, candidates: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = candidates  # type: ignore[attr-defined]
        self.fields["holder"].label_from_instance = (  # type: ignore[attr-defined]
            lambda person: person.full_name)
        self.style_fields()


class ConfirmForm(KoersFormMixin, forms.Form):
    """The revision of the report the confirming person read."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class RescheduleForm(KoersFormMixin, forms.Form):
    """A new time (and place) for a scheduled conversation; the invitation is updated."""

    day = forms.DateField(label=_("Date"), widget=DateInput())
    start = forms.TimeField(label=_("From"), widget=TimeInput())
    end = forms.TimeField(label=_("Until"), widget=TimeInput())
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    online_link = forms.URLField(label=_("Online link"), required=False)
    despite_spacing = forms.BooleanField(
        label=_("Schedule it even if fewer days are worked in between than the rules ask"),
        required=False)

    def __init__(self, *args: Any, spacing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not spacing:
            del self.fields["despite_spacing"]
        self.style_fields()

    @property
    def schedules_anyway(self) -> bool:
        return bool(self.cleaned_data.get("despite_spacing"))

    @classmethod
    def initial_of(cls, conversation: Conversation) -> dict[str, Any]:
        starts = timezone.localtime(conversation.starts_at)
        ends = timezone.localtime(conversation.ends_at)
        return {"day": starts.date(), "start": starts.time(), "end": ends.time(),
                "location": conversation.location, "online_link": conversation.online_link}

    def moments(self) -> tuple[dt.datetime, dt.datetime]:
        day = self.cleaned_data["day"]
        zone = timezone.get_current_timezone()
        return (dt.datetime.combine(day, self.cleaned_data["start"], tzinfo=zone),
                dt.datetime.combine(day, self.cleaned_data["end"], tzinfo=zone))


class WorkPlanForm(KoersFormMixin, forms.Form):
    """The employee's part of the individual work plan (Heemstede)."""

    expected_performance = forms.CharField(
        label=_("Expected performance"), required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you expect to achieve in your work in the coming year."))
    competencies = forms.CharField(
        label=_("Competencies to work on"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The knowledge, skills and behaviour you want to develop for your job."))
    development_wishes = forms.CharField(
        label=_("Development wishes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    support = forms.CharField(
        label=_("Support needed"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    # The plan's revision the change starts from (optimistic locking).
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, editing: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["revision"]
        self.style_fields()

    @classmethod
    def initial_of(cls, plan: WorkPlan) -> dict[str, Any]:
        return {name: getattr(plan, name) for name in cls.base_fields}


class WorkPlanCommentForm(KoersFormMixin, forms.Form):
    comments = forms.CharField(label=_("Your comments"), widget=forms.Textarea(attrs={"rows": 4}))
    # The plan's revision the comments start from (optimistic locking).
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()


class AmendmentForm(KoersFormMixin, forms.Form):
    """A changed agreement of the work plan, recorded in a progress conversation."""

    change = forms.CharField(label=_("What changed in the work plan"),
                             widget=forms.Textarea(attrs={"rows": 3}))
    reason = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()


class TeamFilterForm(KoersFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Members with a goal of this status"), required=False)
    # A number, not a choice: the units to offer are known only after the read.
    unit = forms.IntegerField(label=_("Unit"), required=False, widget=forms.Select)
    overdue = forms.BooleanField(label=_("Only members with something overdue"),
                                 required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            ("", _("any status")), *GoalStatus.choices]
        self.style_fields()

    def filters(self) -> TeamFilters:
        if not self.is_bound or not self.is_valid():
            return TeamFilters()
        return TeamFilters(status=self.cleaned_data["status"],
                           overdue_only=self.cleaned_data["overdue"],
                           unit_id=self.cleaned_data["unit"])

    def offer_units(self, units: list[Unit]) -> None:
        self.fields["unit"].widget.choices = [
            ("", _("all units")), *((unit.pk, unit.name) for unit in units)]


class ReportFilterForm(KoersFormMixin, forms.Form):
    """The filters of the director's department view."""

    kind = forms.ChoiceField(label=_("Kind of conversation"), required=False)
    # A number, not a choice: the units to offer are known only after the read.
    unit = forms.IntegerField(label=_("Unit"), required=False, widget=forms.Select)
    name = forms.CharField(label=_("Name of the employee"), required=False, max_length=100)
    held_from = forms.DateField(label=_("Held from"), required=False, widget=DateInput())
    held_until = forms.DateField(label=_("Held until"), required=False, widget=DateInput())
    confirmed = forms.ChoiceField(label=_("Report confirmed by both"), required=False, choices=[
        ("", _("confirmed or not")), ("yes", _("confirmed")), ("no", _("not confirmed"))])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            ("", _("any kind")), *((kind.value, kind.label) for kind in DIRECTOR_READ_KINDS)]
        self.style_fields()

    def filters(self) -> ReportFilters:
        if not self.is_bound or not self.is_valid():
            return ReportFilters()
        data = self.cleaned_data
        return ReportFilters(
            kind=data["kind"] or None, unit=data["unit"], name=data["name"],
            held_from=data["held_from"], held_until=data["held_until"],
            confirmed={"yes": True, "no": False}.get(data["confirmed"]))

    def offer_units(self, units: list[Unit]) -> None:
        self.fields["unit"].widget.choices = [
            ("", _("all units")), *((unit.pk, unit.name) for unit in units)]


class MediationRequestForm(KoersFormMixin, forms.Form):
    """The employee asks a mediator (Dutch policy): whom, and what it is about. The
    choices are the mediators the employee may ask today (``services.mediators_for``),
    each as "kind:person"."""

    mediator = forms.ChoiceField(label=_("Whom do you ask to mediate?"),
                                 widget=forms.RadioSelect)
    account = forms.CharField(
        label=_("What do you and your manager disagree about?"),
        help_text=_("In your own words; the mediator, your manager and HR read it."),
        widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args: Any, mediators: dict[MediatorKind, list[Person]],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(MediatorKind.choices)
        mediator = self.fields["mediator"]
        assert isinstance(mediator, forms.ChoiceField)
        mediator.choices = [
            (f"{kind.value}:{person.pk}", f"{labels[kind.value]}: {person.full_name}")
            for kind, people in mediators.items() for person in people
        ]
        self.style_fields()

    def chosen(self) -> tuple[str, int]:
        kind, person = self.cleaned_data["mediator"].split(":")
        return kind, int(person)


class MediationOutcomeForm(KoersFormMixin, forms.Form):
    """The mediator records how it ended."""

    outcome = forms.ChoiceField(label=_("Did you come to an agreement?"),
                                choices=MediationOutcome.choices, widget=forms.RadioSelect)
    text = forms.CharField(label=_("Written outcome"),
                           help_text=_("What was agreed, or where you still differ."),
                           widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()
