"""The API of an organisation's policy (the rulebook's settings and its overrides).
"""

from typing import cast

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Router

from koers.access import policy
from koers.api import preconditions
from koers.api.common_schemas import ConflictOut, Problem
from koers.api.lookups import viewer_of
from koers.api.policy_schemas import (
    PolicyOut,
    PolicySettingChangedOut,
    PolicySettingIn,
    PolicySettingOut,
    PolicySettingsIn,
)
from koers.core.models import User
from koers.organisation.models import Organisation
from koers.rulebook import services as rulebook
from koers.rulebook.policy import preset_of
from koers.rulebook.registry import SETTINGS

router = Router()


# The organisation's policy ---------------------------------------------------------------
# Every person of the organisation reads it; HR of the top unit changes it (404 otherwise,
# as on the web page). Values are text, as typed on the web page: see policy_schemas.


def _policy_organisation(request: HttpRequest, organisation_id: int, *,
                         manage: bool = False) -> Organisation:
    viewer = viewer_of(request)
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None or not policy.can_read_policy(viewer, organisation) or (
            manage and not policy.can_manage_organisation(viewer, organisation)):
        raise Http404
    return organisation


def _policy_to_change(request: HttpRequest, organisation_id: int) -> Organisation:
    """The organisation whose policy HR changes; the change compares ``If-Match`` with
    the policy's revision under the organisation's row lock."""
    return _policy_organisation(request, organisation_id, manage=True)


@router.get("/organisations/{organisation_id}/policy", response=PolicyOut, tags=["policy"],
            summary="The organisation's policy: every setting with its preset and current "
                    "value; ETag: its revision")
def organisation_policy(request: HttpRequest, organisation_id: int,
                        response: HttpResponse) -> PolicyOut:
    organisation = _policy_organisation(request, organisation_id)
    preconditions.tag(response, rulebook.policy_revision(organisation))
    return PolicyOut.of(organisation)


@router.put("/organisations/{organisation_id}/policy/{setting}",
            response={200: PolicySettingChangedOut, 409: ConflictOut, 422: Problem},
            tags=["policy"],
            summary="Change one setting (HR); a null value resets it to the preset; 409 when "
                    "it changed since the revision the change starts from",
            openapi_extra=preconditions.honours_if_match())
def organisation_policy_setting(
    request: HttpRequest, organisation_id: int, setting: str, data: PolicySettingIn,
    response: HttpResponse,
) -> PolicySettingChangedOut:
    organisation = _policy_to_change(request, organisation_id)
    if setting not in SETTINGS:
        raise Http404
    values = rulebook.parse_settings(organisation=organisation, texts={setting: data.value})
    changed = rulebook.policy_settings_change(organisation=organisation, values=values,
                                              actor=cast(User, request.user),
                                              expected_revision=data.expected_revision,
                                              if_revision_in=preconditions.if_match(request))
    out = PolicySettingOut.of(setting, preset=preset_of(organisation), policy=changed)
    revision = rulebook.policy_revision(organisation)
    preconditions.tag(response, revision)
    return PolicySettingChangedOut(**out.dict(), revision=revision)


@router.patch("/organisations/{organisation_id}/policy",
              response={200: PolicyOut, 409: ConflictOut, 422: Problem}, tags=["policy"],
              summary="Change several settings at once, all or nothing (HR); 409 when one "
                      "changed since the revision the change starts from",
              openapi_extra=preconditions.honours_if_match())
def organisation_policy_update(
    request: HttpRequest, organisation_id: int, data: PolicySettingsIn,
    response: HttpResponse,
) -> PolicyOut:
    organisation = _policy_to_change(request, organisation_id)
    values = rulebook.parse_settings(organisation=organisation, texts=data.settings)
    rulebook.policy_settings_change(organisation=organisation, values=values,
                                    actor=cast(User, request.user),
                                    expected_revision=data.expected_revision,
                                    if_revision_in=preconditions.if_match(request))
    preconditions.tag(response, rulebook.policy_revision(organisation))
    return PolicyOut.of(organisation)

