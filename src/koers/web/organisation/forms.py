from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from koers.organisation.importing import largest_file_megabytes
from koers.organisation.models import (
    ImportKind,
    Organisation,
    OtherEvaluation,
    Person,
    SalarySystem,
    Unit,
)
from koers.organisation.services import PERSON_FIELDS
from koers.rulebook.terms import terms_for
from koers.web.page.forms import DateInput, KoersFormMixin


class UnitForm(KoersFormMixin, forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=200)
    parent = forms.ModelChoiceField(
        label=_("Parent unit"), queryset=Unit.objects.none(), required=False
    )
    manager = forms.ModelChoiceField(
        label=_("Manager"), queryset=Person.objects.none(), required=False
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Unit.objects.filter(organisation=organisation)  # type: ignore[attr-defined]
        self.fields["manager"].queryset = Person.objects.filter(organisation=organisation)  # type: ignore[attr-defined]
        self.style_fields()


class PersonForm(KoersFormMixin, forms.ModelForm[Person]):
    salary_system_choice = forms.ChoiceField(
        label=_("Salary system"),
        required=False,
        choices=[
            ("", _("By the rule of 1 June 2024 (from the start date)")),
            *SalarySystem.choices,
        ],
        help_text=_("Set it only for a voluntary switch or a promotion."),
    )

    class Meta:
        model = Person
        fields = PERSON_FIELDS
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "probation_end_date": DateInput(),
        }

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(organisation=organisation)  # type: ignore[attr-defined]
        # A fact the regime does not know is not asked (``rulebook.terms``): a Dutch
        # municipality has no statutory staff, only Flanders has two salary systems.
        # What is stored stays as it is.
        terms = terms_for(organisation.policy_preset)
        # The end of probation in the regime's words (a federal stagiair's end of the stage).
        self.fields["probation_end_date"].label = str(terms.probation_end)
        if not terms.employment_status:
            del self.fields["employment_status"]
        if not terms.salary_system:
            del self.fields["salary_system_choice"]
        elif self.instance.pk and self.instance.salary_system_overridden:
            self.initial["salary_system_choice"] = self.instance.salary_system
        self.style_fields()

    def person_fields(self) -> dict[str, Any]:
        """The person's facts as entered, without those the regime does not ask."""
        return {name: self.cleaned_data[name] for name in PERSON_FIELDS
                if name in self.fields}

    def salary_system(self) -> tuple[str | None, bool]:
        """HR's choice of salary system and whether to follow the rule instead; neither
        where the regime has no salary systems (what is stored stays)."""
        if "salary_system_choice" not in self.fields:
            return None, False
        choice = self.cleaned_data["salary_system_choice"] or None
        return choice, choice is None


class EvaluatorOverrideForm(KoersFormMixin, forms.Form):
    first_evaluator = forms.ModelChoiceField(
        label=_("1st evaluator"), queryset=Person.objects.none(), required=False
    )
    second_evaluator = forms.ModelChoiceField(
        label=_("2nd evaluator"), queryset=Person.objects.none(), required=False
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput())
    valid_until = forms.DateField(label=_("Valid until"), widget=DateInput(), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = Person.objects.filter(organisation=organisation).order_by("last_name")
        terms = terms_for(organisation.policy_preset)  # the regime names the roles
        self.fields["first_evaluator"].queryset = people  # type: ignore[attr-defined]
        self.fields["first_evaluator"].label = capfirst(str(terms.first_evaluator))
        self.fields["second_evaluator"].queryset = people  # type: ignore[attr-defined]
        self.fields["second_evaluator"].label = capfirst(str(terms.second_evaluator))
        self.style_fields()


class OtherEvaluationForm(KoersFormMixin, forms.Form):
    """A top manager or mandate holder (PLOEG: other evaluation forms); all empty puts
    the person back in the annual evaluation. The service checks the combination."""

    function = forms.ChoiceField(
        label=_("Function"), required=False,
        choices=[("", _("Neither: in the annual evaluation")), *OtherEvaluation.choices])
    reason = forms.CharField(label=_("Why evaluated in another form"), max_length=500,
                             required=False, widget=forms.Textarea(attrs={"rows": 3}))
    valid_from = forms.DateField(label=_("From"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()


class EffectiveWorkForm(KoersFormMixin, forms.Form):
    # The range of years and of hours is the service's rule (organisation.rules).
    year = forms.IntegerField(label=_("Year"))
    hours_worked = forms.DecimalField(label=_("Hours effectively worked"), decimal_places=2)
    note = forms.CharField(label=_("Reason for the correction"), max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()


class ImportForm(KoersFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    kind = forms.ChoiceField(
        label=_("What does the file hold?"),
        choices=[(kind, capfirst(label)) for kind, label in ImportKind.choices],
    )
    file = forms.FileField(
        label=_("File"), widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if len(organisations) > 1:
            self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
                pk__in=[organisation.pk for organisation in organisations]
            )
        else:
            # Nothing to choose: the form imports into the one organisation.
            del self.fields["organisation"]
        # In the reader's language, with the limit in force (KOERS_IMPORT_MAX_BYTES).
        self.fields["file"].help_text = _(
            "CSV (UTF-8, with commas or semicolons) or Excel .xlsx of at most %(size)s MB; "
            "line 1 holds the column names.") % {"size": largest_file_megabytes()}
        self.style_fields()


class LookForm(KoersFormMixin, forms.Form):
    """The organisation's colour and logo; ``organisation.look`` checks both."""

    primary_colour = forms.CharField(
        label=_("Primary colour"), required=False, max_length=7,
        widget=forms.TextInput(attrs={"placeholder": "#155d69", "size": "8"}),
        help_text=_("# and six hexadecimal digits, such as #155d69, for the header's band, "
                    "the main buttons and the links. It needs a contrast of at least 4.5:1 "
                    "with white. Leave empty for Koers's own colour."))
    logo = forms.FileField(
        label=_("Logo"), required=False,
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        help_text=_("A PNG, JPEG or WebP image of at most 256 KB, shown in the header "
                    "beside Koers's name, with your organisation's name as its text."))
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)
