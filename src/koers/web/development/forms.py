"""Forms of the development pages: catalogues, preparations, HR's training demand and the
training plans (the POP's own forms: ``plan_forms``). The rules live in
``koers.development.services`` and ``koers.development.rules``."""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from koers.core import languages
from koers.core.errors import ValidationFailed
from koers.development.models import (
    Competency,
    CompetencyCluster,
    DepartmentPreparation,
    DevelopmentAction,
    EmployeePreparation,
    ManagerPreparation,
    SelfScan,
    TrainingPlan,
)
from koers.development.services.catalogue import NAME_MAX_LENGTH
from koers.development.services.preparations import (
    DEPARTMENT_FIELDS,
    EMPLOYEE_FIELDS,
    MANAGER_FIELDS,
    SELF_SCAN_FIELDS,
)
from koers.development.states import HrActionStatus, RecommendationValue
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


@dataclass(frozen=True)
class CatalogueText:
    """A translatable text of a catalogue entry, edited as one form field per language
    Koers offers (``core.languages.CODES``): a new language appears by itself."""

    stem: str  # the form fields: <stem>_<language code>, e.g. name_nl
    field: str  # the model's and the services' field: {language code: text}
    label: Promise  # with %(language)s
    long: bool = True  # a text area; a name is one line
    points: bool = False  # one point a line


NAME = CatalogueText("name", "names", _("Name (%(language)s)"), long=False)


class _CatalogueForm(KoersFormMixin, forms.Form):
    """A catalogue entry's form: its texts per language after the fields the class
    declares first (``LEADING``), then the others."""

    TEXTS: ClassVar[tuple[CatalogueText, ...]] = (NAME,)
    LEADING: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        declared = dict(self.fields)
        self.fields = {name: declared.pop(name) for name in self.LEADING}
        for text in self.TEXTS:
            for code in languages.CODES:
                language = languages.DETAILS[languages.Language(code)].name
                self.fields[f"{text.stem}_{code}"] = forms.CharField(
                    label=str(text.label) % {"language": language},
                    required=text.field == "names" and code == languages.DEFAULT,
                    max_length=None if text.long else NAME_MAX_LENGTH,
                    widget=forms.Textarea(attrs=TEXTAREA) if text.long else forms.TextInput,
                    help_text=gettext("One point a line.") if text.points else "")
        self.fields.update(declared)
        self.style_fields()

    @classmethod
    def _text_names(cls) -> dict[str, tuple[str, str]]:
        """Form field → (text field, language code)."""
        return {f"{text.stem}_{code}": (text.field, code)
                for text in cls.TEXTS for code in languages.CODES}

    def values(self, names: Iterable[str] | None = None) -> dict[str, Any]:
        """The cleaned data as the services take it, texts as {field: {language: text}};
        only the form fields ``names`` when given (the changed ones)."""
        texts = self._text_names()
        chosen = self.cleaned_data if names is None else names
        values: dict[str, Any] = {}
        for name in chosen:
            if name in texts:
                field, code = texts[name]
                values.setdefault(field, {})[code] = self.cleaned_data[name]
            else:
                values[name] = self.cleaned_data[name]
        return values

    def changes(self) -> dict[str, Any]:
        return self.values(self.changed_data)

    @classmethod
    def initial_texts(cls, entry: Any) -> dict[str, str]:
        return {name: (getattr(entry, field) or {}).get(code, "")
                for name, (field, code) in cls._text_names().items()}

    def on_fields(self, error: ValidationFailed) -> ValidationFailed:
        """The services' error keys (``names.nl``, ``descriptions``) as this form's
        fields, so a message stands by the field it is about."""
        fields = {f"{field}.{code}": name for name, (field, code) in self._text_names().items()}
        fields.update({text.field: f"{text.stem}_{languages.DEFAULT}" for text in self.TEXTS})
        return ValidationFailed(error.message, {fields.get(key, key): messages
                                                for key, messages in error.errors.items()})


class ClusterForm(_CatalogueForm):
    pass


class CompetencyForm(_CatalogueForm):
    TEXTS = (NAME, CatalogueText("description", "descriptions", _("Description (%(language)s)")))
    LEADING = ("cluster",)

    cluster = forms.ModelChoiceField(label=_("Cluster"), queryset=CompetencyCluster.objects.none())
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

    @classmethod
    def initial_of(cls, competency: Competency) -> dict[str, Any]:
        return {"cluster": competency.cluster, "active": competency.active,
                **cls.initial_texts(competency)}


class DevelopmentActionForm(_CatalogueForm):
    TEXTS = (
        NAME,
        CatalogueText("definition", "definitions", _("Definition (%(language)s)")),
        CatalogueText("when_to_choose", "when_to_choose_texts",
                      _("When to choose it (%(language)s)"), points=True),
        CatalogueText("points_of_attention", "points_of_attention_texts",
                      _("Points of attention (%(language)s)"), points=True),
    )

    active = forms.BooleanField(label=_("Offered for new plans"), required=False, initial=True)

    def __init__(self, *args: Any, editing: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["active"]

    @classmethod
    def initial_of(cls, action: DevelopmentAction) -> dict[str, Any]:
        return {"active": action.active, **cls.initial_texts(action)}


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
    # The preparation's revision the save starts from (optimistic locking).
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
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
    # The preparation's revision the save starts from (optimistic locking).
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

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


# Training plans (opleidingsplan) ---------------------------------------------------


class TrainingPlanForm(KoersFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200,
                            error_messages={"required": _("Give the training plan a title.")})
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput())
    valid_until = forms.DateField(label=_("Valid until"), widget=DateInput(),
                                  help_text=_("The last day the plan covers."))
    objectives = forms.CharField(
        label=_("Development objectives and actions"), required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What the organisation plans for which groups of staff, e.g. every "
                    "administrative assistant learns the new office software."))
    competencies = forms.TypedMultipleChoiceField(
        label=_("Competencies it targets"), coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple)
    document_url = forms.URLField(label=_("Link to the full document"), max_length=500,
                                  required=False, assume_scheme="https")

    def __init__(self, *args: Any, competencies: Iterable[Competency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competencies"].choices = competency_choices(competencies)  # type: ignore[attr-defined]
        self.style_fields()

    @staticmethod
    def initial_of(plan: TrainingPlan) -> dict[str, Any]:
        return {"title": plan.title, "valid_from": plan.valid_from,
                "valid_until": plan.valid_until, "objectives": plan.objectives,
                "competencies": [c.pk for c in plan.competencies.all()],
                "document_url": plan.document_url}

    @staticmethod
    def year_of(today: dt.date) -> dict[str, Any]:
        """A new plan covers the current calendar year unless HR says otherwise."""
        return {"valid_from": dt.date(today.year, 1, 1),
                "valid_until": dt.date(today.year, 12, 31)}
