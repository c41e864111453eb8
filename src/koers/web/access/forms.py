import datetime as dt
from typing import Any

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from koers.access import tokens
from koers.access.models import RefusalKind, Scope, TokenScope
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
