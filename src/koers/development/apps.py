from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevelopmentConfig(AppConfig):
    name = "koers.development"
    label = "development"
    verbose_name = _("Development")

    def ready(self) -> None:
        from koers.core import metrics
        from koers.development.reminders import send_follow_up_reminders_task

        metrics.count_reminders(send_follow_up_reminders_task, "POP follow-ups")
