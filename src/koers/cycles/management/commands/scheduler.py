"""``koers scheduler``: enqueue the reminders and the e-mail delivery every N minutes,
and the retention run once a day (its first round of each day).

Run one scheduler next to any number of ``koers db_worker`` processes; the workers run
the tasks. Both tasks are idempotent, so a second scheduler only wastes work, and a
scheduler restarted later in the day still sends that day's reminders at its next
round (a whole day missed is not caught up: see cycles/reminders.py).
"""

import logging
import signal
import threading
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from koers.access.tasks import retention_task
from koers.core import clock
from koers.cycles.reminders import send_reminders_task
from koers.notify.tasks import deliver_emails_task

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Every N minutes, enqueue today's reminders and the e-mail delivery for the task "
        "workers (`koers db_worker`). Run exactly one; stop it with SIGTERM or Ctrl-C."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--every", type=float, default=15, metavar="MINUTES",
            help="minutes between two rounds (default 15)",
        )
        parser.add_argument(
            "--rounds", type=int, default=0,
            help="stop after this many rounds (default: run until stopped)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        every, rounds = options["every"], options["rounds"]
        if every <= 0:
            raise CommandError("--every must be more than 0 minutes")
        stop = threading.Event()

        def request_stop(signum: int, frame: FrameType | None) -> None:
            stop.set()

        previous = signal.signal(signal.SIGTERM, request_stop)
        done = 0
        retention_day = None
        try:
            while not stop.is_set():
                reminders = send_reminders_task.enqueue()
                emails = deliver_emails_task.enqueue()
                if retention_day != clock.today():
                    # Once a day is enough: the period counts in years. A restart runs it
                    # again that day, which finds nothing new.
                    retention_day = clock.today()
                    retention = retention_task.enqueue()
                    logger.info("scheduler: enqueued retention %s", retention.id)
                done += 1
                logger.info("scheduler: enqueued %s and %s", reminders.id, emails.id)
                self.stdout.write(f"round {done}: enqueued reminders and e-mail delivery")
                if rounds and done >= rounds:
                    break
                stop.wait(every * 60)
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
