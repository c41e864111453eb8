from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImprovementConfig(AppConfig):
    name = "koers.improvement"
    label = "improvement"
    verbose_name = _("Improvement plans")

    def ready(self) -> None:
        from koers.core import metrics
        from koers.improvement import exports, notifications, retention  # noqa: F401
        from koers.improvement.reminders import send_improvement_reminders_task

        metrics.count_reminders(send_improvement_reminders_task, "improvement plan follow-ups")
