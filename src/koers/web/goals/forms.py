"""Forms of the goal pages; the rules live in koers.goals.services."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from koers.goals.models import Goal, GoalKind, Visibility, visibility_choices
from koers.goals.states import GoalStatus
from koers.organisation.models import Unit
from koers.rulebook.terms import Terms
from koers.web.page.forms import DateInput, KoersFormMixin


def parse_milestones(text: str) -> list[dict[str, str]]:
    """One step a line: a date (2026-03-31 or 31-03-2026), a space, what is done by then."""
    steps = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        day, _space, what = line.partition(" ")
        date = None
        for pattern in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
            try:
                date = dt.datetime.strptime(day, pattern).date()
                break
            except ValueError:
                continue
        if date is None or not what.strip():
            raise forms.ValidationError(
                gettext("Line %(n)d: start with a date, then say what is done by then.")
                % {"n": number}
            )
        steps.append({"date": date.isoformat(), "text": what.strip()})
    return steps


def milestones_text(milestones: list[dict[str, str]]) -> str:
    return "\n".join(
        f"{dt.date.fromisoformat(step['date']).strftime('%d-%m-%Y')} {step['text']}"
        for step in milestones
    )


class GoalForm(KoersFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of goal"), choices=GoalKind.choices)
    title = forms.CharField(label=_("Goal"), max_length=200,
                            help_text=_("What will be reached, in one sentence."))
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    measure = forms.CharField(
        label=_("Measure / success indicators"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How will you both see that the goal is reached?"),
    )
    means = forms.CharField(label=_("Means"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("Time, budget, training or help needed."))
    start_date = forms.DateField(label=_("Start"), required=False, widget=DateInput())
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DateInput())
    milestones = forms.CharField(
        label=_("Milestones"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One step a line: a date, then what is done by then "
                    "(31-03-2026 First draft ready)."),
    )
    visibility = forms.ChoiceField(label=_("Visible to"), choices=Visibility.choices)
    team_goal = forms.ModelChoiceField(label=_("Contributes to team goal"),
                                       queryset=Goal.objects.none(), required=False)
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    reason = forms.CharField(
        label=_("Reason for the change"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when an agreed goal changes; both of you read it in the history."),
    )
    # The goal's revision the change starts from (optimistic locking).
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, team_goals: QuerySet[Goal] | None, editing: bool,
                 terms: Terms | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if team_goals is None:  # a team goal itself
            del self.fields["visibility"], self.fields["team_goal"]
        else:
            self.fields["team_goal"].queryset = team_goals  # type: ignore[attr-defined]
            if terms is not None:  # the evaluators as the regime calls them
                self.fields["visibility"].choices = (  # type: ignore[attr-defined]
                    visibility_choices(terms))
        if not editing:
            del self.fields["progress"], self.fields["reason"], self.fields["revision"]
        self.style_fields()

    def clean_milestones(self) -> list[dict[str, str]]:
        return parse_milestones(self.cleaned_data["milestones"])

    @staticmethod
    def initial_of(goal: Goal) -> dict[str, Any]:
        return {
            "kind": goal.kind, "title": goal.title, "description": goal.description,
            "measure": goal.measure, "means": goal.means, "start_date": goal.start_date,
            "deadline": goal.deadline, "milestones": milestones_text(goal.milestones),
            "visibility": goal.visibility, "team_goal": goal.team_goal_id,
            "progress": goal.progress, "revision": goal.revision,
        }


class TeamGoalForm(GoalForm):
    # No empty choice: a manager of one unit has nothing to choose.
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(),
                                  empty_label=None)

    field_order = ("unit",)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, team_goals=None, editing=False, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.order_fields(["unit", *self.fields])
        self.style_fields()


class StatusForm(KoersFormMixin, forms.Form):
    """The next status of a goal. The select starts empty: one click on “Change the
    status” never cancels or closes a goal by itself."""

    status = forms.ChoiceField(label=_("New status"), choices=GoalStatus.choices)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)

    def __init__(self, *args: Any, statuses: Iterable[GoalStatus] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if statuses is not None:
            self.fields["status"].choices = [  # type: ignore[attr-defined]
                ("", _("Choose…")), *((status.value, status.label) for status in statuses)]
        self.style_fields()


class CommentForm(KoersFormMixin, forms.Form):
    text = forms.CharField(label=_("Follow-up note"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()
