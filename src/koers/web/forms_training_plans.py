"""The form of the organisation's training plan; its rules live in
``koers.development.services.training_plans``."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from koers.development.models import Competency, TrainingPlan
from koers.web.forms_development import competency_choices
from koers.web.page.forms import DateInput, KoersFormMixin


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
