from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "koers.core"
    label = "core"

    def ready(self) -> None:
        from koers.core import (
            checks,  # noqa: F401  (registers the deploy check)
            error_reports,
        )

        error_reports.configure_from_settings()
