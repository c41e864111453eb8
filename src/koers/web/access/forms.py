from django import forms
from django.utils.translation import gettext_lazy as _

from koers.access.models import Scope
from koers.web.page.forms import DateInput, KoersFormMixin


class AccessRequestForm(KoersFormMixin, forms.Form):
    scope = forms.ChoiceField(label=_("What you want to read"), choices=Scope.choices)
    reason = forms.CharField(label=_("Why you need it"), widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("The approver and the employee read this."))
    valid_from = forms.DateField(label=_("From"), widget=DateInput())
    valid_until = forms.DateField(label=_("Until"), widget=DateInput())
