"""The main menu: which pages a viewer is offered, decided in one place.

Each entry leads to a page whose own access rule lets this viewer in (the test walks
every entry as every persona and expects a page, never a 404). The decision reads only
what ``Viewer.of`` already loaded — the person, the role grants and whether the person
evaluates anyone — so the menu adds no query to any page.
"""

from dataclasses import dataclass, replace

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from koers.access import mail, security
from koers.access.policy import Viewer, manages_an_organisation
from koers.organisation.models import Role

BODIES = (Role.APPEAL_BOARD, Role.ADVISORY_BODY, Role.MANAGEMENT_BODY)


@dataclass(frozen=True)
class MenuEntry:
    url_name: str
    label: str | Promise
    # Pages that count as this entry's own (a nav link that redirects to one of them).
    also: tuple[str, ...] = ()
    # The unread count shown beside the entry (notifications only).
    badge: bool = False
    # Whether the page being shown is this entry's (``aria-current="page"``).
    current: bool = False

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass(frozen=True)
class Menu:
    main: list[MenuEntry]
    # Rarely used pages, behind the account disclosure.
    account: list[MenuEntry]


def menu_for(viewer: Viewer, *, current: str | None = None) -> Menu:
    """The entries of the main and the account menu for ``viewer``, in menu order; the
    entry of the page named ``current`` (a URL name) is marked as the current one."""
    main = [MenuEntry("home", _("Start"))]
    account: list[MenuEntry] = []
    if viewer.person is not None:
        main += [
            MenuEntry("my_goals", _("My goals")),
            MenuEntry("my_conversations", _("My conversations")),
            MenuEntry("my_evaluations", _("My evaluations")),
            MenuEntry("my_development_plans", _("My development (POP)")),
            MenuEntry("my_data", _("My data")),
        ]
        leads_team = (viewer.leads_team if viewer.leads_team is not None
                      else bool(viewer.team_ids))
        if leads_team:
            main += [MenuEntry("team_overview", _("Team")),
                     MenuEntry("team_goals", _("Team goals"))]
    if any(viewer.has_role(body) for body in BODIES):
        main.append(MenuEntry("consequences", _("Appeals and salary decisions")))
    hr = viewer.is_superuser or viewer.has_role(Role.HR)
    if hr:
        main.append(MenuEntry("unit_tree", _("Organisation")))
    if manages_an_organisation(viewer):
        main += [
            MenuEntry("cycle_list", _("Cycles")),
            MenuEntry("import_start", _("Import")),
            MenuEntry("policy_start", _("Policy"), also=("policy_detail",)),
        ]
    second_line = (viewer.evaluates_second_line if viewer.evaluates_second_line is not None
                   else bool(viewer.person and viewer.second_line_ids))
    # HR makes access requests; a 2nd evaluator decides them.
    if hr or second_line:
        main.append(MenuEntry("access_requests", _("Access requests")))
    if mail.can_read_undelivered_mail(viewer):
        main.append(MenuEntry("undelivered_mail", _("Undelivered mail")))
    if security.can_read_security_log(viewer):
        main.append(MenuEntry("security_log", _("Security log")))
    main.append(MenuEntry("notifications", _("Notifications"), badge=True))
    if viewer.person is not None:
        account.append(MenuEntry("my_reads", _("Who looked at my data")))
    account += [MenuEntry("mfa_index", _("Two-factor sign-in")),
                MenuEntry("api_tokens", _("API tokens"))]
    def mark(entries: list[MenuEntry]) -> list[MenuEntry]:
        return [replace(entry, current=current is not None
                        and (current == entry.url_name or current in entry.also))
                for entry in entries]

    return Menu(main=mark(main), account=mark(account))
