import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import translation

from koers.core.errors import ValidationFailed
from koers.core.models import User
from koers.organisation import importing, services
from koers.organisation.models import (
    Absence,
    AbsenceKind,
    EffectiveWork,
    EmploymentStatus,
    ImportKind,
    Person,
    SalarySystem,
    Unit,
    WorkSource,
)
from tests import factories

pytestmark = pytest.mark.django_db

UNITS = ImportKind.UNITS
PEOPLE = ImportKind.PEOPLE
WORK = ImportKind.EFFECTIVE_WORK
ABSENCES = ImportKind.ABSENCES

PEOPLE_HEADER = ("employee_number;first_name;last_name;email;language;unit_code;job_title;"
                 "grade;rank;start_date;end_date;working_time_fraction;employment_status;"
                 "salary_system;probation_end_date")


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in their English source form, whatever catalogues exist."""
    with translation.override("en"):
        yield


@pytest.fixture
def org():
    organisation = factories.organisation()
    top = services.unit_create(organisation=organisation, code="ORG", name="City")
    services.unit_create(organisation=organisation, code="HR", name="HR", parent=top)
    return organisation


@pytest.fixture
def actor():
    return User.objects.create_user(email="hr@example.test", password="secret-password")


def csv(*lines: str) -> bytes:
    return "\r\n".join(lines).encode()


def person_row(number="E1", first="An", last="Peeters", email="an@example.test", language="nl",
               unit="HR", job="Adviser", grade="A1", rank="", start="2020-01-06", end="",
               fraction="1", status="statutory", salary="", probation="") -> str:
    return ";".join([number, first, last, email, language, unit, job, grade, rank, start, end,
                     fraction, status, salary, probation])


def people_csv(*rows: str) -> bytes:
    return csv(PEOPLE_HEADER, *rows)


def dry_run(org, kind, content):
    return importing.dry_run(organisation=org, kind=kind, content=content)


def problems(report):
    return [(error.line_number, error.column) for error in report.errors]


def xlsx(*rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# Files -----------------------------------------------------------------------------


def test_unknown_column_is_a_file_error_that_lists_the_expected_columns(org):
    content = csv("code;name;parent;colour", "X;Unit X;ORG;red")

    with pytest.raises(importing.ImportFileError) as caught:
        dry_run(org, UNITS, content)

    assert caught.value.problems == [
        "Unknown columns: parent, colour. This import has the columns: "
        "code, name, parent_code, manager_employee_number.",
        "Missing columns: parent_code.",
    ]


def test_a_column_may_appear_only_once(org):
    with pytest.raises(importing.ImportFileError) as caught:
        dry_run(org, UNITS, csv("code;name;parent_code;name", "X;Unit X;ORG;Unit X"))

    assert caught.value.problems == ["These columns appear more than once: name."]


def test_a_file_over_the_size_limit_is_refused(org, settings):
    settings.KOERS_IMPORT_MAX_BYTES = 20

    with pytest.raises(importing.ImportFileError):
        dry_run(org, UNITS, csv("code;name;parent_code", "X;Unit X;ORG"))


def test_a_workbook_that_unpacks_far_beyond_its_size_is_refused(org, settings):
    # 600 kB of repeated text compresses to a few kB: a small zip bomb.
    rows = [(f"X{n}", "x" * 30_000, "ORG") for n in range(20)]
    content = xlsx(("code", "name", "parent_code"), *rows)
    settings.KOERS_IMPORT_MAX_BYTES = len(content) + 1
    assert len(content) * importing.XLSX_MAX_EXPANSION < 600_000

    with pytest.raises(importing.ImportFileError) as caught:
        dry_run(org, UNITS, content)

    assert "unpacks to more than" in caught.value.problems[0]


def test_a_csv_that_is_not_utf8_is_refused_with_a_hint(org):
    content = "code;name;parent_code\r\nX;Gaëlle's unit;ORG".encode("cp1252")

    with pytest.raises(importing.ImportFileError) as caught:
        dry_run(org, UNITS, content)

    assert caught.value.problems == [
        "The file is not UTF-8 text. In Excel, save it as “CSV UTF-8”."]


def test_an_old_xls_workbook_is_refused(org):
    with pytest.raises(importing.ImportFileError):
        dry_run(org, UNITS, importing.OLE_MAGIC + b"\x00" * 100)


def test_a_damaged_workbook_is_refused(org):
    with pytest.raises(importing.ImportFileError) as caught:
        dry_run(org, UNITS, importing.ZIP_MAGIC + b"not really a zip")

    assert caught.value.problems == ["The file is not a valid Excel workbook (.xlsx)."]


def test_a_file_without_rows_below_the_header_is_refused(org):
    with pytest.raises(importing.ImportFileError):
        dry_run(org, UNITS, csv("code;name;parent_code", ";;"))


def test_bom_and_spoken_column_names_are_accepted(org):
    content = "\ufeffCode,Name,Parent code\r\nFIN,Finance,ORG\r\n".encode()

    report = dry_run(org, UNITS, content)

    assert (report.errors, report.create) == ([], 1)


def test_comma_csv_keeps_quoted_commas_together(org, actor):
    content = csv("code,name,parent_code", 'FIN,"Finance, budget and audit",ORG')

    importing.apply(organisation=org, kind=UNITS, content=content, actor=actor)

    assert Unit.objects.get(code="FIN").name == "Finance, budget and audit"


def test_excel_sep_hint_line_is_not_counted_as_a_line(org):
    content = csv("sep=;", "code;name;parent_code", "FIN;Finance;NOPE")

    report = dry_run(org, UNITS, content)

    assert problems(report) == [(2, "parent_code")]


def test_line_numbers_are_excel_rows_with_blank_rows_counted(org):
    content = csv("code;name;parent_code", "FIN;Finance;ORG", ";;", "", "IT;IT;NOPE")

    report = dry_run(org, UNITS, content)

    assert problems(report) == [(5, "parent_code")]


def test_a_quoted_line_break_stays_in_one_excel_row(org):
    content = csv("code;name;parent_code", 'FIN;"Finance\r\nand budget";ORG', "IT;IT;NOPE")

    report = dry_run(org, UNITS, content)

    assert problems(report) == [(3, "parent_code")]


# Units -----------------------------------------------------------------------------


def test_units_import_builds_the_tree_top_down_whatever_the_row_order(actor):
    organisation = factories.organisation()
    content = csv("code;name;parent_code", "TEAM;Team;DEPT", "DEPT;Department;TOP",
                  "TOP;Top;")

    report = importing.apply(organisation=organisation, kind=UNITS, content=content,
                             actor=actor)

    assert (report.errors, report.create) == ([], 3)
    team = Unit.objects.get(code="TEAM")
    assert [u.code for u in Unit.objects.filter(pk__in=team.ancestor_ids).order_by("depth")] \
        == ["TOP", "DEPT"]
    assert team.depth == 2


def test_unknown_parent_code_is_a_row_error(org):
    report = dry_run(org, UNITS, csv("code;name;parent_code", "FIN;Finance;FINANCE"))

    assert [(e.line_number, e.column, e.message) for e in report.errors] == [
        (2, "parent_code", "No unit has the code FINANCE, in this file or in Koers."),
    ]


def test_a_code_twice_in_the_file_is_reported_on_the_second_line(org):
    report = dry_run(org, UNITS, csv("code;name;parent_code", "FIN;Finance;ORG",
                                     "FIN;Finance again;ORG"))

    assert [(e.line_number, e.column, e.message) for e in report.errors] == [
        (3, "code", "This code is already on line 2."),
    ]


def test_parent_units_that_form_a_loop_are_reported_on_each_line(org):
    report = dry_run(org, UNITS, csv("code;name;parent_code", "A;A;B", "B;B;C", "C;C;A"))

    assert problems(report) == [(2, "parent_code"), (3, "parent_code"), (4, "parent_code")]
    assert report.errors[0].message.startswith("The parent units form a loop: ")


def test_moving_a_unit_below_its_own_child_is_a_loop(org):
    report = dry_run(org, UNITS, csv("code;name;parent_code", "FIN;Finance;HR", "HR;HR;FIN"))

    assert [(e.line_number, e.message) for e in report.errors] == [
        (2, "The parent units form a loop: FIN → HR → FIN."),
        (3, "The parent units form a loop: FIN → HR → FIN."),
    ]


def test_a_unit_cannot_be_its_own_parent(org):
    report = dry_run(org, UNITS, csv("code;name;parent_code", "FIN;Finance;FIN"))

    assert problems(report) == [(2, "parent_code")]


def test_an_organisation_has_one_top_unit(org):
    report = dry_run(org, UNITS, csv("code;name;parent_code", "OTHER;Other top;"))

    assert [(e.line_number, e.message) for e in report.errors] == [
        (2, "Only the top unit (ORG) has no parent unit; fill in the parent unit's code."),
    ]


def test_a_new_organisation_gets_one_top_unit_from_the_file():
    organisation = factories.organisation()

    report = dry_run(organisation, UNITS, csv("code;name;parent_code", "A;A;", "B;B;"))

    assert problems(report) == [(3, "parent_code")]


def test_the_top_unit_cannot_move_below_another_unit(org):
    report = dry_run(org, UNITS, csv("code;name;parent_code", "ORG;City;HR"))

    assert problems(report) == [(2, "parent_code")]


def test_the_tree_depth_is_limited(org):
    rows = [f"L{level};Level {level};{'L' + str(level - 1) if level else 'HR'}"
            for level in range(services.MAX_UNIT_DEPTH)]

    report = dry_run(org, UNITS, csv("code;name;parent_code", *rows))

    # HR is at depth 1, so L0 is at depth 2 and the last allowed level is L13.
    assert problems(report) == [(16, "parent_code")]


def test_missing_code_and_name_are_reported_once_each(org):
    report = dry_run(org, UNITS, csv("code;name;parent_code", ";;ORG"))

    assert [(e.column, e.message) for e in report.errors] == [
        ("code", "This value is required."), ("name", "This value is required."),
    ]


def test_a_code_longer_than_the_model_allows_is_reported(org):
    report = dry_run(org, UNITS, csv("code;name;parent_code", f"{'X' * 41};Long;ORG"))

    assert problems(report) == [(2, "code")]


def test_a_manager_must_already_be_in_koers(org):
    content = csv("code;name;parent_code;manager_employee_number", "FIN;Finance;ORG;E77")

    report = dry_run(org, UNITS, content)

    assert [(e.line_number, e.column, e.message) for e in report.errors] == [
        (2, "manager_employee_number",
         "Nobody with employee number E77 is in Koers yet. Import the people first, "
         "then this file again to set the managers."),
    ]


def test_units_then_people_then_units_again_sets_the_managers(actor):
    organisation = factories.organisation()
    units = csv("code;name;parent_code;manager_employee_number", "TOP;Top;;", "FIN;Finance;TOP;")
    importing.apply(organisation=organisation, kind=UNITS, content=units, actor=actor)
    importing.apply(organisation=organisation, kind=PEOPLE, actor=actor,
                    content=people_csv(person_row(number="E77", unit="FIN")))
    with_managers = csv("code;name;parent_code;manager_employee_number", "TOP;Top;;",
                        "FIN;Finance;TOP;E77")

    report = importing.apply(organisation=organisation, kind=UNITS, content=with_managers,
                             actor=actor)

    assert (report.errors, report.update, report.unchanged) == ([], 1, 1)
    assert Unit.objects.get(code="FIN").manager == Person.objects.get(employee_number="E77")


def test_leaving_out_the_manager_column_keeps_the_managers(org, actor):
    hr = Unit.objects.get(code="HR")
    factories.person(hr, manages=hr)

    report = importing.apply(organisation=org, kind=UNITS, actor=actor,
                             content=csv("code;name;parent_code", "HR;Human resources;ORG"))

    hr.refresh_from_db()
    assert (report.update, hr.name, hr.manager is not None) == (1, "Human resources", True)


def test_a_unit_moves_with_its_subtree(org, actor):
    hr = Unit.objects.get(code="HR")
    payroll = services.unit_create(organisation=org, code="PAY", name="Payroll", parent=hr)
    content = csv("code;name;parent_code", "FIN;Finance;ORG", "HR;HR;FIN", "NEW;New;PAY")

    report = importing.apply(organisation=org, kind=UNITS, content=content, actor=actor)

    assert (report.create, report.update) == (2, 1)
    payroll.refresh_from_db()
    new = Unit.objects.get(code="NEW")
    assert payroll.depth == 3
    assert new.path == f"{payroll.path}{new.pk}/"


# People ----------------------------------------------------------------------------


def test_semicolon_csv_with_belgian_dates_comma_fractions_and_dutch_words(org, actor):
    content = people_csv(person_row(start="01/06/2024", fraction="0,8", status="statutair",
                                    salary="anciënniteit", probation="30/11/2024"))

    report = importing.apply(organisation=org, kind=PEOPLE, content=content, actor=actor)

    assert (report.errors, report.create) == ([], 1)
    person = Person.objects.get(employee_number="E1")
    assert (person.start_date, person.working_time_fraction, person.employment_status,
            person.salary_system, person.salary_system_overridden, person.probation_end_date) \
        == (dt.date(2024, 6, 1), Decimal("0.800"), EmploymentStatus.STATUTORY,
            SalarySystem.SENIORITY, True, dt.date(2024, 11, 30))


def test_decomposed_accents_are_read_as_the_composed_letter(org):
    report = dry_run(org, PEOPLE, people_csv(person_row(salary="anci\u0065\u0308nniteit")))

    assert (report.errors, report.create) == ([], 1)


@pytest.mark.parametrize("written", ["0,8", "0.8", "80%", "80 %", "0.80"])
def test_working_time_fraction_accepts_comma_dot_and_percent(org, written):
    report = dry_run(org, PEOPLE, people_csv(person_row(fraction=written)))

    assert (report.errors, report.create) == ([], 1)


@pytest.mark.parametrize("written", ["0", "1,2", "120%", "-0.5", "half", "0.0004", "1e308",
                                     "-1e308", "1e999999999%", "1E+30"])
def test_working_time_fraction_outside_zero_to_one_is_an_error(org, written):
    report = dry_run(org, PEOPLE, people_csv(person_row(fraction=written)))

    assert problems(report) == [(2, "working_time_fraction")]


@pytest.mark.parametrize("written", ["2024-06-01", "01/06/2024", "1/6/2024", "01-06-2024",
                                     "01.06.2024"])
def test_dates_accept_iso_and_belgian_forms(org, actor, written):
    importing.apply(organisation=org, kind=PEOPLE, actor=actor,
                    content=people_csv(person_row(start=written)))

    assert Person.objects.get(employee_number="E1").start_date == dt.date(2024, 6, 1)


@pytest.mark.parametrize("written", ["06/13/2024", "2024-13-01", "tomorrow", "31/02/2024"])
def test_a_date_that_does_not_exist_is_an_error(org, written):
    report = dry_run(org, PEOPLE, people_csv(person_row(start=written)))

    assert [(e.column, e.message) for e in report.errors] == [
        ("start_date", f"“{written}” is not a date; write 2024-06-01 or 01/06/2024."),
    ]


def test_every_bad_cell_of_a_row_is_reported(org):
    row = person_row(first="", email="not-an-email", unit="NOPE", start="2024-01-01",
                     end="2023-12-31", status="freelance", language="es")

    report = dry_run(org, PEOPLE, people_csv(row))

    assert problems(report) == [(2, "first_name"), (2, "email"), (2, "language"),
                                (2, "unit_code"), (2, "end_date"), (2, "employment_status")]


def test_probation_cannot_end_before_the_start(org):
    report = dry_run(org, PEOPLE, people_csv(person_row(start="2024-01-01",
                                                        probation="2023-12-31")))

    assert problems(report) == [(2, "probation_end_date")]


def test_an_employee_number_twice_in_the_file_is_an_error(org):
    report = dry_run(org, PEOPLE, people_csv(person_row(), person_row(first="Other")))

    assert [(e.line_number, e.column, e.message) for e in report.errors] == [
        (3, "employee_number", "This employee number is already on line 2."),
    ]


def test_an_unknown_unit_code_says_to_import_units_first(org):
    report = dry_run(org, PEOPLE, people_csv(person_row(unit="SALES")))

    assert [e.message for e in report.errors] == [
        "No unit has the code SALES. Import the units first, or correct the code."]


def test_a_name_longer_than_the_model_allows_is_reported(org):
    report = dry_run(org, PEOPLE, people_csv(person_row(last="x" * 101)))

    assert problems(report) == [(2, "last_name")]


def test_empty_salary_system_follows_the_1_june_2024_rule(org, actor):
    content = people_csv(person_row(number="OLD", start="2024-05-31"),
                         person_row(number="NEW", start="2024-06-01"))

    importing.apply(organisation=org, kind=PEOPLE, content=content, actor=actor)

    assert dict(Person.objects.values_list("employee_number", "salary_system")) == {
        "OLD": SalarySystem.SENIORITY, "NEW": SalarySystem.EVALUATION}


def test_an_empty_salary_system_keeps_the_choice_hr_made_by_hand(org, actor):
    hr = Unit.objects.get(code="HR")
    person = factories.person(hr, employee_number="E1", salary_system=SalarySystem.EVALUATION,
                              start_date=dt.date(2010, 1, 4))

    importing.apply(organisation=org, kind=PEOPLE, actor=actor,
                    content=people_csv(person_row(start="2010-01-04", job="Head of HR")))

    person.refresh_from_db()
    assert (person.job_title, person.salary_system, person.salary_system_overridden) \
        == ("Head of HR", SalarySystem.EVALUATION, True)


def test_existing_people_are_updated_and_a_second_import_changes_nothing(org, actor):
    hr = Unit.objects.get(code="HR")
    factories.person(hr, employee_number="E1", first_name="An", last_name="Peeters")
    content = people_csv(person_row(number="E1", email="An.Peeters@Example.test"),
                         person_row(number="E2", first="Jan", email="jan@example.test"))

    first = importing.apply(organisation=org, kind=PEOPLE, content=content, actor=actor)
    second = importing.apply(organisation=org, kind=PEOPLE, content=content, actor=actor)

    assert (first.create, first.update, first.unchanged) == (1, 1, 0)
    assert (second.create, second.update, second.unchanged) == (0, 0, 2)
    assert Person.objects.get(employee_number="E1").email == "an.peeters@example.test"


def test_a_left_out_column_keeps_the_value_and_an_empty_one_clears_it(org, actor):
    hr = Unit.objects.get(code="HR")
    factories.person(hr, employee_number="E1", job_title="Adviser", grade="A1",
                     end_date=dt.date(2030, 1, 1))
    content = csv("employee_number;first_name;last_name;email;unit_code;start_date;"
                  "employment_status;end_date",
                  "E1;An;Peeters;an@example.test;HR;2020-01-06;statutory;")

    importing.apply(organisation=org, kind=PEOPLE, content=content, actor=actor)

    person = Person.objects.get(employee_number="E1")
    assert (person.job_title, person.grade, person.end_date) == ("Adviser", "A1", None)


def test_a_file_with_one_bad_row_changes_nothing(org, actor):
    content = people_csv(person_row(number="E1"), person_row(number="E2", start="later"),
                         person_row(number="E3"))

    report = importing.apply(organisation=org, kind=PEOPLE, content=content, actor=actor)

    assert (report.ok, problems(report)) == (False, [(3, "start_date")])
    assert Person.objects.count() == 0


def test_xlsx_with_date_cells_and_numbers(org, actor):
    header = PEOPLE_HEADER.split(";")
    row = [1001, "An", "Peeters", "an@example.test", "en", "HR", "Adviser", "A1", "",
           dt.datetime(2024, 6, 1), None, 0.8, "contractual", None, dt.datetime(2024, 12, 1)]
    content = xlsx(header, row, [None] * len(header), [1002, "Jan"])

    report = importing.apply(organisation=org, kind=PEOPLE, content=content, actor=actor)

    # Line 3 is empty and skipped; line 4 lacks most values.
    assert {error.line_number for error in report.errors} == {4}
    report = importing.apply(organisation=org, kind=PEOPLE, content=xlsx(header, row),
                             actor=actor)
    assert (report.errors, report.create) == ([], 1)
    person = Person.objects.get(employee_number="1001")
    assert (person.start_date, person.working_time_fraction, person.language,
            person.probation_end_date) \
        == (dt.date(2024, 6, 1), Decimal("0.800"), "en", dt.date(2024, 12, 1))


def test_people_are_matched_within_the_organisation_only(org, actor):
    other = factories.organisation()
    top = services.unit_create(organisation=other, code="ORG", name="Other")
    factories.person(top, employee_number="E1")

    report = importing.apply(organisation=org, kind=PEOPLE, actor=actor,
                             content=people_csv(person_row(number="E1")))

    assert report.create == 1
    assert Person.objects.filter(employee_number="E1").count() == 2


# Effective work and absences -------------------------------------------------------


def test_hours_are_created_updated_and_an_hr_correction_is_kept(org, actor):
    hr = Unit.objects.get(code="HR")
    an = factories.person(hr, employee_number="E1")
    jan = factories.person(hr, employee_number="E2")
    factories.person(hr, employee_number="E3")
    services.effective_work_record(person=an, year=2024, hours_worked=Decimal(100),
                                   source=WorkSource.IMPORTED)
    services.effective_work_record(person=jan, year=2024, hours_worked=Decimal(479),
                                   source=WorkSource.CORRECTED)
    content = csv("employee_number;year;hours_worked", "E1;2024;1.520,5", "E2;2024;12",
                  "E3;2024;1400")

    report = importing.apply(organisation=org, kind=WORK, content=content, actor=actor)

    assert (report.create, report.update, report.kept) == (1, 1, 1)
    assert dict(EffectiveWork.objects.values_list("person__employee_number", "hours_worked")) \
        == {"E1": Decimal("1520.50"), "E2": Decimal(479), "E3": Decimal(1400)}
    assert EffectiveWork.objects.get(person=an).updated_by == actor
    again = importing.apply(organisation=org, kind=WORK, content=content, actor=actor)
    assert (again.create, again.update, again.unchanged, again.kept) == (0, 0, 2, 1)


def test_hours_rows_are_validated(org):
    factories.person(Unit.objects.get(code="HR"), employee_number="E1")
    content = csv("employee_number;year;hours_worked", "E9;2024;100", "E1;1999;100",
                  "E1;2024;-5", "E1;2023;lots", "E1;2022;10", "E1;2022;11")

    report = dry_run(org, WORK, content)

    assert problems(report) == [(2, "employee_number"), (3, "year"), (4, "hours_worked"),
                                (5, "hours_worked"), (7, "year")]


@pytest.mark.parametrize("hours", ["1e308", "-1e308", "-1", "1E+30", "8784,01"])
def test_hours_out_of_range_are_a_row_error_in_the_dry_run_not_a_crash(org, hours):
    factories.person(Unit.objects.get(code="HR"), employee_number="E1")
    content = csv("employee_number;year;hours_worked", "E1;2024;100", f"E1;2023;{hours}")

    report = dry_run(org, WORK, content)

    assert [(e.line_number, e.column, e.message) for e in report.errors] == [
        (3, "hours_worked", "The hours worked in a year lie between 0 and 8784.")]


def test_hours_out_of_range_in_a_workbook_are_a_row_error_and_nothing_is_written(org, actor):
    factories.person(Unit.objects.get(code="HR"), employee_number="E1")
    content = xlsx(("employee_number", "year", "hours_worked"), ("E1", 2024, 1e308),
                   ("E1", 2023, -5.5), ("E1", 2022, 100))

    report = importing.apply(organisation=org, kind=WORK, content=content, actor=actor)

    assert problems(report) == [(2, "hours_worked"), (3, "hours_worked")]
    assert not EffectiveWork.objects.exists()


def test_absences_accept_dutch_kinds_and_update_their_end(org, actor):
    an = factories.person(Unit.objects.get(code="HR"), employee_number="E1")
    Absence.objects.create(person=an, kind=AbsenceKind.SICKNESS, start_date=dt.date(2024, 3, 4),
                           end_date=dt.date(2024, 3, 5))
    content = csv("employee_number;kind;start_date;end_date", "E1;ziekte;04/03/2024;08/03/2024",
                  "E1;Ouderschapsverlof;2024-09-02;2024-09-30")

    report = importing.apply(organisation=org, kind=ABSENCES, content=content, actor=actor)

    assert (report.create, report.update) == (1, 1)
    assert list(an.absences.order_by("start_date").values_list("kind", "end_date")) == [
        (AbsenceKind.SICKNESS, dt.date(2024, 3, 8)),
        (AbsenceKind.PARENTAL_LEAVE, dt.date(2024, 9, 30)),
    ]


def test_absence_rows_are_validated(org):
    factories.person(Unit.objects.get(code="HR"), employee_number="E1")
    content = csv("employee_number;kind;start_date;end_date", "E1;holiday;2024-01-01;2024-01-02",
                  "E1;sickness;2024-02-05;2024-02-01", "E1;sickness;2024-03-01;2024-03-02",
                  "E1;ziekte;2024-03-01;2024-03-03")

    report = dry_run(org, ABSENCES, content)

    assert problems(report) == [(2, "kind"), (3, "end_date"), (5, "start_date")]


# Batches and example files ---------------------------------------------------------


def test_the_example_files_import_as_they_are_in_the_documented_order(actor):
    organisation = factories.organisation()

    for kind in (UNITS, PEOPLE, WORK, ABSENCES):
        content = importing.template_csv(kind).encode()
        report = importing.apply(organisation=organisation, kind=kind, content=content,
                                 actor=actor)
        assert (kind, report.errors) == (kind, [])

    assert (Unit.objects.count(), Person.objects.count(), EffectiveWork.objects.count(),
            Absence.objects.count()) == (3, 2, 2, 2)


def test_a_batch_is_applied_once_and_its_content_dropped(org, actor):
    batch = importing.import_batch_upload(organisation=org, kind=PEOPLE, file_name="p.csv",
                                          content=people_csv(person_row()), uploaded_by=actor)

    importing.import_batch_apply_request(batch=batch, actor=actor)
    report = importing.import_batch_run(batch.pk)

    batch.refresh_from_db()
    assert report is not None
    assert (report.create, batch.applied_by, bytes(batch.content)) == (1, actor, b"")
    with pytest.raises(ValidationFailed):
        importing.import_batch_apply_request(batch=batch, actor=actor)
    assert importing.import_batch_run(batch.pk) is None  # a stray second task does nothing
    assert Person.objects.count() == 1


def test_applying_validates_again_against_todays_data(org, actor):
    finance = services.unit_create(organisation=org, code="FIN", name="Finance",
                                   parent=Unit.objects.get(code="ORG"))
    batch = importing.import_batch_upload(organisation=org, kind=PEOPLE, file_name="p.csv",
                                          content=people_csv(person_row(unit="FIN")),
                                          uploaded_by=actor)
    assert importing.ImportReport.from_json(batch.dry_run_report).ok
    services.unit_delete(unit=finance)

    importing.import_batch_apply_request(batch=batch, actor=actor)
    report = importing.import_batch_run(batch.pk)

    batch.refresh_from_db()
    assert report is not None
    assert (report.ok, batch.applied_at, Person.objects.count()) == (False, None, 0)
    assert batch.apply_phase == ""
    assert importing.ImportReport.from_json(batch.dry_run_report).errors == report.errors


def test_an_unreadable_file_is_not_stored(org, actor):
    with pytest.raises(importing.ImportFileError):
        importing.import_batch_upload(organisation=org, kind=PEOPLE, file_name="units.csv",
                                      content=csv("code;name;parent_code", "X;X;ORG"),
                                      uploaded_by=actor)

    assert not org.import_batches.exists()


def test_a_cell_with_text_that_cannot_be_stored_is_a_row_error_and_nothing_is_written(org,
                                                                                       actor):
    content = people_csv(person_row(number="E1", first="A\x00n"),
                         person_row(number="E\x002", email="jan@example.test"),
                         person_row(number="E3", email="els@example.test"))

    report = importing.apply(organisation=org, kind=PEOPLE, content=content, actor=actor)

    refused = "The text contains a character that cannot be stored."
    assert [(e.line_number, e.column, e.message) for e in report.errors] == [
        (2, "first_name", refused), (3, "employee_number", refused)]
    assert not Person.objects.exists()


@pytest.mark.parametrize(("header", "status", "language"), [
    ("Personeelsnummer;Voornaam;Achternaam;E-mailadres;Taal;Code eenheid;Startdatum;Statuut",
     "statutair", "Frans"),
    ("Matricule;Prénom;Nom de famille;Courriel;Langue;Code service;Date de début;Statut",
     "contractuel", "français"),
    ("Personalnummer;Vorname;Nachname;E-Mail-Adresse;Sprache;Dienstkennung;Anfangsdatum;"
     "Beschäftigungsstatus", "vertraglich", "Französisch"),
])
def test_an_export_in_dutch_french_or_german_imports_as_it_is(org, actor, header, status,
                                                               language):
    """Belgian federal staff work in Dutch, French and German; HR's own export names its
    columns and values in its language."""
    content = csv(header, f"E9;Marie;Dubois;marie@example.test;{language};HR;01/03/2024;{status}")

    report = importing.apply(organisation=org, kind=PEOPLE, content=content, actor=actor)

    assert report.errors == []
    person = Person.objects.get(employee_number="E9")
    assert (person.first_name, person.language, person.start_date) == (
        "Marie", "fr", dt.date(2024, 3, 1))


def test_absences_may_name_their_kind_in_french_or_german(org, actor):
    importing.apply(organisation=org, kind=PEOPLE, actor=actor, content=people_csv(person_row()))
    content = csv("matricule;type;date_de_début;date_de_fin", "E1;maladie;2024-10-07;2024-10-11",
                  "E1;Urlaub;2024-07-01;2024-07-19")

    report = importing.apply(organisation=org, kind=ABSENCES, content=content, actor=actor)

    assert report.errors == []
    assert sorted(a.kind for a in Absence.objects.filter(person__employee_number="E1")) == [
        "annual_leave", "sickness"]
