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
