"""The development room's files made by the task workers (``access/renderings.py``).

- The POP summary table as a kind of PDF: the plan's readers ask for it, a task worker
  lays it out, and its download is the read of the plan, logged as "Development plan
  (PDF)" for HR under a grant.
- The training demand as a CSV or XLSX table, for HR (below).
"""

from collections.abc import Mapping, Sequence

from django.template.defaultfilters import slugify
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers.access.policy import Viewer
from koers.access.renderings import Document, Kind, Table, register, table_format
from koers.core import languages
from koers.core.errors import NotFoundOrForbidden, ValidationFailed
from koers.core.tables import csv_bytes, xlsx_bytes
from koers.development import exports, pdf, permissions, selectors
from koers.development.models import DevelopmentPlan
from koers.development.states import HrActionStatus
from koers.organisation.models import Organisation

KIND = "development.plan"


def _prepare(viewer: Viewer, pk: int, language: str | None) -> Document | None:
    """The summary table's HTML for a reader of the plan, in the reader's language unless
    another is asked for."""
    plan = permissions.plan_for(viewer, pk)
    if plan is None:
        return None
    language = language or languages.active()
    name = slugify(f"pop-{plan.employee.full_name}-{plan.period_start:%Y}")
    return Document(html=pdf.render_html(plan, language=language), stylesheet=pdf.stylesheet(),
                    language=language, file_name=f"{name}.pdf")


def _allowed(viewer: Viewer, pk: int) -> bool:
    plan = DevelopmentPlan.objects.select_related("employee__unit", "organisation") \
        .filter(pk=pk).first()
    return plan is not None and permissions.can_view_plan(viewer, plan)


def _read(viewer: Viewer, pk: int) -> bool:
    return selectors.plan_read(viewer, pk, as_pdf=True) is not None


PLAN = register(Kind(name=KIND, title=gettext_lazy("Development plan (POP)"),
                     prepare=_prepare, allowed=_allowed, read=_read))


# The training demand as a table -------------------------------------------------------------
# The page's download (``exports.demand_table``), asked for through the API: its subject is
# the organisation; ``format`` (csv or xlsx), ``table`` (summary, the default, or detail)
# and ``status`` (requested or arranged; empty: all) its parameters. HR of any unit of the
# organisation may have it, and reads the demand of its own subtrees, as on the page.

TRAINING_DEMAND = "development.training_demand"
DEMAND_TABLES = ("summary", "detail")


def _organisation(viewer: Viewer, pk: int) -> Organisation | None:
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None or not permissions.can_view_training_demand(viewer, organisation):
        return None
    return organisation


def _demand_allowed(viewer: Viewer, pk: int) -> bool:
    return _organisation(viewer, pk) is not None


def _choice(parameters: Mapping[str, str], name: str, choices: Sequence[str],
            default: str = "") -> str:
    value = parameters.get(name, default)
    if value not in choices:
        message = _("Choose one of %(choices)s.") % {
            "choices": ", ".join(choice for choice in choices if choice)}
        raise ValidationFailed(message, {name: [message]})
    return value


def _prepare_demand(viewer: Viewer, pk: int, parameters: Mapping[str, str],
                    language: str | None) -> Document | None:
    organisation = _organisation(viewer, pk)
    if organisation is None:
        return None
    file_format = table_format(parameters)
    checked = {"format": file_format,
               "table": _choice(parameters, "table", DEMAND_TABLES, "summary"),
               "status": _choice(parameters, "status", ("", *HrActionStatus.values))}
    language = language or languages.active()
    with translation.override(language):
        title = _("Training demand (detail)") if checked["table"] == "detail" \
            else _("Training demand")
    return Document(html="", stylesheet="", language=language,
                    file_name=f"{slugify(f'{title} {organisation.name}')}.{file_format}",
                    parameters=checked)


def _make_demand(viewer: Viewer, pk: int, parameters: Mapping[str, str]) -> bytes:
    organisation = _organisation(viewer, pk)
    if organisation is None:  # the grant ended between the request and the worker
        raise NotFoundOrForbidden(_("This document does not exist or is not yours to read."))
    table = exports.demand_table(viewer, organisation, status=parameters.get("status") or None,
                                 detail=parameters.get("table") == "detail")
    if parameters.get("format") == "csv":
        return csv_bytes(table.header, table.rows)
    return xlsx_bytes(table.title, table.header, table.rows)


TRAINING_DEMAND_TABLE = register(Kind(
    name=TRAINING_DEMAND, title=gettext_lazy("Training demand"), prepare=None,
    allowed=_demand_allowed, read=_demand_allowed,
    table=Table(prepare=_prepare_demand, make=_make_demand)))
