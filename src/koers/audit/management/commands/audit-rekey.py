"""``koers audit-rekey``: sign the events hashed before the trail had a key."""

from typing import Any

from django.core.management.base import CommandError

from koers.audit import services
from koers.core.commands import KoersCommand


class Command(KoersCommand):
    help = (
        "Once, after KOERS_AUDIT_KEYS is first set: verify the trail, then hash again with "
        "the current key every chain that holds an event hashed without one (the content "
        "stays as it is). Take a new anchor afterwards: earlier anchors name the old hashes."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            signed = services.rekey()
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"signed: {signed} events")
