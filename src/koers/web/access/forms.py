import datetime as dt
from typing import Any

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from koers.access import tokens
from koers.access.models import RefusalKind, Scope, SubjectClaim, TokenScope
from koers.access.security import RefusalFilter
from koers.access.tokens import NAME_MAX
from koers.core import clock
from koers.web.page.forms import DateInput, KoersFormMixin


class AccessRequestForm(KoersFormMixin, forms.Form):
    scope = forms.ChoiceField(label=_("What you want to read"), choices=Scope.choices)
    reason = forms.CharField(label=_("Why you need it"), widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("The approver and the employee read this."))
    valid_from = forms.DateField(label=_("From"), widget=DateInput())
    valid_until = forms.DateField(label=_("Until"), widget=DateInput())


class RefusalFilterForm(KoersFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("All")), *RefusalKind.choices])
    user = forms.CharField(label=_("User"), required=False, max_length=254,
                           help_text=_("Part of the e-mail address."))
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("Until"), required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()

    def filters(self) -> RefusalFilter:
        """The filters chosen; none where the form does not validate."""
        if not self.is_valid():
            return RefusalFilter()
        data = self.cleaned_data
        return RefusalFilter(kind=data["kind"], user=data["user"].strip(),
                             since=data["since"], until=data["until"])


class ApiTokenForm(KoersFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX,
                           help_text=_("What the token is for, such as the script that uses it."))
    scope = forms.ChoiceField(label=_("What it may do"), choices=TokenScope.choices,
                              initial=TokenScope.READ)
    expires_on = forms.DateField(label=_("Valid until"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        latest = clock.today() + dt.timedelta(days=tokens.max_days())
        self.fields["expires_on"].initial = min(clock.today() + dt.timedelta(days=90), latest)
        self.fields["expires_on"].help_text = _(
            "At most %(days)s days ahead: %(latest)s.") % {
                "days": tokens.max_days(), "latest": formats.date_format(latest)}
        self.style_fields()


class EmployerSignInForm(KoersFormMixin, forms.Form):
    """The organisation's employer sign-in; ``access.sign_in`` checks every value."""

    name = forms.CharField(label=_("Button label"), max_length=100, help_text=_(
        "What the button on the log-in page says, such as the employer's name."))
    server_url = forms.CharField(label=_("Issuer or metadata URL"), max_length=500, help_text=_(
        "Microsoft Entra ID: https://login.microsoftonline.com/<tenant id>/v2.0. Any "
        "provider: its issuer, or its URL ending in /.well-known/openid-configuration."))
    client_id = forms.CharField(label=_("Client id"), max_length=200, help_text=_(
        "The application (client) id the provider gave Koers."))
    secret_variable = forms.CharField(label=_("Environment variable of the client secret"),
                                      max_length=100, help_text=_(
        "The operator puts the secret in this variable (or in a file named by the same "
        "name with _FILE) on the app servers. Koers never stores or shows the secret."))
    provider_id = forms.CharField(label=_("Id in the addresses"), max_length=60, help_text=_(
        "Part of the sign-in and redirect addresses. Changing it changes the redirect URI "
        "you registered at the provider."))
    subject_claim = forms.ChoiceField(label=_("Stable identifier claim"),
                                      choices=SubjectClaim.choices, help_text=_(
        "The claim that names a person for good once linked. For Microsoft Entra ID choose "
        "oid."))
    employee_number_claim = forms.CharField(label=_("Employee number claim"), required=False,
                                            max_length=100, help_text=_(
        "A claim that holds the employee number as HR's import has it; it links a "
        "person's first sign-in."))
    email_domains = forms.CharField(label=_("Authoritative e-mail domains"), required=False,
                                    max_length=500, help_text=_(
        "The domains (separated by commas) whose addresses the provider owns and verifies: "
        "a first sign-in with a verified address of these domains links the person with "
        "that work e-mail address. Leave empty to link by the employee number alone."))
    passwords_allowed = forms.BooleanField(label=_("People may still sign in with a password"),
                                           required=False)
    second_factor = forms.BooleanField(
        label=_("The provider asks for a second factor at every sign-in"), required=False,
        help_text=_("Then a sign-in through the provider counts as two-factor sign-in for "
                    "HR and the bodies."))
    active = forms.BooleanField(label=_("Offer this sign-in on the log-in page"),
                                required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()
