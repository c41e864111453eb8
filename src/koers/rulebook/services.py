"""Changing an organisation's policy: the one write path for its settings.

``parse_settings`` turns what HR typed (web form or API) into values;
``policy_settings_change`` validates them against the whole policy, records who
changed what and when, and announces the change to the rooms that follow it
(``rulebook/changes.py``: the running cycles).
"""

from collections.abc import Collection, Mapping
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from koers.audit import services as audit
from koers.core import clock
from koers.core.errors import EditConflict, ValidationFailed, require_revision
from koers.core.models import User
from koers.organisation.models import Organisation
from koers.rulebook.changes import policy_changed
from koers.rulebook.models import PolicyChange, PolicyOverride
from koers.rulebook.policy import apply_overrides, preset_of
from koers.rulebook.presets import Policy
from koers.rulebook.questions import by_language
from koers.rulebook.registry import SETTINGS, Kind, check, display, encode, parse


def parse_settings(
    *, organisation: Organisation, texts: Mapping[str, str | Mapping[str, str] | None]
) -> dict[str, Any]:
    """What HR typed, by setting, as values for ``policy_settings_change``.

    ``None`` means "back to the preset" (the API's ``null``); an empty text switches an
    optional setting off; guiding questions come as {language code: lines} too.
    Questions that read in every language exactly as the preset's are the preset's (the
    form and the API hand back the built-in ones translated), so they store nothing.
    Raises ``ValidationFailed`` naming every refused setting.
    """
    preset = preset_of(organisation)
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, text in texts.items():
        setting = SETTINGS.get(name)
        if setting is None:
            errors[name] = [_("Unknown setting.")]
        elif text is None:
            values[name] = getattr(preset, name)
        else:
            try:
                values[name] = parse(setting, text)
            except ValidationFailed as error:
                errors.update(error.errors)
                continue
            preset_value = getattr(preset, name)
            if setting.kind == Kind.TRANSLATED_LINES and (
                    by_language(values[name]) == by_language(preset_value)):
                values[name] = preset_value
    if errors:
        raise ValidationFailed(_("The policy was not changed."), errors)
    return values


def policy_revision(organisation: Organisation) -> int:
    """The revision of ``organisation``'s policy an edit starts from: the last recorded
    change (0 before any). Every change that changes something records one, so it only
    grows."""
    last = PolicyChange.objects.filter(organisation=organisation).aggregate(last=Max("pk"))
    return int(last["last"] or 0)


def policy_settings_change(
    *, organisation: Organisation, values: Mapping[str, Any], actor: User,
    expected_revision: int | None = None, if_revision_in: Collection[int] | None = None,
) -> Policy:
    """Set several settings at once (values as returned by ``parse``); all or nothing.

    Several at once because some rules span settings: a preset without an evaluation
    window can only get one by setting its opening and closing day together.

    1. Refuse unknown settings.
    2. Lock the organisation row, so that two HR officers' changes are checked one
       after the other (the check spans settings; a lock on override rows alone would
       miss an organisation that has none yet). Then the revision the caller read
       (``if_revision_in``, below).
    3. Apply the values over the stored overrides; a value equal to the preset removes
       the override, so "changed" always means "differs from the preset".
    4. Check the whole resulting policy; on any error raise ``ValidationFailed`` and
       change nothing.
    5. Write the overrides and one ``PolicyChange`` per setting that really changed,
       with who and when, and one audit event with all of them, in the same
       transaction; an unchanged value records nothing.
    6. Announce the change (``changes.policy_changed``), in the same transaction: the
       running cycles are recomputed by a worker once it is committed.

    With ``expected_revision`` (the ``policy_revision`` the editor loaded), a setting of
    ``values`` that someone else changed since then raises ``EditConflict`` with that
    setting's value now, as text, and nothing is saved; changes to other settings meanwhile
    do not stand in the way (the check of step 4 still sees them).

    ``if_revision_in``: the revisions of the whole policy the caller read (the API's
    ``If-Match``; the pages pass none), compared with ``policy_revision`` under the lock:
    ``PreconditionFailed`` when it is none of them, and nothing changes. Of two callers
    who read the same revision, the second finds the first one's change.
    """
    unknown = [name for name in values if name not in SETTINGS]
    if unknown:
        raise ValidationFailed(_("Unknown setting."),
                               {name: [_("Unknown setting.")] for name in unknown})
    preset = preset_of(organisation)
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        if if_revision_in is not None:  # the pages name none: no query for them
            require_revision(policy_revision(organisation), if_revision_in)
        if expected_revision is not None:
            _refuse_lost_updates(organisation, list(values), expected_revision)
        stored = {
            o.field: o.value
            for o in PolicyOverride.objects.filter(organisation=organisation)
            if o.field in SETTINGS
        }
        current = dict(stored)
        changes: list[tuple[str, Any, Any]] = []
        for name, value in values.items():
            preset_value = encode(getattr(preset, name))
            old_value = current.get(name, preset_value)
            new_value = encode(value)
            if new_value == preset_value:
                current.pop(name, None)
            else:
                current[name] = new_value
            if new_value != old_value:
                changes.append((name, old_value, new_value))
        candidate = apply_overrides(preset, current)
        errors = check(candidate)
        if errors:
            raise ValidationFailed(_("The policy was not changed."), errors)
        # A constant number of statements however many settings change (the row lock
        # above keeps the delete-and-insert safe from a concurrent change).
        names = [name for name, _old, _new in changes]
        PolicyOverride.objects.filter(organisation=organisation, field__in=names).delete()
        PolicyOverride.objects.bulk_create([
            PolicyOverride(organisation=organisation, field=name, value=current[name])
            for name in names if name in current
        ])
        now = clock.now()
        PolicyChange.objects.bulk_create([
            PolicyChange(organisation=organisation, field=name, old_value=old_value,
                         new_value=new_value, changed_by=actor, changed_at=now)
            for name, old_value, new_value in changes
        ])
        if changes:
            audit.record(
                actor=actor, action="policy.setting_changed", target=organisation,
                changes={name: [old, new] for name, old, new in changes},
                organisation_id=organisation.pk,
            )
        policy_changed(organisation=organisation)
    return candidate


def _refuse_lost_updates(organisation: Organisation, names: list[str],
                         expected_revision: int) -> None:
    meanwhile = set(PolicyChange.objects.filter(
        organisation=organisation, pk__gt=expected_revision, field__in=names,
    ).values_list("field", flat=True))
    if not meanwhile:
        return
    policy = apply_overrides(preset_of(organisation), {
        o.field: o.value for o in PolicyOverride.objects.filter(organisation=organisation)
        if o.field in SETTINGS})
    raise EditConflict(
        _("Someone else changed these settings since you opened the policy: nothing of "
          "yours was saved."),
        current={name: display(SETTINGS[name], getattr(policy, name))
                 for name in sorted(meanwhile)},
        revision=policy_revision(organisation))


def policy_setting_change(
    *, organisation: Organisation, name: str, value: Any, actor: User,
    expected_revision: int | None = None, if_revision_in: Collection[int] | None = None,
) -> Policy:
    """Set one setting (``value`` as returned by ``parse``); see ``policy_settings_change``."""
    return policy_settings_change(organisation=organisation, values={name: value}, actor=actor,
                                  expected_revision=expected_revision,
                                  if_revision_in=if_revision_in)


def policy_setting_reset(*, organisation: Organisation, name: str, actor: User) -> Policy:
    """Back to the preset's value: the override goes, the change is recorded."""
    if name not in SETTINGS:
        raise ValidationFailed(_("Unknown setting."))
    return policy_settings_change(
        organisation=organisation, values={name: getattr(preset_of(organisation), name)},
        actor=actor,
    )

