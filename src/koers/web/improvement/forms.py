"""Forms of the improvement plan; the rules live in ``koers.improvement.services`` and
``koers.improvement.rules``."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from koers.conversations.models import Conversation
from koers.improvement.models import ImprovementGoal
from koers.improvement.services import NewGoal
from koers.web.page.forms import DateInput, KoersFormMixin

TEXTAREA = {"rows": 3}
# Goal slots on the form; the rules allow more through the API.
GOAL_SLOTS = 5


def _conversation_label(conversation: Conversation) -> str:
    day = conversation.held_on or conversation.starts_at.date()
    return f"{conversation.get_kind_display()} · {day:%d-%m-%Y}"


class PlanForm(KoersFormMixin, forms.Form):
    """Why, the expected improvements with their indicators, the support and the period."""

    grounds = forms.CharField(
        label=_("Why"), widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("What did not (yet) go as expected, and which earlier conversations or "
                    "improvement points this plan follows up."))
    evaluation = forms.TypedChoiceField(label=_("Evaluation behind it"), coerce=int,
                                        required=False, empty_value=None)
    conversations = forms.ModelMultipleChoiceField(
        label=_("Conversations behind it"), required=False,
        queryset=Conversation.objects.none())
    support = forms.CharField(
        label=_("Support offered"), widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("Training, coaching, means: what the employee gets to improve."))
    period_start = forms.DateField(label=_("Period from"), widget=DateInput())
    period_end = forms.DateField(label=_("Period until"), widget=DateInput())

    def __init__(self, *args: Any, evaluations: Iterable[tuple[int, str]],
                 conversations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number in range(1, GOAL_SLOTS + 1):
            self.fields[f"goal_{number}_expected"] = forms.CharField(
                label=_("Expected improvement %(number)d") % {"number": number},
                required=False, widget=forms.Textarea(attrs={"rows": 2}))
            self.fields[f"goal_{number}_indicators"] = forms.CharField(
                label=_("Indicators of improvement %(number)d") % {"number": number},
                required=False, widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("How both of you will see that it is reached."))
        self.fields["evaluation"].choices = [  # type: ignore[attr-defined]
            ("", _("None")), *evaluations]
        field = self.fields["conversations"]
        field.queryset = conversations  # type: ignore[attr-defined]
        field.label_from_instance = _conversation_label  # type: ignore[attr-defined]
        self.style_fields()

    def goals(self) -> list[NewGoal]:
        data = self.cleaned_data
        return [NewGoal(data.get(f"goal_{n}_expected") or "",
                        data.get(f"goal_{n}_indicators") or "")
                for n in range(1, GOAL_SLOTS + 1)]

    @staticmethod
    def initial_goals(goals: Iterable[ImprovementGoal]) -> dict[str, str]:
        initial = {}
        for number, goal in enumerate(goals, start=1):
            initial[f"goal_{number}_expected"] = goal.expected
            initial[f"goal_{number}_indicators"] = goal.indicators
        return initial


class RemarksForm(KoersFormMixin, forms.Form):
    remarks = forms.CharField(label=_("Your remarks"), required=False,
                              widget=forms.Textarea(attrs=TEXTAREA))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()


class ScheduleForm(KoersFormMixin, forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                         format="%Y-%m-%dT%H:%M"))
    minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=15, max_value=480,
                                 initial=60)
    location = forms.CharField(label=_("Location"), required=False, max_length=200)
    online_link = forms.URLField(label=_("Online link"), required=False, max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()


class FollowUpForm(KoersFormMixin, forms.Form):
    """The report of a follow-up: the progress on each goal and the actions agreed."""

    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    actions = forms.CharField(label=_("Actions agreed"), widget=forms.Textarea(attrs=TEXTAREA))

    def __init__(self, *args: Any, goals: Iterable[ImprovementGoal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.goal_ids = []
        for goal in goals:
            self.goal_ids.append(goal.pk)
            self.fields[f"progress_{goal.pk}"] = forms.CharField(
                label=_("Progress on: %(goal)s") % {"goal": goal.expected},
                widget=forms.Textarea(attrs={"rows": 2}))
        self.order_fields(["held_on", *(f"progress_{pk}" for pk in self.goal_ids), "actions"])
        self.style_fields()

    def progress(self) -> dict[int, str]:
        return {pk: self.cleaned_data.get(f"progress_{pk}") or "" for pk in self.goal_ids}


class ExtensionForm(KoersFormMixin, forms.Form):
    until = forms.DateField(label=_("Extend until"), widget=DateInput())
    reason = forms.CharField(label=_("Why the extension"),
                             widget=forms.Textarea(attrs=TEXTAREA))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()


class DecisionForm(KoersFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        # Starts empty: the decision is chosen, never sent as it happened to stand.
        choices=[("", _("Choose…")),
                 ("met", _("Met: the employee returns to the normal cycle")),
                 ("not_met", _("Not met: input for the next evaluation"))])
    motivation = forms.CharField(label=_("Motivation"), widget=forms.Textarea(attrs=TEXTAREA))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()
