from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "koers.conversations"
    label = "conversations"
    verbose_name = _("Conversations")

    def ready(self) -> None:
        # A combined evaluation conversation held before the next cycle opened is that
        # cycle's planning: cycles announces its new participations, and we follow.
        from koers.conversations.milestones import plan_from_combined
        from koers.cycles import changes

        changes.on_participations_added(plan_from_combined)
