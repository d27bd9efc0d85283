from datetime import date

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from stdnum.fi import hetu as stdnum_hetu

from polku.core import hetu


@pytest.mark.parametrize(
    ("code", "birth_date"),
    [
        ("131052-308T", date(1952, 10, 13)),  # LEGAL.md §4.1 test vector
        ("010190Y999W", date(1990, 1, 1)),  # 2023 century letter, 1900s
        ("010105A953F", date(2005, 1, 1)),
        ("010105B953F", date(2005, 1, 1)),  # 2023 century letter, 2000s
        ("010150+998J", date(1850, 1, 1)),
        ("290200A900B", date(2000, 2, 29)),  # leap day
        (" 131052-308t ", date(1952, 10, 13)),  # typed with spaces and lower case
    ],
)
def test_parse__accepts_valid_codes_and_derives_the_birth_date(code: str, birth_date: date) -> None:
    assert hetu.parse(code).birth_date == birth_date


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("131052-308A", "checksum"),
        ("010190Y999K", "checksum"),  # Telp's illustrative code has a wrong check character
        ("131052G308T", "century"),
        ("131052*308T", "century"),
        ("320152-308T", "date"),
        ("290201A900M", "date"),  # 2001 is no leap year
        ("010190-001P", "individual_number"),  # 000–001 are never issued
        ("13105-308T", "format"),
        ("13105A-308T", "format"),
        ("", "format"),
    ],
)
def test_parse__rejects_invalid_codes_with_the_reason(code: str, reason: str) -> None:
    with pytest.raises(hetu.InvalidHetu) as raised:
        hetu.parse(code)

    assert raised.value.code == reason


def test_the_century_sign_is_part_of_the_identity() -> None:
    assert hetu.parse("010190-999W").value != hetu.parse("010190Y999W").value


def test_temporary_codes_are_recognised() -> None:
    assert hetu.parse("010190Y999W").is_temporary
    assert not hetu.parse("131052-308T").is_temporary


def test_masked_form_hides_the_individual_part() -> None:
    assert hetu.parse("131052-308T").masked == "131052-****"


@pytest.mark.parametrize(
    ("birth", "day", "age"),
    [
        (date(2001, 11, 24), date(2026, 11, 23), 24),
        (date(2001, 11, 24), date(2026, 11, 24), 25),  # the birthday itself counts
        (date(2000, 2, 29), date(2025, 2, 28), 24),
        (date(2000, 2, 29), date(2025, 3, 1), 25),
    ],
)
def test_age_on__counts_whole_years_from_the_birthday(birth: date, day: date, age: int) -> None:
    assert hetu.age_on(birth, day) == age


@given(
    birth=st.dates(min_value=date(1800, 1, 1), max_value=date(2099, 12, 31)),
    individual=st.integers(min_value=2, max_value=999),
)
def test_build_then_parse_round_trips(birth: date, individual: int) -> None:
    parsed = hetu.parse(hetu.build(birth, individual))

    assert (parsed.birth_date, parsed.individual_number) == (birth, individual)


@given(
    birth=st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)),
    individual=st.integers(min_value=900, max_value=999),
    wrong=st.sampled_from(hetu.CHECK_CHARACTERS),
)
def test_any_other_check_character_is_rejected(birth: date, individual: int, wrong: str) -> None:
    code = hetu.build(birth, individual)
    if wrong != code[-1]:
        assert not hetu.is_valid(code[:-1] + wrong)


# The oracle: python-stdnum's stdnum.fi.hetu, an independent implementation (which calls
# the temporary numbers 900–999 valid only when asked to allow them).
DATE_DIGITS = st.builds(
    lambda day, month, year: f"{day:02d}{month:02d}{year:02d}",
    st.integers(0, 39),
    st.integers(0, 19),
    st.integers(0, 99),
)
SIGNS = st.sampled_from("+-YXWVUABCDEFGHZ*")
CHECKS = st.sampled_from(hetu.CHECK_CHARACTERS + "GIOQZ")
SHAPED_LIKE_CODES = st.builds(
    lambda day, sign, individual, check: f"{day}{sign}{individual:03d}{check}",
    DATE_DIGITS,
    SIGNS,
    st.integers(0, 999),
    CHECKS,
)
VALID_CODES = st.builds(
    hetu.build,
    st.dates(min_value=date(1800, 1, 1), max_value=date(2099, 12, 31)),
    st.integers(min_value=2, max_value=999),
)


def _one_character_changed(code: str, position: int, character: str) -> str:
    return code[: position % 11] + character + code[position % 11 + 1 :]


@given(
    code=st.one_of(
        SHAPED_LIKE_CODES,
        VALID_CODES,
        st.builds(_one_character_changed, VALID_CODES, st.integers(0, 10), CHECKS | SIGNS),
        st.text(alphabet="0123456789-+ABCDEFUVWXYabc", max_size=13),
    )
)
@example(code="010190Y999W")
@example(code="290201A900M")
def test_validity_agrees_with_python_stdnum(code: str) -> None:
    assert hetu.is_valid(code) is stdnum_hetu.is_valid(code, allow_temporary=True)


@given(code=VALID_CODES)
def test_temporary_codes_are_the_ones_stdnum_refuses_unless_allowed(code: str) -> None:
    assert hetu.parse(code).is_temporary is not stdnum_hetu.is_valid(code)


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        ("row 4: 010190Y999W", "row 4: [henkilötunnus]"),
        ("131052-308a,010105B953F", "[henkilötunnus],[henkilötunnus]"),
        ("131052-308X", "[henkilötunnus]"),  # a wrong check character is still a code
        ("order 20260101-1234 and id 9131052-308T1", "order 20260101-1234 and id 9131052-308T1"),
    ],
)
def test_redact__replaces_whatever_is_shaped_like_an_identity_code(
    text: str, redacted: str
) -> None:
    assert hetu.redact(text) == redacted
