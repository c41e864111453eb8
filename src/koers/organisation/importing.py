"""Imports of units, people, hours worked and absences from CSV or XLSX files.

HR uploads a file and first gets a dry run: every row is validated against the
organisation's data, and each bad row is reported with its line number as Excel
shows it (the column names are line 1). Applying validates again, then writes
everything in one transaction, or nothing: a file with one bad row changes nothing.

Rows are matched by unit code and employee number within the organisation: a known
key updates, an unknown key creates, and an identical row is counted as unchanged, so
importing the same file twice changes nothing the second time.

Order of imports: people name their unit, so units come first. A unit's manager is a
person, so ``manager_employee_number`` must name someone already in Koers; an unknown
manager is a row error that says to import the people first. The usual first run is
therefore: units (manager column empty), people, then the same units file with the
managers filled in. Because unchanged rows are left alone, that second pass only sets
the managers.

A column left out of the file leaves that field as it is on existing rows (new rows
get the default); a column that is present but empty clears optional fields.
"""

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import IO, TYPE_CHECKING, Any

import openpyxl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers.audit import services as audit
from koers.core import clock, languages
from koers.core.clock import today_for
from koers.core.errors import ValidationFailed
from koers.core.models import User
from koers.core.text import is_storable, unstorable_message
from koers.organisation import evaluators, services
from koers.organisation.changes import lines_changed, organisation_changed
from koers.organisation.models import (
    Absence,
    AbsenceKind,
    EffectiveWork,
    EmploymentStatus,
    ImportBatch,
    ImportKind,
    ImportPhase,
    Organisation,
    Person,
    SalarySystem,
    Unit,
    WorkSource,
)
from koers.organisation.rules import hours_worked_error, work_year_error

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# An XLSX is a zip of XML; a few hundred kilobytes can unpack to gigabytes. Real
# workbooks unpack to about 5-10 times their size, so this leaves room and no more.
XLSX_MAX_EXPANSION = 20
# Only so many header cells are read: a forged sheet dimension cannot make every row
# sixteen thousand cells wide.
MAX_COLUMNS = 64
# Lookups by key go in chunks of this many values: one query for any realistic file,
# and never more bind parameters than SQLite accepts.
LOOKUP_CHUNK = 5000

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the pre-2007 .xls format

Cell = object  # str from CSV; str, int, float, datetime, bool or None from XLSX


# Columns ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    column_required: bool  # the file must have this column
    value_required: bool  # every row must fill it in
    description: "StrOrPromise"


DATE_HINT = gettext_lazy("A date: 2024-06-01 or 01/06/2024.")

COLUMNS: dict[ImportKind, tuple[Column, ...]] = {
    ImportKind.UNITS: (
        Column("code", True, True, gettext_lazy("The unit's code; it identifies the unit.")),
        Column("name", True, True, gettext_lazy("The unit's name.")),
        Column("parent_code", True, False, gettext_lazy(
            "The code of the unit above; empty only for the top unit of the organisation.")),
        Column("manager_employee_number", False, False, gettext_lazy(
            "The employee number of the unit's manager, who must already be in Koers: "
            "import the people first, then this file again. Empty: no manager.")),
    ),
    ImportKind.PEOPLE: (
        Column("employee_number", True, True, gettext_lazy(
            "The employee number; it identifies the person.")),
        Column("first_name", True, True, gettext_lazy("First name.")),
        Column("last_name", True, True, gettext_lazy("Last name.")),
        Column("email", True, True, gettext_lazy("Work e-mail address.")),
        Column("language", False, False, gettext_lazy(
            "nl, en, fr or de (or the language's name). Empty: unchanged (Dutch for a new "
            "person).")),
        Column("unit_code", True, True, gettext_lazy("The code of the person's unit.")),
        Column("job_title", False, False, gettext_lazy("Job title.")),
        Column("grade", False, False, gettext_lazy("Grade or level (niveau), e.g. A1.")),
        Column("rank", False, False, gettext_lazy("Rank (rang).")),
        Column("start_date", True, True, DATE_HINT),
        Column("end_date", False, False, gettext_lazy(
            "A date (2024-06-01 or 01/06/2024); empty while the person is employed.")),
        Column("working_time_fraction", False, False, gettext_lazy(
            "0,8 or 0.8 or 80%. Empty: unchanged (full time for a new person).")),
        Column("employment_status", True, True, gettext_lazy(
            "statutory or contractual (statutair, contractueel).")),
        Column("salary_system", False, False, gettext_lazy(
            "seniority or evaluation (anciënniteit, evaluatie), only for a voluntary switch "
            "or a promotion. Empty: the rule of 1 June 2024 applies, unless HR already "
            "set the system by hand.")),
        Column("probation_end_date", False, False, gettext_lazy(
            "A date (2024-06-01 or 01/06/2024); empty when there is no probation.")),
    ),
    ImportKind.EFFECTIVE_WORK: (
        Column("employee_number", True, True, gettext_lazy("The employee number.")),
        Column("year", True, True, gettext_lazy("The calendar year, e.g. 2024.")),
        Column("hours_worked", True, True, gettext_lazy(
            "Hours effectively worked in that year, e.g. 1520,5. A figure HR corrected "
            "by hand is kept.")),
    ),
    ImportKind.ABSENCES: (
        Column("employee_number", True, True, gettext_lazy("The employee number.")),
        Column("kind", True, True, gettext_lazy(
            "annual_leave, sickness, career_break, parental_leave or other (Dutch: "
            "verlof, ziekte, loopbaanonderbreking, ouderschapsverlof, andere).")),
        Column("start_date", True, True, DATE_HINT),
        Column("end_date", True, True, DATE_HINT),
    ),
}

# What a sheet may call a column in Dutch, French or German (lower case, "_" between
# words, as ``_column_name`` reads line 1). Koers's example files write the English names
# of ``COLUMNS``; HR's own export often has its own language's.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("naam", "nom", "bezeichnung"),
    "parent_code": ("code_bovenliggende_eenheid", "bovenliggende_code", "code_parent",
                    "code_du_service_parent", "übergeordneter_code", "code_übergeordnet"),
    "manager_employee_number": ("personeelsnummer_leidinggevende", "matricule_responsable",
                                "personalnummer_vorgesetzter"),
    "employee_number": ("personeelsnummer", "matricule", "numéro_de_matricule",
                        "personalnummer"),
    "first_name": ("voornaam", "prénom", "prenom", "vorname"),
    "last_name": ("achternaam", "familienaam", "nom_de_famille", "nachname", "familienname"),
    "email": ("e_mail", "e_mailadres", "adresse_e_mail", "courriel", "e_mail_adresse"),
    "language": ("taal", "langue", "sprache"),
    "unit_code": ("code_eenheid", "dienstcode", "code_service", "code_du_service",
                  "dienstkennung", "code_dienst"),
    "job_title": ("functietitel", "functie", "fonction", "intitulé_de_fonction",
                  "funktion", "stellenbezeichnung"),
    "grade": ("graad", "niveau", "dienstgrad"),
    "rank": ("rang",),
    "start_date": ("startdatum", "begindatum", "date_de_début", "date_de_debut",
                   "anfangsdatum", "beginndatum"),
    "end_date": ("einddatum", "date_de_fin", "enddatum"),
    "working_time_fraction": ("tewerkstellingsbreuk", "arbeidsregime", "régime_de_travail",
                              "fraction_de_temps_de_travail", "arbeitszeitanteil",
                              "arbeitsregelung"),
    "employment_status": ("statuut", "statut", "beschäftigungsstatus", "dienstverhältnis"),
    "salary_system": ("salarissysteem", "système_de_traitement", "gehaltssystem"),
    "probation_end_date": ("einddatum_proeftijd", "einde_proeftijd", "fin_du_stage",
                           "date_de_fin_du_stage", "ende_der_probezeit"),
    "year": ("jaar", "année", "annee", "jahr"),
    "hours_worked": ("gewerkte_uren", "heures_prestées", "heures_travaillées",
                     "geleistete_stunden", "gearbeitete_stunden"),
    "kind": ("soort", "aard", "type", "art"),
}
_COLUMN_BY_ALIAS = {alias: name for name, aliases in COLUMN_ALIASES.items()
                    for alias in aliases}

EXAMPLES: dict[ImportKind, tuple[tuple[str, ...], ...]] = {
    ImportKind.UNITS: (
        ("ORG", "City of Example", "", ""),
        ("HR", "Human resources", "ORG", ""),
        ("HR-PAY", "Payroll", "HR", ""),
    ),
    ImportKind.PEOPLE: (
        ("E0001", "An", "Peeters", "an.peeters@example.org", "nl", "HR", "HR adviser", "A1",
         "", "01/09/2019", "", "1", "statutory", "", ""),
        ("E0002", "Jan", "Janssens", "jan.janssens@example.org", "en", "HR-PAY",
         "Payroll officer", "C1", "", "2024-06-15", "", "80%", "contractueel", "",
         "14/06/2025"),
    ),
    ImportKind.EFFECTIVE_WORK: (
        ("E0001", "2024", "1520,5"),
        ("E0002", "2024", "610"),
    ),
    ImportKind.ABSENCES: (
        ("E0001", "annual_leave", "01/07/2024", "19/07/2024"),
        ("E0002", "ziekte", "2024-10-07", "2024-10-11"),
    ),
}


def template_csv(kind: ImportKind) -> str:
    """An example file: the column names and a few rows that import as they are.

    Semicolons and a byte-order mark, so Excel in Belgium and the Netherlands opens
    it in columns and with the accents intact.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([column.name for column in COLUMNS[kind]])
    writer.writerows(EXAMPLES[kind])
    return "\ufeff" + buffer.getvalue()


# The report ------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    line_number: int  # as Excel shows it: the column names are line 1
    column: str
    message: str


@dataclass
class ImportReport:
    kind: ImportKind
    errors: list[RowError] = field(default_factory=list)
    create: int = 0
    update: int = 0
    unchanged: int = 0
    kept: int = 0  # hours HR corrected by hand, which an import does not overwrite

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def bad_line_count(self) -> int:
        return len({error.line_number for error in self.errors})

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": str(self.kind),
            "errors": [[e.line_number, e.column, e.message] for e in self.errors],
            "create": self.create,
            "update": self.update,
            "unchanged": self.unchanged,
            "kept": self.kept,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "ImportReport":
        return cls(
            kind=ImportKind(data["kind"]),
            errors=[RowError(line, column, message) for line, column, message in data["errors"]],
            create=data["create"], update=data["update"], unchanged=data["unchanged"],
            kept=data["kept"],
        )


class ImportFileError(ValidationFailed):
    """The file as a whole cannot be read (format, size, column names); no row is checked."""

    def __init__(self, *problems: str) -> None:
        super().__init__(_("The file cannot be imported."), {"file": list(problems)})
        self.problems = list(problems)


# Reading files ---------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    number: int
    cells: dict[str, Cell]  # every named column of the file; "" for an empty cell


@dataclass(frozen=True)
class Table:
    columns: frozenset[str]
    lines: list[Line]


def read_table(*, kind: ImportKind, content: bytes) -> Table:
    """The data lines of a CSV or XLSX file, with the column names checked for ``kind``."""
    limit = settings.KOERS_IMPORT_MAX_BYTES
    if len(content) > limit:
        raise ImportFileError(
            _("The file is larger than %(size)s MB; split it into smaller files.")
            % {"size": _megabytes(limit)}
        )
    if not content.strip():
        raise ImportFileError(_("The file is empty."))
    if content.startswith(OLE_MAGIC):
        raise ImportFileError(
            _("Old Excel files (.xls) cannot be read; save the file as .xlsx or as CSV UTF-8.")
        )
    # The bytes decide the format, not the name: a workbook renamed to .csv still reads.
    rows = _xlsx_rows(content) if content.startswith(ZIP_MAGIC) else _csv_rows(content)
    header = [_column_name(value) for value in rows[0]] if rows else []
    _check_columns(kind, header)
    lines = []
    for number, row in enumerate(rows[1:], start=2):
        cells = {
            name: _clean(row[index]) if index < len(row) else ""
            for index, name in enumerate(header)
            if name
        }
        if any(value != "" for value in cells.values()):
            lines.append(Line(number, cells))
    if not lines:
        raise ImportFileError(_("The file holds no rows below the column names."))
    return Table(frozenset(name for name in header if name), lines)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


def largest_file_megabytes() -> str:
    """The largest import file accepted, in whole megabytes, as the form states it."""
    return _megabytes(settings.KOERS_IMPORT_MAX_BYTES)


def _xlsx_rows(content: bytes) -> list[list[Cell]]:
    limit = settings.KOERS_IMPORT_MAX_BYTES * XLSX_MAX_EXPANSION
    not_a_workbook = _("The file is not a valid Excel workbook (.xlsx).")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            # zipfile never inflates a member beyond its declared size, so the sum of
            # the declared sizes bounds what openpyxl will unpack.
            unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile as error:
        raise ImportFileError(not_a_workbook) from error
    if unpacked > limit:
        raise ImportFileError(
            _("The workbook unpacks to more than %(size)s MB, which is not a normal workbook; "
              "save it again or export it as CSV.") % {"size": _megabytes(limit)}
        )
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged file
        raise ImportFileError(not_a_workbook) from error
    try:
        sheet = workbook.worksheets[0]
        # Ignore the dimension the file claims; read what is really there.
        sheet.reset_dimensions()
        header = list(next(sheet.iter_rows(min_row=1, max_row=1, max_col=MAX_COLUMNS,
                                           values_only=True), ()))
        while header and _clean(header[-1]) == "":
            header.pop()
        if not header:
            return []
        rows: list[list[Cell]] = [header]
        rows.extend(list(row) for row in sheet.iter_rows(min_row=2, max_col=len(header),
                                                         values_only=True))
        return rows
    except Exception as error:
        raise ImportFileError(not_a_workbook) from error
    finally:
        workbook.close()


def _csv_rows(content: bytes) -> list[list[Cell]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            _("The file is not UTF-8 text. In Excel, save it as “CSV UTF-8”.")
        ) from error
    first_line, _newline, rest = text.partition("\n")
    first_line = first_line.rstrip("\r")
    if re.fullmatch(r"sep=[,;]", first_line):
        # Excel honours this hint and hides the line, so the column names stay line 1.
        delimiter, text = first_line[-1], rest
    else:
        # Excel in Belgium and the Netherlands writes semicolons, elsewhere commas.
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""),
                                                delimiter=delimiter)]
    except csv.Error as error:
        raise ImportFileError(_("The CSV file cannot be read: %(error)s") % {"error": error}) \
            from error


def _column_name(value: Cell) -> str:
    """``Employee number``, ``employee-number`` and ``Personeelsnummer`` all mean
    ``employee_number``."""
    name = re.sub(r"[\s\-]+", "_", str(_clean(value)).lower())
    return _COLUMN_BY_ALIAS.get(name, name)


def _clean(value: Cell) -> Cell:
    if value is None:
        return ""
    if isinstance(value, str):
        # Some tools write "ë" as "e" plus a combining mark; compare the composed form.
        return unicodedata.normalize("NFC", value.strip())
    return value


def _check_columns(kind: ImportKind, header: Sequence[str]) -> None:
    expected = [column.name for column in COLUMNS[kind]]
    expected_text = ", ".join(expected)
    names = [name for name in header if name]
    if not names:
        raise ImportFileError(
            _("Line 1 must hold the column names: %(expected)s.") % {"expected": expected_text}
        )
    problems = []
    unknown = [name for name in names if name not in expected]
    if unknown:
        problems.append(
            _("Unknown columns: %(unknown)s. This import has the columns: %(expected)s.")
            % {"unknown": ", ".join(unknown), "expected": expected_text}
        )
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        problems.append(_("These columns appear more than once: %(columns)s.")
                        % {"columns": ", ".join(twice)})
    missing = [c.name for c in COLUMNS[kind] if c.column_required and c.name not in names]
    if missing:
        problems.append(_("Missing columns: %(missing)s.") % {"missing": ", ".join(missing)})
    if problems:
        raise ImportFileError(*problems)


# Reading cells ---------------------------------------------------------------------

_DAY_FIRST = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")

LANGUAGES = languages.by_name()
# Values in English, Dutch, French and German.
EMPLOYMENT_STATUSES = {"statutory": EmploymentStatus.STATUTORY,
                       "statutair": EmploymentStatus.STATUTORY,
                       "statutaire": EmploymentStatus.STATUTORY,
                       "statutarisch": EmploymentStatus.STATUTORY,
                       "contractual": EmploymentStatus.CONTRACTUAL,
                       "contractueel": EmploymentStatus.CONTRACTUAL,
                       "contractuel": EmploymentStatus.CONTRACTUAL,
                       "contractuelle": EmploymentStatus.CONTRACTUAL,
                       "vertraglich": EmploymentStatus.CONTRACTUAL}
SALARY_SYSTEMS = {"seniority": SalarySystem.SENIORITY, "anciënniteit": SalarySystem.SENIORITY,
                  "ancienniteit": SalarySystem.SENIORITY,
                  "ancienneté": SalarySystem.SENIORITY, "anciennete": SalarySystem.SENIORITY,
                  "dienstalter": SalarySystem.SENIORITY,
                  "evaluation": SalarySystem.EVALUATION, "evaluatie": SalarySystem.EVALUATION,
                  "évaluation": SalarySystem.EVALUATION, "bewertung": SalarySystem.EVALUATION}
ABSENCE_KINDS = {
    **{kind.value: kind for kind in AbsenceKind},
    "verlof": AbsenceKind.ANNUAL_LEAVE, "jaarlijks verlof": AbsenceKind.ANNUAL_LEAVE,
    "vakantie": AbsenceKind.ANNUAL_LEAVE, "ziekte": AbsenceKind.SICKNESS,
    "loopbaanonderbreking": AbsenceKind.CAREER_BREAK,
    "ouderschapsverlof": AbsenceKind.PARENTAL_LEAVE, "andere": AbsenceKind.OTHER,
    "congé": AbsenceKind.ANNUAL_LEAVE, "conge": AbsenceKind.ANNUAL_LEAVE,
    "congé annuel": AbsenceKind.ANNUAL_LEAVE, "vacances": AbsenceKind.ANNUAL_LEAVE,
    "maladie": AbsenceKind.SICKNESS, "interruption de carrière": AbsenceKind.CAREER_BREAK,
    "congé parental": AbsenceKind.PARENTAL_LEAVE, "autre": AbsenceKind.OTHER,
    "urlaub": AbsenceKind.ANNUAL_LEAVE, "jahresurlaub": AbsenceKind.ANNUAL_LEAVE,
    "krankheit": AbsenceKind.SICKNESS, "laufbahnunterbrechung": AbsenceKind.CAREER_BREAK,
    "elternurlaub": AbsenceKind.PARENTAL_LEAVE, "andere abwesenheit": AbsenceKind.OTHER,
    "sonstige": AbsenceKind.OTHER,
}


def _as_text(value: Cell) -> str:
    # Excel stores 12345 as a number, and 12345.0 once it has been through a formula.
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip()


def _parse_date(value: Cell) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        if _ISO.fullmatch(value):
            return dt.date.fromisoformat(value)
        match = _DAY_FIRST.fullmatch(value)
        if match:
            day, month, year = (int(part) for part in match.groups())
            return dt.date(year, month, day)
    raise ValueError(value)


def _parse_decimal(value: Cell) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    if not isinstance(value, str):
        raise ValueError(value)
    text = value.replace(" ", "").replace("\u00a0", "")
    if "," in text and "." in text:
        # 1.520,5 (Belgian) or 1,520.5 (English): the last separator is the decimal one.
        thousands = "." if text.rfind(",") > text.rfind(".") else ","
        text = text.replace(thousands, "")
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation as error:
        raise ValueError(value) from error
    if not number.is_finite():
        raise ValueError(value)
    return number


class _Cells:
    """The cells of one data line; each bad cell adds a ``RowError``."""

    def __init__(self, line: Line, columns: frozenset[str], errors: list[RowError]) -> None:
        self.line = line
        self.columns = columns
        self.errors = errors
        self.bad_columns: set[str] = set()

    @property
    def ok(self) -> bool:
        return not self.bad_columns

    def has(self, column: str) -> bool:
        return column in self.columns

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.line.number, column, message))
        self.bad_columns.add(column)

    def _raw(self, column: str, required: bool) -> Cell:
        value = self.line.cells.get(column, "")
        if isinstance(value, str) and not is_storable(value):
            self.error(column, unstorable_message())
            return ""
        if value == "" and required:
            self.error(column, _("This value is required."))
        return value

    def text(self, column: str, *, required: bool = False) -> str:
        value = self._raw(column, required)
        return "" if value == "" else _as_text(value)

    def date(self, column: str, *, required: bool = False) -> dt.date | None:
        value = self._raw(column, required)
        if value == "":
            return None
        try:
            return _parse_date(value)
        except ValueError:
            self.error(column, _("“%(value)s” is not a date; write 2024-06-01 or 01/06/2024.")
                       % {"value": _as_text(value)})
            return None

    def decimal(self, column: str, *, required: bool = False) -> Decimal | None:
        """The number as written, unrounded: the caller checks its range first, since
        rounding a number as large as 1e308 to a hundredth is beyond ``Decimal``."""
        value = self._raw(column, required)
        if value == "":
            return None
        try:
            return _parse_decimal(value)
        except ValueError:
            self.error(column, _("“%(value)s” is not a number.") % {"value": _as_text(value)})
            return None

    def fraction(self, column: str) -> Decimal | None:
        value = self._raw(column, False)
        if value == "":
            return None
        percent = isinstance(value, str) and value.rstrip().endswith("%")
        try:
            number = _parse_decimal(value.rstrip().rstrip("%") if isinstance(value, str)
                                    else value)
        except ValueError:
            number = None
        # The range before any arithmetic: 1e308 cannot be rounded to a thousandth.
        scale = Decimal(100) if percent else Decimal(1)
        if number is not None and Decimal(0) < number <= scale:
            number = (number / scale).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
        if number is None or not Decimal(0) < number <= Decimal(1):
            self.error(column, _("“%(value)s” is not a working-time fraction above 0 and at "
                                 "most 1; write 0,8 or 0.8 or 80%%.") % {"value": _as_text(value)})
            return None
        return number

    def integer(self, column: str, *, required: bool = False) -> int | None:
        value = self._raw(column, required)
        if value == "":
            return None
        text = _as_text(value)
        if not re.fullmatch(r"\d{1,6}", text):
            self.error(column, _("“%(value)s” is not a whole number.") % {"value": text})
            return None
        return int(text)

    def choice[C: str](
        self, column: str, choices: Mapping[str, C], *, required: bool = False
    ) -> C | None:
        value = self.text(column, required=required)
        if value == "":
            return None
        choice = choices.get(value.lower())
        if choice is None:
            accepted = ", ".join(sorted(choices))
            self.error(column, _("“%(value)s” is not one of: %(accepted)s.")
                       % {"value": value, "accepted": accepted})
        return choice

    def check_model(self, instance: models.Model, *, exclude: Iterable[str],
                    columns: Mapping[str, str] | None = None) -> None:
        """The model's own field rules (lengths, e-mail, choices, ranges) on the row.

        Columns already reported are skipped: an empty required cell is said once.
        """
        columns = columns or {}
        try:
            instance.clean_fields(exclude=set(exclude))
        except ValidationError as error:
            for field_name, messages in error.message_dict.items():
                column = columns.get(field_name, field_name)
                if column in self.bad_columns:
                    continue
                for message in messages:
                    self.error(column, message)


def _people_by_number(organisation: Organisation, numbers: Iterable[str]) -> dict[str, Person]:
    # A number that cannot be stored cannot be looked up either; its line says why.
    wanted = sorted({number for number in numbers if number and is_storable(number)})
    found: dict[str, Person] = {}
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        chunk = wanted[start:start + LOOKUP_CHUNK]
        for person in organisation.people.filter(employee_number__in=chunk):
            found[person.employee_number] = person
    return found


def _numbers_in(table: Table) -> list[str]:
    return [_as_text(line.cells.get("employee_number", "")) for line in table.lines]


def _duplicate(cells: _Cells, seen: dict[Any, int], key: Any, column: str,
               message: str) -> None:
    """Report a key seen on an earlier line; ``message`` names that line as %(line)d."""
    if key in seen:
        cells.error(column, message % {"line": seen[key]})
    else:
        seen[key] = cells.line.number


# Planning: validate every row and work out the writes ------------------------------

Writer = Callable[[User | None], None]


@dataclass
class _Plan:
    report: ImportReport
    write: Writer


def _plan(organisation: Organisation, kind: ImportKind, table: Table) -> _Plan:
    planners: dict[ImportKind, Callable[[Organisation, Table], _Plan]] = {
        ImportKind.UNITS: _plan_units,
        ImportKind.PEOPLE: _plan_people,
        ImportKind.EFFECTIVE_WORK: _plan_effective_work,
        ImportKind.ABSENCES: _plan_absences,
    }
    plan = planners[kind](organisation, table)
    # Line by line, and within a line in the order of the columns, as the user reads.
    order = {column.name: index for index, column in enumerate(COLUMNS[kind])}
    plan.report.errors.sort(key=lambda error: (error.line_number, order.get(error.column, 0)))
    return plan


@dataclass
class _UnitRow:
    line: int
    code: str
    name: str
    parent_code: str
    manager: Person | None
    existing: Unit | None


def _parent_code(code_of: Mapping[int, str], unit: Unit) -> str | None:
    return code_of[unit.parent_id] if unit.parent_id is not None else None


def _plan_units(organisation: Organisation, table: Table) -> _Plan:
    report = ImportReport(ImportKind.UNITS)
    units = {unit.code: unit for unit in organisation.units.select_related("manager")}
    code_of = {unit.pk: unit.code for unit in units.values()}
    sets_managers = "manager_employee_number" in table.columns
    managers = (
        _people_by_number(organisation, (_as_text(line.cells["manager_employee_number"])
                                         for line in table.lines))
        if sets_managers else {}
    )
    existing_top = next((unit.code for unit in units.values() if unit.parent_id is None), None)

    # The tree as it will be: the database's parents, overridden by the file's.
    parents = {code: _parent_code(code_of, unit) for code, unit in units.items()}
    rows: dict[str, tuple[_Cells, _UnitRow]] = {}  # by code, the first line with it
    seen: dict[str, int] = {}
    new_top: tuple[str, int] | None = None
    for line in table.lines:
        cells = _Cells(line, table.columns, report.errors)
        code = cells.text("code", required=True)
        name = cells.text("name", required=True)
        parent_code = cells.text("parent_code")
        cells.check_model(Unit(organisation=organisation, code=code, name=name),
                          exclude=["organisation", "parent", "manager", "path", "depth"])
        if code:
            _duplicate(cells, seen, code, "code", _("This code is already on line %(line)d."))
        if parent_code and parent_code == code:
            cells.error("parent_code", _("A unit cannot be its own parent unit."))
        elif parent_code and code == existing_top:
            cells.error("parent_code", _("The top unit cannot be placed below another unit."))
        elif not parent_code and code and existing_top is not None and code != existing_top:
            cells.error("parent_code", _("Only the top unit (%(top)s) has no parent unit; "
                                         "fill in the parent unit's code.")
                        % {"top": existing_top})
        elif not parent_code and code and existing_top is None and new_top is not None:
            cells.error("parent_code", _("An organisation has one top unit, and it is %(top)s "
                                         "on line %(line)d; fill in the parent unit's code.")
                        % {"top": new_top[0], "line": new_top[1]})
        elif not parent_code and code and existing_top is None:
            new_top = (code, line.number)
        manager = None
        manager_number = cells.text("manager_employee_number")
        if manager_number:
            manager = managers.get(manager_number)
            if manager is None:
                cells.error("manager_employee_number", _(
                    "Nobody with employee number %(number)s is in Koers yet. Import the people "
                    "first, then this file again to set the managers.")
                    % {"number": manager_number})
        if code and code not in rows:
            rows[code] = (cells, _UnitRow(line.number, code, name, parent_code, manager,
                                          units.get(code)))
            parents[code] = parent_code or None

    for cells, row in rows.values():
        if row.parent_code and row.parent_code not in parents:
            cells.error("parent_code", _("No unit has the code %(code)s, in this file or in "
                                         "Koers.") % {"code": row.parent_code})
    depths, loops = _tree_depths(parents)
    for loop in loops:
        # Told from the loop's first line in the file, whatever unit the search met first.
        first = min(range(len(loop)), key=lambda i: rows[loop[i]][1].line
                    if loop[i] in rows else len(table.lines) + 2)
        ordered = [*loop[first:], *loop[:first]]
        shown = " → ".join([*ordered, ordered[0]])
        for code in ordered:
            # A unit that names itself, or the top unit placed lower, is reported already.
            if code in rows and "parent_code" not in rows[code][0].bad_columns:
                rows[code][0].error("parent_code", _("The parent units form a loop: %(loop)s.")
                                    % {"loop": shown})
    _check_depths(depths, parents, {code: cells for code, (cells, _row) in rows.items()})

    changes: list[_UnitRow] = []
    for cells, row in rows.values():
        existing = row.existing
        if not cells.ok:
            continue
        if existing is None:
            report.create += 1
            changes.append(row)
        elif (existing.name != row.name
              or _parent_code(code_of, existing) != (row.parent_code or None)
              or (sets_managers
                  and existing.manager_id != (row.manager.pk if row.manager else None))):
            report.update += 1
            changes.append(row)
        else:
            report.unchanged += 1
    # Top-down: every parent exists, in its final place, before its children are written.
    changes.sort(key=lambda row: depths.get(row.code, 0))

    def write(actor: User | None) -> None:
        by_code = dict(units)
        for row in changes:
            parent = by_code[row.parent_code] if row.parent_code else None
            if row.existing is None:
                by_code[row.code] = services.unit_create(
                    organisation=organisation, code=row.code, name=row.name, parent=parent,
                    manager=row.manager,
                )
                continue
            moved = row.existing.parent_id != (parent.pk if parent else None)
            services.unit_update(
                unit=row.existing, code=row.code, name=row.name, parent=parent,
                manager=row.manager if sets_managers else row.existing.manager,
            )
            if moved:
                # A move rewrites the paths of a whole subtree in the database; the
                # units still to be written must see the new paths.
                unit_of = {unit.pk: unit for unit in by_code.values()}
                for pk, path, depth in organisation.units.values_list("pk", "path", "depth"):
                    if pk in unit_of:
                        unit_of[pk].path, unit_of[pk].depth = path, depth

    return _Plan(report, write)


def _tree_depths(parents: Mapping[str, str | None]) -> tuple[dict[str, int], list[list[str]]]:
    """The depth of every unit whose chain of parents ends at a top unit, and the loops."""
    depths: dict[str, int] = {}
    broken: set[str] = set()  # in a loop, below one, or below an unknown code
    loops: list[list[str]] = []
    for start in parents:
        chain: list[str] = []
        on_chain: set[str] = set()
        current: str | None = start
        while current is not None and current not in depths and current not in broken:
            if current in on_chain:
                loops.append(chain[chain.index(current):])
                break
            if current not in parents:
                break
            chain.append(current)
            on_chain.add(current)
            current = parents[current]
        if current is None:
            base = -1
        elif current in depths:
            base = depths[current]
        else:
            broken.update(chain)
            continue
        for offset, code in enumerate(reversed(chain), start=1):
            depths[code] = base + offset
    return depths, loops


def _check_depths(depths: Mapping[str, int], parents: Mapping[str, str | None],
                  line_cells: Mapping[str, _Cells]) -> None:
    reported: set[int] = set()
    for code, depth in depths.items():
        if depth <= services.MAX_UNIT_DEPTH:
            continue
        # A unit not in the file sinks too deep because a unit above it moved:
        # report the moving unit's line.
        culprit: str | None = code
        while culprit is not None and culprit not in line_cells:
            culprit = parents.get(culprit)
        if culprit is not None and line_cells[culprit].line.number not in reported:
            reported.add(line_cells[culprit].line.number)
            line_cells[culprit].error(
                "parent_code", _("The unit tree may be at most %(n)d levels deep.")
                % {"n": services.MAX_UNIT_DEPTH + 1})


# Fields an import may change; the salary system follows from them (see below).
PERSON_IMPORT_FIELDS = tuple(name for name in services.PERSON_FIELDS
                             if name != "employee_number")
PERSON_WRITE_FIELDS = (*PERSON_IMPORT_FIELDS, "salary_system", "salary_system_overridden")


def _plan_people(organisation: Organisation, table: Table) -> _Plan:
    report = ImportReport(ImportKind.PEOPLE)
    unit_ids = dict(organisation.units.values_list("code", "pk"))
    people = _people_by_number(organisation, _numbers_in(table))
    attnames = {f.name: f.attname for f in Person._meta.concrete_fields
                if f.name in PERSON_WRITE_FIELDS}
    seen: dict[str, int] = {}
    creates: list[Person] = []
    updates: list[Person] = []
    changed_fields: set[str] = set()
    regime_changes: list[tuple[Person, Decimal]] = []  # the person and their fraction before
    for line in table.lines:
        cells = _Cells(line, table.columns, report.errors)
        number = cells.text("employee_number", required=True)
        if number:
            _duplicate(cells, seen, number, "employee_number",
                       _("This employee number is already on line %(line)d."))
        values: dict[str, object] = {
            "first_name": cells.text("first_name", required=True),
            "last_name": cells.text("last_name", required=True),
            "email": cells.text("email", required=True).lower(),
            "start_date": cells.date("start_date", required=True),
            "employment_status": cells.choice("employment_status", EMPLOYMENT_STATUSES,
                                              required=True),
        }
        unit_code = cells.text("unit_code", required=True)
        if unit_code and unit_code not in unit_ids:
            cells.error("unit_code", _("No unit has the code %(code)s. Import the units first, "
                                       "or correct the code.") % {"code": unit_code})
        for name in ("job_title", "grade", "rank"):
            if cells.has(name):
                values[name] = cells.text(name)
        for name in ("end_date", "probation_end_date"):
            if cells.has(name):
                values[name] = cells.date(name)
        # Empty language or fraction: keep what the person has (the default when new).
        language = cells.choice("language", LANGUAGES)
        if language:
            values["language"] = language
        fraction = cells.fraction("working_time_fraction")
        if fraction is not None:
            values["working_time_fraction"] = fraction
        salary_system = cells.choice("salary_system", SALARY_SYSTEMS)

        # A repeated number is already an error; it must not touch the first line's person.
        existing = people.get(number) if seen.get(number) == line.number else None
        person = existing or Person(organisation=organisation, employee_number=number)
        before = {name: getattr(person, attname) for name, attname in attnames.items()}
        for name, value in values.items():
            setattr(person, name, value)
        if person.start_date is not None:
            services.apply_salary_system(person, salary_system, new=existing is None)
            if person.end_date is not None and person.end_date < person.start_date:
                cells.error("end_date", _("The end date is before the start date."))
            if person.probation_end_date is not None \
                    and person.probation_end_date < person.start_date:
                cells.error("probation_end_date",
                            _("The probation ends before the start date."))
        # The salary system comes from the choices above or from the rule.
        cells.check_model(person, exclude=["organisation", "unit", "user", "salary_system"])
        if not cells.ok:
            continue
        person.unit_id = unit_ids[unit_code]
        if existing is None:
            creates.append(person)
            continue
        changed = {name for name, attname in attnames.items()
                   if getattr(person, attname) != before[name]}
        if changed:
            updates.append(person)
            changed_fields |= changed
            if "working_time_fraction" in changed:
                regime_changes.append((person, before["working_time_fraction"]))
        else:
            report.unchanged += 1
    report.create, report.update = len(creates), len(updates)

    def write(actor: User | None) -> None:
        # One statement per few hundred rows instead of several queries per person;
        # every rule ``person_save`` checks was checked above on each row.
        Person.objects.bulk_create(creates, batch_size=500)
        if updates:
            now = timezone.now()  # the wall clock, as ``auto_now`` on a save
            for person in updates:
                person.updated_at = now
            Person.objects.bulk_update(updates, sorted(changed_fields | {"updated_at"}),
                                       batch_size=500)
        # A changed fraction is kept as ``person_save`` keeps it (a functioning
        # conversation may follow, [b3]).
        services.working_time_changes_record(regime_changes,
                                             day=today_for(organisation))

    return _Plan(report, write)


def _plan_effective_work(organisation: Organisation, table: Table) -> _Plan:
    report = ImportReport(ImportKind.EFFECTIVE_WORK)
    people = _people_by_number(organisation, _numbers_in(table))
    this_year = today_for(organisation).year
    seen: dict[tuple[str, int], int] = {}
    rows: list[tuple[Person, int, Decimal]] = []
    for line in table.lines:
        cells = _Cells(line, table.columns, report.errors)
        number = cells.text("employee_number", required=True)
        year = cells.integer("year", required=True)
        hours = cells.decimal("hours_worked", required=True)
        person = people.get(number)
        if number and person is None:
            cells.error("employee_number", _("Nobody in this organisation has the employee "
                                             "number %(number)s.") % {"number": number})
        year_problem = work_year_error(year, this_year=this_year) if year is not None else None
        if year_problem:
            cells.error("year", year_problem)
        if number and year is not None:
            _duplicate(cells, seen, (number, year), "year",
                       _("This person's hours for this year are already on line %(line)d."))
        hours_problem = hours_worked_error(hours) if hours is not None else None
        if hours_problem:
            cells.error("hours_worked", hours_problem)
        if cells.ok and person is not None and year is not None and hours is not None:
            # Payroll exports compute hours with many decimals; a hundredth is precise enough.
            rows.append((person, year, hours.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)))

    recorded = {
        (work.person_id, work.year): work
        for work in EffectiveWork.objects.filter(
            person__organisation=organisation, year__in={year for _p, year, _h in rows})
    }
    creates: list[EffectiveWork] = []
    updates: list[EffectiveWork] = []
    for person, year, hours in rows:
        work = recorded.get((person.pk, year))
        if work is None:
            creates.append(EffectiveWork(person=person, year=year, hours_worked=hours,
                                         source=WorkSource.IMPORTED))
        elif not services.import_may_replace(work):
            report.kept += 1
        elif work.hours_worked == hours and work.source == WorkSource.IMPORTED:
            report.unchanged += 1
        else:
            work.hours_worked, work.source, work.note = hours, WorkSource.IMPORTED, ""
            updates.append(work)
    report.create, report.update = len(creates), len(updates)

    def write(actor: User | None) -> None:
        now = clock.now()
        for work in [*creates, *updates]:
            work.updated_by, work.updated_at = actor, now
        EffectiveWork.objects.bulk_create(creates, batch_size=500)
        if updates:
            EffectiveWork.objects.bulk_update(
                updates, ["hours_worked", "source", "note", "updated_by", "updated_at"],
                batch_size=500,
            )

    return _Plan(report, write)


def _plan_absences(organisation: Organisation, table: Table) -> _Plan:
    report = ImportReport(ImportKind.ABSENCES)
    people = _people_by_number(organisation, _numbers_in(table))
    seen: dict[tuple[str, str, dt.date], int] = {}
    rows: list[Absence] = []
    for line in table.lines:
        cells = _Cells(line, table.columns, report.errors)
        number = cells.text("employee_number", required=True)
        kind = cells.choice("kind", ABSENCE_KINDS, required=True)
        start = cells.date("start_date", required=True)
        end = cells.date("end_date", required=True)
        person = people.get(number)
        if number and person is None:
            cells.error("employee_number", _("Nobody in this organisation has the employee "
                                             "number %(number)s.") % {"number": number})
        if start is not None and end is not None and end < start:
            cells.error("end_date", _("The end date is before the start date."))
        if number and kind and start is not None:
            _duplicate(cells, seen, (number, kind, start), "start_date",
                       _("This absence is already on line %(line)d."))
        if cells.ok and person is not None and kind and start is not None and end is not None:
            rows.append(Absence(person=person, kind=kind, start_date=start, end_date=end))

    # An absence has no number of its own: person, kind and first day identify it.
    recorded: dict[tuple[int, str, dt.date], Absence] = {}
    if rows:
        starts = [absence.start_date for absence in rows]
        for absence in Absence.objects.filter(person__organisation=organisation,
                                              start_date__range=(min(starts), max(starts))):
            recorded.setdefault((absence.person_id, absence.kind, absence.start_date), absence)
    creates: list[Absence] = []
    updates: list[Absence] = []
    for absence in rows:
        known = recorded.get((absence.person_id, absence.kind, absence.start_date))
        if known is None:
            creates.append(absence)
        elif known.end_date == absence.end_date:
            report.unchanged += 1
        else:
            known.end_date = absence.end_date
            updates.append(known)
    report.create, report.update = len(creates), len(updates)

    def write(actor: User | None) -> None:
        Absence.objects.bulk_create(creates, batch_size=500)
        if updates:
            Absence.objects.bulk_update(updates, ["end_date"], batch_size=500)

    return _Plan(report, write)


# Entry points ----------------------------------------------------------------------


def dry_run(*, organisation: Organisation, kind: ImportKind, content: bytes) -> ImportReport:
    """Validate every row and count what applying would do; writes nothing."""
    return _plan(organisation, kind, read_table(kind=kind, content=content)).report


def apply(*, organisation: Organisation, kind: ImportKind, content: bytes,
          actor: User | None) -> ImportReport:
    """Validate again and, only if every row is good, write all rows in one transaction.

    The report says whether anything was written (``report.ok``). A service that
    refuses a row during the writes rolls every row back. One audit event on the
    organisation sums it up (who, what kind, the counts): the rows are written in bulk,
    without an event each (units, written through their services, also have their own).
    """
    with transaction.atomic():
        plan = _plan(organisation, kind, read_table(kind=kind, content=content))
        if plan.report.ok:
            # Each unit written through its service asks for the lines below it; they
            # are refreshed once, after the last row (people are written in bulk).
            with evaluators.refreshed_once():
                plan.write(actor)
                if kind == ImportKind.PEOPLE:
                    evaluators.refresh_lines(Person.objects.filter(organisation=organisation))
            report = plan.report
            audit.record(actor=actor, action="import.applied", target=organisation,
                         organisation_id=organisation.pk,
                         changes={"kind": kind, "created": report.create,
                                  "updated": report.update, "unchanged": report.unchanged,
                                  "kept": report.kept})
    return plan.report


def upload_content(file: IO[bytes]) -> bytes:
    """An uploaded file's bytes, read up to one byte past the limit: enough for
    ``read_table`` to refuse a file that is too large; reading more would only fill
    memory."""
    return file.read(settings.KOERS_IMPORT_MAX_BYTES + 1)


def import_batch_upload(*, organisation: Organisation, kind: ImportKind, file_name: str,
                        content: bytes, uploaded_by: User) -> ImportBatch:
    """Store an upload with its dry-run report.

    A file that cannot be read at all (format, size, columns) raises
    ``ImportFileError`` and is not stored.
    """
    report = dry_run(organisation=organisation, kind=kind, content=content)
    return ImportBatch.objects.create(
        organisation=organisation, kind=kind, file_name=file_name[:255], content=content,
        uploaded_by=uploaded_by, dry_run_report=report.as_json(),
    )


def import_batch_apply_request(*, batch: ImportBatch, actor: User) -> ImportBatch:
    """Ask a task worker to apply a stored upload (``import_batch_run``): a whole
    organisation's rows and the recomputation of its running cycles take longer than a
    request may. The batch shows how far it got; a second click while it is under way
    changes nothing and enqueues nothing more. A batch that stopped on an error may be
    asked for again: it goes on where it stopped.
    """
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update(of=("self",)).get(pk=batch.pk)
        if locked.apply_phase in UNDER_WAY:
            return locked
        if locked.applied_at is not None and locked.apply_phase != ImportPhase.FAILED:
            raise ValidationFailed(_("This file has already been imported."))
        if not ImportReport.from_json(locked.dry_run_report).ok:
            # Its rows were refused at the dry run or when applying: every row or none.
            raise ValidationFailed(_("This file has errors, so nothing in it can be "
                                     "imported. Correct the file and upload it again."))
        locked.apply_phase = ImportPhase.QUEUED
        locked.apply_requested_at, locked.apply_requested_by = clock.now(), actor
        locked.save(update_fields=["apply_phase", "apply_requested_at", "apply_requested_by"])
        # Imported here: the task module imports this one. Inside the transaction: with the
        # database backend the task commits with the request, never one without the other.
        from koers.organisation.tasks import apply_import_task

        apply_import_task.enqueue(locked.pk)
    return locked


UNDER_WAY = (ImportPhase.QUEUED, ImportPhase.WRITING, ImportPhase.FOLLOWING)


class BatchState:
    """Where a stored upload stands, in one word (``batch_status``)."""

    CHECKED = "checked"  # every row is valid; nothing written yet
    INVALID = "invalid"  # the dry run found bad rows; it cannot be applied
    REFUSED = "refused"  # rows went bad between the dry run and applying; nothing written
    QUEUED = ImportPhase.QUEUED.value  # applying, waiting for a task worker
    WRITING = ImportPhase.WRITING.value
    FOLLOWING = ImportPhase.FOLLOWING.value  # rows written; the running cycles follow
    FAILED = ImportPhase.FAILED.value  # stopped by an error; it may be asked for again
    APPLIED = "applied"


@dataclass(frozen=True)
class BatchStatus:
    """A stored upload's report and where it stands, as its page and the API say it."""

    report: ImportReport
    state: str

    @property
    def under_way(self) -> bool:
        return self.state in UNDER_WAY

    @property
    def failed(self) -> bool:
        return self.state == BatchState.FAILED

    @property
    def refused(self) -> bool:
        return self.state == BatchState.REFUSED


def batch_status(batch: ImportBatch) -> BatchStatus:
    report = ImportReport.from_json(batch.dry_run_report)
    if batch.apply_phase:  # under way or failed: the phase says it
        state = str(batch.apply_phase)
    elif batch.applied_at is not None:
        state = BatchState.APPLIED
    elif not report.ok:
        state = BatchState.REFUSED if batch.apply_requested_at else BatchState.INVALID
    else:
        state = BatchState.CHECKED
    return BatchStatus(report, state)


def import_batch_run(batch_id: int) -> ImportReport | None:
    """Apply an upload in a task worker, phase by phase, each committed so its page can
    follow: the rows (``_write``, one transaction), then the running cycles
    (``changes.organisation_changed``). An error stops it at its phase, marked failed
    (the rows' transaction rolled back; or, if they were written, the cycles to update
    again). Returns the report, or None when there was nothing to do."""
    batch = ImportBatch.objects.select_related("organisation", "apply_requested_by").filter(
        pk=batch_id, apply_phase=ImportPhase.QUEUED).first()
    if batch is None:
        return None  # applied, or asked for again and run by another worker
    actor = batch.apply_requested_by
    report = ImportReport.from_json(batch.dry_run_report)
    try:
        if batch.applied_at is None:
            _phase(batch, ImportPhase.WRITING)
            report = _write(batch, actor)
            if not report.ok:
                _phase(batch, ImportPhase.NONE)
                return report
        _phase(batch, ImportPhase.FOLLOWING)
        if batch.kind != ImportKind.UNITS:
            organisation_changed(organisation=batch.organisation, actor=actor)
        _phase(batch, ImportPhase.NONE)
    except Exception:
        _phase(batch, ImportPhase.FAILED)
        raise
    return report


def _phase(batch: ImportBatch, phase: ImportPhase) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(apply_phase=phase)
    batch.apply_phase = phase


def _write(batch: ImportBatch, actor: User | None) -> ImportReport:
    """Apply a stored upload's rows once.

    Checklist: lock the batch so two workers cannot apply it twice; refuse an applied
    batch; validate the stored bytes again against today's data; if a row went bad
    since the dry run, store the new report and write nothing; otherwise write all
    rows, mark the batch applied and drop its content, and (units and people: managers
    and units may have changed) announce that anyone's evaluator line may have changed
    (``changes.lines_changed``), in the same transaction. The running cycles follow an
    import of people, hours or absences once it is committed (``import_batch_run``).
    """
    with transaction.atomic():
        locked = (ImportBatch.objects.select_for_update(of=("self",))
                  .select_related("organisation").get(pk=batch.pk))
        if locked.applied_at is not None:
            raise ValidationFailed(_("This file has already been imported."))
        report = apply(organisation=locked.organisation, kind=ImportKind(locked.kind),
                       content=bytes(locked.content), actor=actor)
        locked.dry_run_report = report.as_json()
        fields = ["dry_run_report"]
        if report.ok:
            locked.applied_at, locked.applied_by, locked.content = clock.now(), actor, b""
            fields += ["applied_at", "applied_by", "content"]
        locked.save(update_fields=fields)
        if report.ok and locked.kind in (ImportKind.UNITS, ImportKind.PEOPLE):
            lines_changed(people=Person.objects.filter(organisation=locked.organisation),
                          actor=actor)
    batch.applied_at = locked.applied_at
    return report
