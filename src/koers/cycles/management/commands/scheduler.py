"""``koers scheduler``: every N minutes, enqueue the periodic tasks the rooms registered
(core/schedule.py): each round the reminders and the e-mail delivery, and in the first
round of each day the daily ones (evaluators following their lines, POP follow-up
reminders, retention).

Run one scheduler next to any number of ``koers db_worker`` processes; the workers run
the tasks. Each task holds a database lock while it runs (core/locks.py) and is
idempotent besides, so a second scheduler never sends twice, and a
scheduler restarted later in the day still sends that day's reminders at its next
round (a whole day missed is not caught up: see cycles/reminders.py).
"""

import logging
import signal
import threading
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.core.management.base import CommandError

from koers.core import clock
from koers.core.commands import KoersCommand
from koers.core.schedule import Every, periodic_tasks

logger = logging.getLogger(__name__)


class Command(KoersCommand):
    help = (
        "Every N minutes, enqueue the periodic tasks (reminders, e-mail delivery; once a "
        "day evaluators following their lines, improvement plan and POP follow-up "
        "reminders and retention) for the task workers (`koers db_worker`). Run one; stop "
        "it with SIGTERM or Ctrl-C."
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
        every_round, daily = periodic_tasks(Every.ROUND), periodic_tasks(Every.DAY)
        day = None
        try:
            while not stop.is_set():
                for periodic in every_round:
                    result = periodic.task.enqueue()
                    logger.info("scheduler: enqueued %s %s", periodic.name, result.id)
                if day != clock.today():
                    # The first round of the day. A restart runs these again that day;
                    # being idempotent, they find nothing new.
                    day = clock.today()
                    for periodic in daily:
                        result = periodic.task.enqueue()
                        logger.info("scheduler: enqueued %s %s", periodic.name, result.id)
                done += 1
                names = [p.name for p in every_round]
                self.stdout.write(f"round {done}: enqueued "
                                  + " and ".join([", ".join(names[:-1]), names[-1]]))
                if rounds and done >= rounds:
                    break
                stop.wait(every * 60)
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
