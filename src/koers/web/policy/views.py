"""The organisation's policy: every setting with its preset value, HR's changes, history.

Who sees what (``docs/policies.md``): every signed-in person of the organisation reads
the settings, because the deadlines and who reads the reports concern them all. HR of
the top unit (``access.policy.can_manage_organisation``) changes them, resets them and
sees the change history; who changed what when is HR's business, not every colleague's.
Anyone else gets a 404, the same as for an organisation that does not exist.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from koers.access import policy as access
from koers.core.errors import EditConflict, ValidationFailed
from koers.core.models import User
from koers.organisation.models import Organisation
from koers.rulebook.models import PolicyChange
from koers.rulebook.policy import policy_for, preset_of
from koers.rulebook.presets import Eligibility, PeriodKind, Policy
from koers.rulebook.registry import (
    GROUPS,
    SETTINGS,
    Setting,
    decode,
    describe,
    encode,
    unused_settings,
)
from koers.rulebook.services import (
    parse_settings,
    policy_revision,
    policy_setting_reset,
    policy_settings_change,
)
from koers.web.page.conflicts import Difference, differences, rebound
from koers.web.page.forms import apply_errors
from koers.web.page.viewer import viewer_of
from koers.web.policy.forms import PolicyForm

HISTORY_SIZE = 50


@dataclass(frozen=True)
class Row:
    setting: Setting
    preset: str
    value: str
    changed: bool
    unused: bool


@dataclass(frozen=True)
class HistoryRow:
    change: PolicyChange
    label: str | Promise
    before: str
    after: str

    @property
    def who(self) -> str:
        user = self.change.changed_by
        person = getattr(user, "person", None)
        return person.full_name if person is not None else user.email


def _organisation_or_404(request: HttpRequest, pk: int) -> Organisation:
    """The same 404 for a missing organisation and one the user does not belong to."""
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None or not access.can_read_policy(viewer_of(request), organisation):
        raise Http404
    return organisation


def _managed_or_404(request: HttpRequest, pk: int) -> Organisation:
    organisation = _organisation_or_404(request, pk)
    if not access.can_manage_organisation(viewer_of(request), organisation):
        raise Http404
    return organisation


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required guarantees it
    return request.user


def _describe_raw(name: str, raw: Any) -> str:
    setting = SETTINGS.get(name)
    return str(raw) if setting is None else describe(setting, decode(setting, raw))


def _fixed_rules(policy: Policy) -> list[tuple[str, str]]:
    """What the preset decides and no organisation setting changes, in words."""
    periods = {
        PeriodKind.CALENDAR_YEAR: _("the calendar year"),
        PeriodKind.PER_PERSON: _("12 months per person, from their own start date"),
        PeriodKind.PLAN_YEAR: _("the 12 months of the individual work plan"),
    }
    # Outside the f-string: makemessages cannot see a gettext call inside one.
    only = _("statutory staff in the seniority-based salary system only")
    verdicts = [
        option.code + (f" ({only})" if option.statutory_seniority_only else "")
        for option in policy.verdicts
    ]
    return [
        (_("Period"), periods[policy.period_kind]),
        (_("Verdicts"), ", ".join(verdicts) or _("no verdict")),
        (_("Salary steps"), ", ".join(str(step) for step in policy.salary_steps) or _("none")),
        (_("Whether the evaluation is mandatory is counted in"),
         _("hours effectively worked") if policy.eligibility == Eligibility.HOURS
         else _("whole months employed")),
    ]


@login_required
def policy_start(request: HttpRequest) -> HttpResponse:
    """The nav link: straight to the one organisation, or a choice between several."""
    organisations = list(
        access.organisations_with_readable_policy(viewer_of(request)).order_by("name"))
    if len(organisations) == 1:
        return redirect("policy_detail", pk=organisations[0].pk)
    if not organisations:
        raise Http404
    return render(request, "policy/organisations.html", {"organisations": organisations})


@login_required
def policy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation_or_404(request, pk)
    preset, policy = preset_of(organisation), policy_for(organisation)
    unused = unused_settings(policy)
    groups = []
    for label, names in GROUPS:
        rows = []
        for name in names:
            setting = SETTINGS[name]
            preset_value, value = getattr(preset, name), getattr(policy, name)
            rows.append(Row(
                setting=setting, preset=describe(setting, preset_value),
                value=describe(setting, value),
                # Overrides equal to the preset are never stored, so this is "overridden".
                changed=encode(value) != encode(preset_value), unused=name in unused,
            ))
        groups.append((label, rows))
    can_manage = access.can_manage_organisation(viewer_of(request), organisation)
    history = []
    if can_manage:
        changes = (PolicyChange.objects.filter(organisation=organisation)
                   .select_related("changed_by__person")[:HISTORY_SIZE])
        history = [
            HistoryRow(change=change,
                       label=SETTINGS[change.field].label if change.field in SETTINGS
                       else change.field,
                       before=_describe_raw(change.field, change.old_value),
                       after=_describe_raw(change.field, change.new_value))
            for change in changes
        ]
    return render(request, "policy/detail.html", {
        "organisation": organisation, "preset": preset, "policy": policy, "groups": groups,
        "fixed": _fixed_rules(policy), "can_manage": can_manage, "history": history,
        "history_size": HISTORY_SIZE,
        "changed_count": sum(row.changed for _label, rows in groups for row in rows),
    })


@login_required
def policy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _managed_or_404(request, pk)
    preset, policy = preset_of(organisation), policy_for(organisation)
    form = PolicyForm(request.POST or None, policy=policy, preset=preset,
                      revision=policy_revision(organisation))
    conflict: list[Difference] | None = None
    if request.method == "POST" and form.is_valid():
        texts = form.changed_texts()
        if not texts:
            messages.info(request, _("Nothing was changed."))
            return redirect("policy_detail", pk=organisation.pk)
        try:
            values = parse_settings(organisation=organisation, texts=texts)
            policy_settings_change(organisation=organisation, values=values,
                                   actor=_user(request),
                                   expected_revision=form.cleaned_data["revision"])
        except EditConflict as error:
            form = rebound(PolicyForm, request, error.revision,
                           policy=policy_for(organisation), preset=preset)
            conflict = differences(form, form.saved_now(error.current))
            messages.error(request, error.message)
        except ValidationFailed as error:
            apply_errors(form, form.on_fields(error))
        else:
            messages.success(request, ngettext(
                "%(count)d setting was changed.", "%(count)d settings were changed.",
                len(texts)) % {"count": len(texts)})
            return redirect("policy_detail", pk=organisation.pk)
    return render(request, "policy/form.html", {
        "organisation": organisation, "preset": preset, "form": form, "conflict": conflict,
    })


@login_required
@require_POST
def policy_reset(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    organisation = _managed_or_404(request, pk)
    setting = SETTINGS.get(name)
    if setting is None:
        raise Http404
    try:
        policy_setting_reset(organisation=organisation, name=name, actor=_user(request))
    except ValidationFailed as error:
        # The preset value may clash with another changed setting; say which and why.
        reasons = " ".join(message for errors in error.errors.values() for message in errors)
        messages.error(request, f"{error.message} {reasons}".strip())
    else:
        messages.success(request, _("“%(setting)s” is back to the preset value.")
                         % {"setting": setting.label})
    return redirect("policy_detail", pk=organisation.pk)
