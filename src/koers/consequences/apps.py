from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsequencesConfig(AppConfig):
    name = "koers.consequences"
    label = "consequences"
    verbose_name = _("Consequences")
