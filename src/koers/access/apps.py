from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "koers.access"
    label = "access"
    verbose_name = _("Access")

    def ready(self) -> None:
        # Each room's exporter and eraser of personal data (access/personal_data.py).
        from koers.access import personal_data, renderings

        personal_data.discover()
        # Each room's kinds of PDF (access/renderings.py).
        renderings.discover()
