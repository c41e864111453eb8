from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from koers.cycles.models import LeavingReason
from koers.organisation.models import Organisation
from koers.web.page.forms import DateInput, KoersFormMixin


class CycleOpenForm(KoersFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    # The service checks the range against the organisation's current year.
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if len(organisations) > 1:
            self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
                pk__in=[organisation.pk for organisation in organisations]
            )
        else:
            del self.fields["organisation"]
        self.style_fields()


class AgreedPeriodForm(KoersFormMixin, forms.Form):
    """The period employee and evaluator agreed on ([f1]); the rule lives in the rulebook."""

    start = forms.DateField(label=_("First day"), widget=DateInput())
    end = forms.DateField(label=_("Last day"), widget=DateInput())
    note = forms.CharField(
        label=_("What was agreed"),
        help_text=_("Between whom, when and why, e.g. “Agreed with the employee and the "
                    "1st evaluator on 12 January: evaluated over October–December too.”"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()


class LeavingForm(KoersFormMixin, forms.Form):
    """That the person leaves, and whether they agreed to be evaluated before ([f1]);
    the rule lives in the rulebook (``rulebook.leavers``)."""

    reason = forms.ChoiceField(
        label=_("Why the person leaves"),
        choices=[("", _("Choose…")), *LeavingReason.choices],
    )
    last_working_day = forms.DateField(label=_("Last working day"), widget=DateInput())
    agreed = forms.BooleanField(
        label=_("The employee agrees to be evaluated before leaving"), required=False,
        help_text=_("Only someone who leaves voluntarily or retires. The evaluation may "
                    "then be held and signed outside the evaluation window, by the last "
                    "working day."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()
