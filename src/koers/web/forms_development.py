"""Forms of the development pages (catalogues, preparations, the POP); the rules live in
``koers.development.services`` and ``koers.development.rules``."""

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from koers.conversations.models import Conversation
from koers.development.models import (
    Competency,
    CompetencyCluster,
    DepartmentPreparation,
    DevelopmentAction,
    DevelopmentPlan,
    EmployeePreparation,
    ManagerPreparation,
    SelfScan,
)
from koers.development.rules import Priority, Source
from koers.development.services.preparations import (
    DEPARTMENT_FIELDS,
    EMPLOYEE_FIELDS,
    MANAGER_FIELDS,
    SELF_SCAN_FIELDS,
)
from koers.development.states import HrActionStatus, RecommendationValue, RoundKind
from koers.organisation.models import Person
from koers.web.page.forms import DateInput, KoersFormMixin

TEXTAREA = {"rows": 3}


def competency_choices(competencies: Iterable[Competency],
                       empty: str | None = None) -> list[Any]:
    """Competencies grouped by cluster (``<optgroup>``), in catalogue order; each
    competency with its cluster loaded."""
    groups: dict[int, tuple[str, list[tuple[int, str]]]] = {}
    for competency in competencies:
        cluster = competency.cluster
        groups.setdefault(cluster.pk, (cluster.name, []))[1].append(
            (competency.pk, competency.name))
    choices: list[Any] = [("", empty)] if empty is not None else []
    return choices + list(groups.values())


def action_choices(actions: Sequence[DevelopmentAction], recommended: Sequence[DevelopmentAction],
                   competency: Competency | None, empty: str) -> list[Any]:
    """The matrix's recommended actions first (their own ``<optgroup>``), then the rest:
    the user may pick any action."""
    first = {action.pk for action in recommended}
    choices: list[Any] = [("", empty)]
    if recommended and competency is not None:
        label = gettext("Recommended for %(competency)s") % {"competency": competency.name}
        choices.append((label, [(action.pk, action.name) for action in recommended]))
    others = [(action.pk, action.name) for action in actions if action.pk not in first]
    if others:
        choices.append((_("Other development actions"), others))
    return choices


def _texts(model: Any, names: Sequence[str]) -> dict[str, forms.Field]:
    """Text areas for ``names``, labelled with the model fields' own labels (the
    questions of the sources)."""
    return {
        name: forms.CharField(label=model._meta.get_field(name).verbose_name, required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))
        for name in names
    }


# Catalogues --------------------------------------------------------------------------


class ClusterForm(KoersFormMixin, forms.Form):
    name_nl = forms.CharField(label=_("Name (Dutch)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()


class CompetencyForm(KoersFormMixin, forms.Form):
    cluster = forms.ModelChoiceField(label=_("Cluster"), queryset=CompetencyCluster.objects.none())
    name_nl = forms.CharField(label=_("Name (Dutch)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    description_nl = forms.CharField(label=_("Description (Dutch)"), required=False,
                                     widget=forms.Textarea(attrs=TEXTAREA))
    description_en = forms.CharField(label=_("Description (English)"), required=False,
                                     widget=forms.Textarea(attrs=TEXTAREA))
    active = forms.BooleanField(
        label=_("Offered for new plans"), required=False, initial=True,
        help_text=_("Archive a competency by unticking it: plans that use it keep it."))

    def __init__(self, *args: Any, clusters: Iterable[CompetencyCluster], editing: bool,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = CompetencyCluster.objects.filter(  # type: ignore[attr-defined]
            pk__in=[cluster.pk for cluster in clusters]).order_by("position", "pk")
        if not editing:
            del self.fields["active"]
        self.style_fields()

    @staticmethod
    def initial_of(competency: Competency) -> dict[str, Any]:
        return {name: getattr(competency, name) for name in (
            "cluster", "name_nl", "name_en", "description_nl", "description_en", "active")}


class DevelopmentActionForm(KoersFormMixin, forms.Form):
    name_nl = forms.CharField(label=_("Name (Dutch)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    definition_nl = forms.CharField(label=_("Definition (Dutch)"), required=False,
                                    widget=forms.Textarea(attrs=TEXTAREA))
    definition_en = forms.CharField(label=_("Definition (English)"), required=False,
                                    widget=forms.Textarea(attrs=TEXTAREA))
    when_to_choose_nl = forms.CharField(
        label=_("When to choose it (Dutch)"), required=False,
        widget=forms.Textarea(attrs=TEXTAREA), help_text=_("One point a line."))
    when_to_choose_en = forms.CharField(
        label=_("When to choose it (English)"), required=False,
        widget=forms.Textarea(attrs=TEXTAREA), help_text=_("One point a line."))
    points_of_attention_nl = forms.CharField(
        label=_("Points of attention (Dutch)"), required=False,
        widget=forms.Textarea(attrs=TEXTAREA), help_text=_("One point a line."))
    points_of_attention_en = forms.CharField(
        label=_("Points of attention (English)"), required=False,
        widget=forms.Textarea(attrs=TEXTAREA), help_text=_("One point a line."))
    active = forms.BooleanField(label=_("Offered for new plans"), required=False, initial=True)

    FIELDS = ("name_nl", "name_en", "definition_nl", "definition_en", "when_to_choose_nl",
              "when_to_choose_en", "points_of_attention_nl", "points_of_attention_en")

    def __init__(self, *args: Any, editing: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["active"]
        self.style_fields()

    @classmethod
    def initial_of(cls, action: DevelopmentAction) -> dict[str, Any]:
        return {name: getattr(action, name) for name in (*cls.FIELDS, "active")}


class RecommendationRowForm(KoersFormMixin, forms.Form):
    """One competency's row of the matrix: a choice per development action."""

    def __init__(self, *args: Any, actions: Sequence[DevelopmentAction],
                 values: dict[int, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for action in actions:
            self.fields[f"action_{action.pk}"] = forms.ChoiceField(
                label=action.name, choices=RecommendationValue.choices,
                initial=values.get(action.pk, RecommendationValue.UNKNOWN))
        self.actions = {f"action_{action.pk}": action for action in actions}
        self.style_fields()

    def changed_cells(self) -> list[tuple[DevelopmentAction, str]]:
        return [(self.actions[name], self.cleaned_data[name]) for name in self.changed_data
                if name in self.actions]


class CompetencyProfileForm(KoersFormMixin, forms.Form):
    job_title = forms.CharField(label=_("Job title"), max_length=200,
                                help_text=_("As it is written in the people's employment "
                                            "facts (capitals do not matter)."))
    competencies = forms.TypedMultipleChoiceField(
        label=_("Competencies of the job"), coerce=int, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, competencies: Iterable[Competency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competencies"].choices = competency_choices(competencies)  # type: ignore[attr-defined]
        self.style_fields()


# Preparation -------------------------------------------------------------------------


class SelfScanForm(KoersFormMixin, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(_texts(SelfScan, SELF_SCAN_FIELDS))
        self.style_fields()


class _WithCompetencies(KoersFormMixin, forms.Form):
    competencies = forms.TypedMultipleChoiceField(
        label=_("Competencies from the catalogue"), coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The competencies you would like to talk about; the plan holds 5 at "
                    "most."))

    def add_texts(self, model: Any, names: Sequence[str],
                  competencies: Iterable[Competency]) -> None:
        texts = _texts(model, names)
        chosen = self.fields.pop("competencies")
        self.fields.update(texts)
        self.fields["competencies"] = chosen
        chosen.choices = competency_choices(competencies)  # type: ignore[attr-defined]
        self.style_fields()


class EmployeePreparationForm(_WithCompetencies):
    def __init__(self, *args: Any, competencies: Iterable[Competency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_texts(EmployeePreparation, EMPLOYEE_FIELDS, competencies)


class ManagerPreparationForm(_WithCompetencies):
    def __init__(self, *args: Any, competencies: Iterable[Competency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_texts(ManagerPreparation, MANAGER_FIELDS, competencies)


class DepartmentPreparationForm(KoersFormMixin, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(_texts(DepartmentPreparation, DEPARTMENT_FIELDS))
        self.style_fields()


class ManagerPreparationStartForm(KoersFormMixin, forms.Form):
    department_view = forms.ModelChoiceField(
        label=_("General preparation of the unit"), required=False,
        queryset=DepartmentPreparation.objects.none(),
        empty_label=_("None"),
        help_text=_("Your picture of the unit that this preparation builds on."))

    def __init__(self, *args: Any, views: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department_view"].queryset = views  # type: ignore[attr-defined]
        self.fields["department_view"].label_from_instance = (  # type: ignore[attr-defined]
            lambda view: f"{view.unit.name} · {view.created_at:%d-%m-%Y}")
        self.style_fields()


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
            self.fields[name].label = gettext("New means: %(label)s") % {
                "label": str(self.fields[name].label).lower()}
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


# HR ----------------------------------------------------------------------------------


class DemandFilterForm(KoersFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All")), *HrActionStatus.choices])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()

    def status_value(self) -> str | None:
        if self.is_valid():
            return self.cleaned_data["status"] or None
        return None


class ArrangeForm(KoersFormMixin, forms.Form):
    note = forms.CharField(label=_("Note by HR"), required=False, max_length=500,
                           help_text=_("E.g. the course date or the registration number."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()
