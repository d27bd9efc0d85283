import pytest

from polku.core import business_id


@pytest.mark.parametrize("code", ["9999991-7", "9999992-5", " 9999994-1 ", "0000000-0"])
def test_is_valid__accepts_a_business_id_whose_check_digit_matches(code: str) -> None:
    assert business_id.is_valid(code)


@pytest.mark.parametrize(
    "code",
    [
        "9999991-6",  # wrong check digit
        "9999995-0",  # remainder 1: never issued
        "999999-17",
        "99999917",
        "FI99999917",
        "",
    ],
)
def test_is_valid__refuses_anything_else(code: str) -> None:
    assert not business_id.is_valid(code)
