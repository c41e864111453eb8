"""The organisation's catalogues: seeded from the sources, then HR's to edit.

Seeding is idempotent and never overwrites: what exists (by code, or a competency or
action of the same name that HR added earlier) is left as it is, and only the missing
entries and matrix cells are created. So HR's edits survive a second seeding, and a
catalogue that gained entries in a new release can be completed by seeding again.

Every competency has a matrix cell for every action of its organisation, created with
it as "no recommendation yet"; HR fills it in with ``recommendation_set``.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from koers.access.policy import Viewer
from koers.core import clock, languages
from koers.core.errors import NotFoundOrForbidden, ValidationFailed
from koers.core.models import User
from koers.development import permissions
from koers.development.models import (
    Competency,
    CompetencyCluster,
    CompetencyProfile,
    CompetencyProfileEntry,
    DevelopmentAction,
    Recommendation,
)
from koers.development.services.base import check_fields, record, refuse, validate
from koers.development.sources import catalogue_source
from koers.development.states import RecommendationValue
from koers.organisation.models import Organisation

# The translatable texts of each kind of entry: JSON fields of {language code: text}.
CLUSTER_TEXTS = ("names",)
COMPETENCY_TEXTS = ("names", "descriptions")
ACTION_TEXTS = ("names", "definitions", "when_to_choose_texts", "points_of_attention_texts")
TEXT_FIELDS = frozenset(CLUSTER_TEXTS + COMPETENCY_TEXTS + ACTION_TEXTS)
NAME_MAX_LENGTH = 200

CLUSTER_FIELDS = (*CLUSTER_TEXTS, "position")
COMPETENCY_FIELDS = ("cluster", *COMPETENCY_TEXTS, "position", "active")
ACTION_FIELDS = (*ACTION_TEXTS, "position", "active")

Texts = Mapping[str, str]


@dataclass(frozen=True)
class SeedResult:
    """What a seeding created now (zero everywhere when the catalogue was complete)."""

    clusters: int
    competencies: int
    actions: int
    cells: int

    @property
    def anything(self) -> bool:
        return any((self.clusters, self.competencies, self.actions, self.cells))


def catalogue_seed(*, organisation: Organisation, actor: User | None = None) -> SeedResult:
    """Complete the organisation's catalogue from the sources (the POP guide).

    Checklist: lock the organisation (two seedings run one after the other); create the
    missing clusters, competencies and actions by code, skipping a name HR already
    used; create every missing matrix cell, with the source's value where both ends
    come from the source and "no recommendation yet" otherwise; one audit event with
    the counts when anything was created.
    """
    source = catalogue_source()
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        clusters = {c.code: c for c in CompetencyCluster.objects.filter(
            organisation=organisation)}
        new_clusters = [
            CompetencyCluster(organisation=organisation, code=entry.code, position=position,
                              names=dict(entry.names), from_source=True)
            for position, entry in enumerate(source.clusters, start=1)
            if entry.code not in clusters
        ]
        for cluster in CompetencyCluster.objects.bulk_create(new_clusters):
            clusters[cluster.code] = cluster
        # bulk_create sets primary keys on PostgreSQL and SQLite alike; read them back
        # anyway, so the foreign keys below never depend on the backend.
        clusters = {c.code: c for c in CompetencyCluster.objects.filter(
            organisation=organisation)}

        competencies = Competency.objects.filter(organisation=organisation)
        codes = set(competencies.values_list("code", flat=True))
        names = _default_names(competencies)
        positions: dict[str, int] = {}
        new_competencies = []
        for entry in source.competencies:
            positions[entry.cluster] = positions.get(entry.cluster, 0) + 1
            if entry.code in codes or entry.names[languages.DEFAULT].lower() in names:
                continue
            new_competencies.append(Competency(
                organisation=organisation, cluster=clusters[entry.cluster], code=entry.code,
                position=positions[entry.cluster], names=dict(entry.names),
                descriptions=dict(entry.descriptions), from_source=True,
            ))
        Competency.objects.bulk_create(new_competencies)

        actions = DevelopmentAction.objects.filter(organisation=organisation)
        codes = set(actions.values_list("code", flat=True))
        names = _default_names(actions)
        new_actions = [
            DevelopmentAction(
                organisation=organisation, code=entry.code, position=position,
                names=dict(entry.names), definitions=dict(entry.definitions),
                when_to_choose_texts=dict(entry.when_to_choose_texts),
                points_of_attention_texts=dict(entry.points_of_attention_texts),
                from_source=True,
            )
            for position, entry in enumerate(source.actions, start=1)
            if entry.code not in codes and entry.names[languages.DEFAULT].lower() not in names
        ]
        DevelopmentAction.objects.bulk_create(new_actions)

        cells = _complete_matrix(organisation, source.matrix)
        result = SeedResult(clusters=len(new_clusters), competencies=len(new_competencies),
                            actions=len(new_actions), cells=cells)
        if result.anything:
            record(actor=actor, action="development_catalogue.seeded", target=organisation,
                   organisation_id=organisation.pk,
                   changes={"clusters": result.clusters, "competencies": result.competencies,
                            "actions": result.actions, "cells": result.cells})
    return result


def _default_names(entries: Any) -> set[str]:
    """The names in the default language (lower case) of ``entries``, a queryset."""
    return {str(names.get(languages.DEFAULT, "")).lower()
            for names in entries.values_list("names", flat=True)}


def _complete_matrix(organisation: Organisation,
                     values: Mapping[tuple[str, str], RecommendationValue]) -> int:
    """Create the missing cells of the organisation's matrix; return how many."""
    competencies = list(Competency.objects.filter(organisation=organisation)
                        .values_list("pk", "code", "from_source"))
    actions = list(DevelopmentAction.objects.filter(organisation=organisation)
                   .values_list("pk", "code", "from_source"))
    existing = set(Recommendation.objects.filter(competency__organisation=organisation)
                   .values_list("competency_id", "action_id"))
    missing = [
        Recommendation(
            competency_id=competency_id, action_id=action_id,
            value=values.get((competency_code, action_code), RecommendationValue.UNKNOWN)
            if competency_source and action_source else RecommendationValue.UNKNOWN,
        )
        for competency_id, competency_code, competency_source in competencies
        for action_id, action_code, action_source in actions
        if (competency_id, action_id) not in existing
    ]
    Recommendation.objects.bulk_create(missing, batch_size=1000)
    return len(missing)


# Editing by HR ------------------------------------------------------------------------


def _may_manage(actor: Viewer, organisation: Organisation) -> None:
    if not permissions.can_read_catalogue(actor, organisation):
        raise NotFoundOrForbidden(_("This catalogue does not exist or is not yours to see."))
    if not permissions.can_manage_catalogue(actor, organisation):
        raise ValidationFailed(_("Only HR of the whole organisation changes its catalogues."))


def _free_code(model: type[CompetencyCluster | Competency | DevelopmentAction],
               organisation: Organisation, name: str) -> str:
    base = slugify(name)[:70] or "item"
    taken = set(model.objects.filter(organisation=organisation, code__startswith=base)
                .values_list("code", flat=True))
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}-{n}"
    return code


def _next_position(model: type[CompetencyCluster | Competency | DevelopmentAction],
                   **filters: Any) -> int:
    highest = model.objects.filter(**filters).aggregate(top=Max("position"))["top"]
    return int(highest or 0) + 1


def texts_merged(field: str, before: Texts, given: Texts) -> dict[str, str]:
    """``before`` with the languages ``given`` replaced, each text stripped; an empty text
    removes its language. Texts in a language the interface does not offer yet (seeded
    from the data) are kept. A name must have its default language's text and fit."""
    unknown = sorted(set(given) - set(languages.CODES))
    if unknown:
        raise refuse(field, _("Koers does not offer these languages: %(codes)s.")
                     % {"codes": ", ".join(unknown)})
    texts = dict(before)
    for code, text in given.items():
        text = (text or "").strip()
        if text:
            texts[code] = text
        else:
            texts.pop(code, None)
    if field == "names":
        default = languages.Language(languages.DEFAULT)
        if not texts.get(default.value):
            raise refuse(f"names.{default.value}", _("Give the name in %(language)s.")
                         % {"language": languages.DETAILS[default].name})
        for code in given:
            if len(texts.get(code, "")) > NAME_MAX_LENGTH:
                raise refuse(f"names.{code}", _("A name has at most %(count)d characters.")
                             % {"count": NAME_MAX_LENGTH})
    return texts


def _changed_texts(instance: Any, changes: Mapping[str, Any]) -> dict[str, Any]:
    """``changes`` with each text field's languages merged into what ``instance`` holds."""
    return {name: texts_merged(name, getattr(instance, name) or {}, value)
            if name in TEXT_FIELDS else value
            for name, value in changes.items()}


def _name_taken(model: type[Competency | DevelopmentAction], organisation: Organisation,
                names: Texts, exclude_pk: int | None = None) -> bool:
    name = names[languages.DEFAULT]
    others = model.objects.filter(organisation=organisation,
                                  **{f"names__{languages.DEFAULT}__iexact": name})
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    return others.exists()


def _apply(instance: Any, changes: Mapping[str, Any]) -> dict[str, list[Any]]:
    diff: dict[str, list[Any]] = {}
    for name, value in changes.items():
        before = getattr(instance, name)
        if before != value:
            diff[name] = [getattr(before, "pk", before), getattr(value, "pk", value)]
            setattr(instance, name, value)
    if not diff:
        raise ValidationFailed(_("Nothing was changed."))
    return diff


def cluster_create(*, actor: Viewer, organisation: Organisation,
                   names: Texts) -> CompetencyCluster:
    """A cluster of the organisation's own, after the source's; ``names`` in the
    languages Koers offers, the default one required."""
    _may_manage(actor, organisation)
    names = texts_merged("names", {}, names)
    cluster = CompetencyCluster(
        organisation=organisation,
        code=_free_code(CompetencyCluster, organisation, names[languages.DEFAULT]),
        position=_next_position(CompetencyCluster, organisation=organisation), names=names,
    )
    validate(cluster, exclude=["organisation"])
    with transaction.atomic():
        cluster.save()
        record(actor=actor.user, action="competency_cluster.created", target=cluster,
               organisation_id=organisation.pk, changes={"names": [None, cluster.names]})
    return cluster


def cluster_change(*, actor: Viewer, cluster: CompetencyCluster,
                   changes: Mapping[str, Any]) -> CompetencyCluster:
    check_fields(changes, CLUSTER_FIELDS)
    _may_manage(actor, cluster.organisation)
    with transaction.atomic():
        cluster = CompetencyCluster.objects.select_for_update().get(pk=cluster.pk)
        diff = _apply(cluster, _changed_texts(cluster, changes))
        validate(cluster, exclude=["organisation"])
        cluster.save(update_fields=list(diff))
        record(actor=actor.user, action="competency_cluster.changed", target=cluster,
               organisation_id=cluster.organisation_id, changes=diff)
    return cluster


def competency_create(
    *, actor: Viewer, organisation: Organisation, cluster: CompetencyCluster, names: Texts,
    descriptions: Texts | None = None,
) -> Competency:
    """A competency of the organisation's own, with "no recommendation yet" for every
    action in the matrix. Texts are {language code: text}, the name required in the
    default language."""
    _may_manage(actor, organisation)
    if cluster.organisation_id != organisation.pk:
        raise refuse("cluster", _("Choose a cluster of this organisation."))
    names = texts_merged("names", {}, names)
    if _name_taken(Competency, organisation, names):
        raise refuse(f"names.{languages.DEFAULT}",
                     _("The catalogue already has a competency of this name."))
    competency = Competency(
        organisation=organisation, cluster=cluster,
        code=_free_code(Competency, organisation, names[languages.DEFAULT]),
        position=_next_position(Competency, cluster=cluster), names=names,
        descriptions=texts_merged("descriptions", {}, descriptions or {}),
    )
    validate(competency, exclude=["organisation", "cluster"])
    with transaction.atomic():
        competency.save()
        Recommendation.objects.bulk_create([
            Recommendation(competency=competency, action=action)
            for action in DevelopmentAction.objects.filter(organisation=organisation)
        ])
        record(actor=actor.user, action="competency.created", target=competency,
               organisation_id=organisation.pk,
               changes={"names": [None, competency.names], "cluster": [None, cluster.pk]})
    return competency


def competency_change(*, actor: Viewer, competency: Competency,
                      changes: Mapping[str, Any]) -> Competency:
    """Rename, describe, move to another cluster, reorder, or archive (``active``).

    Plans keep what they signed: a signed round holds the names as they were.
    """
    check_fields(changes, COMPETENCY_FIELDS)
    organisation = competency.organisation
    _may_manage(actor, organisation)
    cluster = changes.get("cluster")
    if cluster is not None and cluster.organisation_id != organisation.pk:
        raise refuse("cluster", _("Choose a cluster of this organisation."))
    with transaction.atomic():
        competency = Competency.objects.select_for_update().get(pk=competency.pk)
        new = _changed_texts(competency, changes)
        if "names" in new and _name_taken(Competency, organisation, new["names"],
                                          exclude_pk=competency.pk):
            raise refuse(f"names.{languages.DEFAULT}",
                         _("The catalogue already has a competency of this name."))
        diff = _apply(competency, new)
        validate(competency, exclude=["organisation", "cluster"])
        competency.save(update_fields=list(diff))
        record(actor=actor.user, action="competency.changed", target=competency,
               organisation_id=organisation.pk, changes=diff)
    return competency


def development_action_create(
    *, actor: Viewer, organisation: Organisation, names: Texts,
    definitions: Texts | None = None, when_to_choose_texts: Texts | None = None,
    points_of_attention_texts: Texts | None = None,
) -> DevelopmentAction:
    """A learning form of the organisation's own, with "no recommendation yet" for every
    competency in the matrix. Texts are {language code: text}, the name required in the
    default language; when to choose it and the points of attention one point a line."""
    _may_manage(actor, organisation)
    names = texts_merged("names", {}, names)
    if _name_taken(DevelopmentAction, organisation, names):
        raise refuse(f"names.{languages.DEFAULT}",
                     _("The catalogue already has a development action of this name."))
    action = DevelopmentAction(
        organisation=organisation,
        code=_free_code(DevelopmentAction, organisation, names[languages.DEFAULT]),
        position=_next_position(DevelopmentAction, organisation=organisation), names=names,
        definitions=texts_merged("definitions", {}, definitions or {}),
        when_to_choose_texts=texts_merged("when_to_choose_texts", {},
                                          when_to_choose_texts or {}),
        points_of_attention_texts=texts_merged("points_of_attention_texts", {},
                                               points_of_attention_texts or {}),
    )
    validate(action, exclude=["organisation"])
    with transaction.atomic():
        action.save()
        Recommendation.objects.bulk_create([
            Recommendation(competency=competency, action=action)
            for competency in Competency.objects.filter(organisation=organisation)
        ])
        record(actor=actor.user, action="development_action.created", target=action,
               organisation_id=organisation.pk, changes={"names": [None, action.names]})
    return action


def development_action_change(*, actor: Viewer, action: DevelopmentAction,
                              changes: Mapping[str, Any]) -> DevelopmentAction:
    check_fields(changes, ACTION_FIELDS)
    organisation = action.organisation
    _may_manage(actor, organisation)
    with transaction.atomic():
        action = DevelopmentAction.objects.select_for_update().get(pk=action.pk)
        new = _changed_texts(action, changes)
        if "names" in new and _name_taken(DevelopmentAction, organisation, new["names"],
                                          exclude_pk=action.pk):
            raise refuse(f"names.{languages.DEFAULT}",
                         _("The catalogue already has a development action of this name."))
        diff = _apply(action, new)
        validate(action, exclude=["organisation"])
        action.save(update_fields=list(diff))
        record(actor=actor.user, action="development_action.changed", target=action,
               organisation_id=organisation.pk, changes=diff)
    return action


def recommendation_set(*, actor: Viewer, competency: Competency, action: DevelopmentAction,
                       value: str) -> Recommendation:
    """Fill in or change one cell of the matrix (``unknown`` empties it again)."""
    try:
        target = RecommendationValue(value)
    except ValueError:
        raise refuse("value", _("Choose recommended, not recommended or no recommendation "
                                "yet.")) from None
    organisation = competency.organisation
    _may_manage(actor, organisation)
    if action.organisation_id != organisation.pk:
        raise refuse("action", _("Choose a development action of this organisation."))
    with transaction.atomic():
        cell, _created = Recommendation.objects.select_for_update().get_or_create(
            competency=competency, action=action)
        if cell.value == target:
            raise ValidationFailed(_("Nothing was changed."))
        before = cell.value
        cell.value, cell.changed_by, cell.changed_at = target, actor.user, clock.now()
        cell.save(update_fields=["value", "changed_by", "changed_at"])
        record(actor=actor.user, action="recommendation.changed", target=cell,
               organisation_id=organisation.pk,
               changes={"competency": competency.code, "action": action.code,
                        "value": [before, target.value]})
    return cell


def competency_profile_save(*, actor: Viewer, organisation: Organisation, job_title: str,
                            competencies: Sequence[Competency]) -> CompetencyProfile:
    """The competency profile of a job title, in the order given; replaces the profile's
    competencies when the job title has one already (case ignored)."""
    _may_manage(actor, organisation)
    title = job_title.strip()
    if not title:
        raise refuse("job_title", _("Give the job title the profile is for."))
    if any(c.organisation_id != organisation.pk for c in competencies):
        raise refuse("competencies", _("Choose competencies of this organisation."))
    chosen = list(dict.fromkeys(competencies))
    with transaction.atomic():
        profile = (CompetencyProfile.objects.select_for_update()
                   .filter(organisation=organisation, job_title__iexact=title).first())
        before: list[str] = []
        if profile is None:
            profile = CompetencyProfile.objects.create(organisation=organisation,
                                                       job_title=title)
        else:
            before = [entry.competency.code for entry in
                      profile.entries.select_related("competency")]
            profile.entries.all().delete()
            profile.job_title = title
            profile.save(update_fields=["job_title", "updated_at"])
        CompetencyProfileEntry.objects.bulk_create([
            CompetencyProfileEntry(profile=profile, competency=competency, position=position)
            for position, competency in enumerate(chosen, start=1)
        ])
        record(actor=actor.user, action="competency_profile.saved", target=profile,
               organisation_id=organisation.pk,
               changes={"job_title": title,
                        "competencies": [before, [c.code for c in chosen]]})
    return profile


def competency_profile_delete(*, actor: Viewer, profile: CompetencyProfile) -> None:
    _may_manage(actor, profile.organisation)
    with transaction.atomic():
        record(actor=actor.user, action="competency_profile.deleted", target=profile,
               organisation_id=profile.organisation_id,
               changes={"job_title": profile.job_title})
        profile.delete()
