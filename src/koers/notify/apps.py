from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "koers.notify"
    label = "notify"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # Rooms register their message kinds in a `notifications` module; importing
        # them here fills the registry in every process without notify importing them.
        autodiscover_modules("notifications")
        # Models can be imported only once the app registry is ready, that is here.
        from koers.core import health, metrics
        from koers.notify import outbox

        health.register_figure("mail_backlog", outbox.backlog)
        metrics.register_gauge("mail_undelivered", "E-mails given up on, that HR sees "
                               "(/mail/undelivered/).", outbox.undelivered_count)
