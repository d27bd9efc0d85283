"""Finnish personal identity code (henkilötunnus, hetu).

Format ``DDMMYYCNNNQ``: birth date, century sign, individual number and a check
character. Since the 2023 decree (VN asetus 128/2010 as amended) the century sign
is part of the identity, so codes are compared with the sign, never without it.
Individual numbers 900–999 are temporary codes outside the population register;
Polku's synthetic demo data uses only those.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
CENTURY_BY_SIGN = {
    "+": 1800,
    "-": 1900,
    "Y": 1900,
    "X": 1900,
    "W": 1900,
    "V": 1900,
    "U": 1900,
    "A": 2000,
    "B": 2000,
    "C": 2000,
    "D": 2000,
    "E": 2000,
    "F": 2000,
}
FIRST_ISSUED_INDIVIDUAL_NUMBER = 2
ERROR_MESSAGES = {
    "format": _("Henkilötunnuksen muoto on PPKKVVTNNNT, esimerkiksi 131052-308T."),
    "century": _("Välimerkki ei kelpaa: sallitut ovat + - Y X W V U A B C D E F."),
    "date": _("Henkilötunnuksen alussa ei ole oikea päivämäärä."),
    "individual_number": _("Yksilönumeron on oltava 002–999."),
    "checksum": _("Tarkistusmerkki ei täsmää: tarkista henkilötunnus."),
}
FIRST_TEMPORARY_INDIVIDUAL_NUMBER = 900
# Anything shaped like an identity code, valid or not (a mistyped code is still one).
IDENTITY_CODE_LIKE = re.compile(
    r"(?<![0-9A-Za-z])\d{6}[-+A-FU-Y]\d{3}[0-9A-Y](?![0-9A-Za-z])", re.I
)
REDACTED = "[henkilötunnus]"


class InvalidHetu(ValueError):
    """The text is not a valid identity code; ``code`` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Hetu:
    """A validated identity code and what it tells."""

    value: str
    birth_date: date
    individual_number: int

    @property
    def is_temporary(self) -> bool:
        return self.individual_number >= FIRST_TEMPORARY_INDIVIDUAL_NUMBER

    @property
    def masked(self) -> str:
        return mask(self.value)

    def age_on(self, day: date) -> int:
        return age_on(self.birth_date, day)


def mask(value: str) -> str:
    """The form shown in lists: birth date and sign, the rest hidden."""
    return f"{value[:7]}****"


def redact(text: str) -> str:
    """``text`` with everything shaped like an identity code replaced: for logs and error
    reports, which must never carry one (a second line of defence; code logs only ids)."""
    return IDENTITY_CODE_LIKE.sub(REDACTED, text)


def normalise(text: str) -> str:
    return text.strip().upper()


def check_character(date_part: str, individual_part: str) -> str:
    return CHECK_CHARACTERS[int(date_part + individual_part) % 31]


def parse(text: str) -> Hetu:
    """Validate an identity code and return its parts.

    Raises:
        InvalidHetu: with code ``format``, ``century``, ``date``, ``individual_number``
            or ``checksum``.
    """
    value = normalise(text)
    if len(value) != 11 or not (value[:6].isdigit() and value[7:10].isdigit()):
        raise InvalidHetu("format")
    century = CENTURY_BY_SIGN.get(value[6])
    if century is None:
        raise InvalidHetu("century")
    try:
        birth_date = date(century + int(value[4:6]), int(value[2:4]), int(value[0:2]))
    except ValueError as error:
        raise InvalidHetu("date") from error
    individual_number = int(value[7:10])
    if individual_number < FIRST_ISSUED_INDIVIDUAL_NUMBER:
        raise InvalidHetu("individual_number")
    if check_character(value[:6], value[7:10]) != value[10]:
        raise InvalidHetu("checksum")
    return Hetu(value=value, birth_date=birth_date, individual_number=individual_number)


def is_valid(text: str) -> bool:
    try:
        parse(text)
    except InvalidHetu:
        return False
    return True


def build(birth_date: date, individual_number: int, sign: str | None = None) -> str:
    """Compose a valid code for a birth date (used by the synthetic demo data)."""
    if sign is None:
        sign = {1800: "+", 1900: "-", 2000: "A"}[birth_date.year // 100 * 100]
    date_part = birth_date.strftime("%d%m") + f"{birth_date.year % 100:02d}"
    individual_part = f"{individual_number:03d}"
    return f"{date_part}{sign}{individual_part}{check_character(date_part, individual_part)}"


def age_on(birth_date: date, day: date) -> int:
    """Age in whole years on ``day``; a person born on 29.2 turns a year older on 1.3."""
    had_birthday = (day.month, day.day) >= (birth_date.month, birth_date.day)
    return day.year - birth_date.year - (0 if had_birthday else 1)
