from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CyclesConfig(AppConfig):
    name = "koers.cycles"
    label = "cycles"
    verbose_name = _("Cycles")

    def ready(self) -> None:
        # The participations of running cycles are computed from people, hours and the
        # policy; organisation and rulebook sit below cycles and cannot call it, so
        # their services announce each change and the cycles follow it here.
        from koers.cycles.services import participation_sync, participations_sync_for_organisation
        from koers.cycles.tasks import recompute_participations_later
        from koers.organisation import changes as organisation_changes
        from koers.rulebook import changes as rulebook_changes

        organisation_changes.on_person_changed(participation_sync)
        organisation_changes.on_organisation_changed(participations_sync_for_organisation)
        rulebook_changes.on_policy_changed(recompute_participations_later)

        from koers.core import metrics
        from koers.cycles.reminders import send_reminders_task

        metrics.count_reminders(send_reminders_task, "evaluation steps")
