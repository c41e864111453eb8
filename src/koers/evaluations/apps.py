from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "koers.evaluations"
    label = "evaluations"
    verbose_name = _("Evaluations")

    def ready(self) -> None:
        # An open evaluation's evaluators are whoever holds the role today; organisation
        # sits below evaluations, so its services announce each change of a line and the
        # evaluations follow it here, in the same transaction.
        from koers.core import metrics
        from koers.evaluations import checks  # noqa: F401  (registers the deploy check)
        from koers.evaluations.reminders import send_stage_reminders_task
        from koers.evaluations.services import evaluators_follow_line
        from koers.organisation import changes as organisation_changes

        organisation_changes.on_lines_changed(evaluators_follow_line)
        metrics.count_reminders(send_stage_reminders_task, "stage steps")
