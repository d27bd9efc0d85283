"""Dated legal parameters: schema, lookups on change dates and the verification status."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from polku.rules.engine.parameters import (
    Band,
    ParameterFileError,
    ParameterNotInForce,
    Status,
    catalogue,
    change_dates,
    load_catalogue,
    parameter,
)

PARAMETER_DIR = Path(__file__).resolve().parent.parent / "parameters"


def test_every_parameter_file_loads_and_names_parameters_after_its_family() -> None:
    params = catalogue()
    families = {path.stem for path in PARAMETER_DIR.glob("*.yaml")}
    assert families >= {"activation_plan", "typ", "ktt", "municipal_share", "pay_subsidy"}
    assert {name.split(".")[0] for name in params} == families
    assert all(param.values for param in params.values())


def test_every_value_cites_a_law_and_a_source() -> None:
    for param in catalogue().values():
        for value in param.values:
            assert value.law.strip(), param.name
            assert value.source.strip(), param.name


@pytest.mark.parametrize(
    ("name", "day", "expected"),
    [
        ("ktt.days_per_week_max", date(2015, 6, 30), 5),
        ("ktt.days_per_week_max", date(2015, 7, 1), 4),
        ("activation_plan.review_interval_months", date(2022, 5, 1), None),
        ("activation_plan.review_interval_months", date(2022, 5, 2), 3),
        ("typ.lms_days", date(2024, 12, 31), 300),
        ("typ.lms_days", date(2025, 1, 1), None),
        ("obligated_employment.in_force", date(2024, 9, 1), True),
        ("obligated_employment.in_force", date(2024, 9, 2), False),
        ("pay_subsidy.model", date(2023, 6, 30), "2015"),
        ("pay_subsidy.model", date(2023, 7, 1), "2023"),
        ("benefit.basic_daily_amount", date(2022, 7, 31), Decimal("34.50")),
        ("benefit.basic_daily_amount", date(2022, 8, 1), Decimal("35.72")),
        ("ktt.state_reimbursement_per_day", date(2025, 6, 1), Decimal("10.09")),
    ],
)
def test_the_value_in_force_changes_exactly_on_its_effective_date(
    name: str, day: date, expected: object
) -> None:
    assert parameter(name, day).value == expected


def test_municipal_share_bands_change_on_1_january_2025() -> None:
    old = parameter("municipal_share.lms_bands", date(2024, 12, 31)).bands()
    new = parameter("municipal_share.lms_bands", date(2025, 1, 1)).bands()
    assert old == (Band(301, 50), Band(1001, 70))
    assert [band.rate for band in new] == [10, 20, 30, 40, 50]
    allowance = parameter("municipal_share.basic_allowance_bands", date(2025, 1, 1)).bands()
    assert max(band.rate for band in allowance) == 40


def test_a_value_with_an_until_date_is_not_in_force_after_it() -> None:
    assert parameter("typ.age_limit", date(2024, 12, 31)).value == 25
    with pytest.raises(ParameterNotInForce):
        parameter("typ.age_limit", date(2025, 1, 1))


def test_a_date_before_the_first_value_has_no_value_in_force() -> None:
    with pytest.raises(ParameterNotInForce, match=r"ktt\.hours_per_day_min"):
        parameter("ktt.hours_per_day_min", date(2014, 12, 31))


def test_change_dates_lists_the_new_values_inside_a_period() -> None:
    names = ["municipal_share.lms_bands", "benefit.basic_daily_amount"]
    assert change_dates(names, date(2022, 7, 15), date(2023, 1, 15)) == (
        date(2022, 8, 1),
        date(2023, 1, 1),
    )
    assert change_dates(names, date(2025, 1, 1), date(2025, 12, 31)) == ()


@pytest.mark.parametrize(
    "name",
    [
        "ktt.hours_per_day_max",
        "obligated_employment.job_must_start_by",
        "pay_subsidy.skills_duration_tiers",
        "pay_subsidy.association_duration_months",
        "typ.review_interval_months",
    ],
)
def test_values_marked_unverified_in_legal_md_keep_that_status(name: str) -> None:
    assert catalogue()[name].values[0].status is Status.UNVERIFIED


def test_the_addendum_verifies_the_2025_share_steps_and_the_2023_ktt_reimbursement() -> None:
    assert parameter("municipal_share.lms_bands", date(2025, 1, 1)).verified
    assert parameter("ktt.state_reimbursement_per_day", date(2023, 6, 1)).verified
    assert parameter("activation_plan.over25_lms_days_total", date(2024, 1, 1)).verified


@pytest.mark.parametrize("bill", ["he_108_2025", "he_109_2025"])
def test_the_bills_of_2025_are_pending_and_unverified_from_2026(bill: str) -> None:
    before = parameter(f"pending_legislation.{bill}", date(2025, 12, 31))
    pending = parameter(f"pending_legislation.{bill}", date(2026, 1, 1))
    assert before.flag() is False
    assert pending.flag() is True
    assert pending.status is Status.UNVERIFIED


def _write(directory: Path, text: str) -> Path:
    (directory / "broken.yaml").write_text(text, encoding="utf-8")
    return directory


GOOD_VALUE = "law: L\n      source: S\n      status: verified"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("x: 1\n", "needs description"),
        (
            "x:\n  description: d\n  unit: days\n  values:\n"
            f"    - effective_from: 2020-01-01\n      value: 1\n      {GOOD_VALUE}\n"
            f"    - effective_from: 2019-01-01\n      value: 2\n      {GOOD_VALUE}\n",
            "ascending",
        ),
        (
            "x:\n  description: d\n  unit: days\n  values:\n"
            "    - effective_from: 2020-01-01\n      value: 1\n      law: L\n"
            "      source: S\n      status: certain\n",
            "status",
        ),
        (
            "x:\n  description: d\n  unit: days\n  values:\n"
            "    - effective_from: 2020-01-01\n      value: 1\n      source: S\n"
            "      status: verified\n",
            "law",
        ),
        (
            "x:\n  description: d\n  unit: days\n  values:\n"
            f"    - effective_from: soon\n      value: 1\n      {GOOD_VALUE}\n",
            "dates",
        ),
        (
            "x:\n  description: d\n  unit: EUR\n  values:\n"
            f"    - effective_from: 2020-01-01\n      value: lots\n      {GOOD_VALUE}\n",
            "unit EUR",
        ),
        (
            "x:\n  description: d\n  unit: days\n  values:\n"
            "    - effective_from: 2020-01-01\n      until: 2021-01-01\n      value: 1\n"
            f"      {GOOD_VALUE}\n"
            f"    - effective_from: 2021-01-01\n      value: 2\n      {GOOD_VALUE}\n",
            "overlaps",
        ),
    ],
)
def test_a_malformed_parameter_file_is_refused_with_the_reason(
    tmp_path: Path, text: str, problem: str
) -> None:
    with pytest.raises(ParameterFileError, match=problem):
        load_catalogue(_write(tmp_path, text))
