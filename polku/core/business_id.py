"""Finnish business ID (Y-tunnus): seven digits, a hyphen and a check digit."""

import re

PATTERN = re.compile(r"(\d{7})-(\d)")
WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


def is_valid(code: str) -> bool:
    """Whether ``code`` is a well-formed business ID with the right check digit.

    The check digit is 11 minus the weighted sum modulo 11 (0 when the remainder is 0);
    a remainder of 1 is never issued.
    """
    match = PATTERN.fullmatch(code.strip())
    if match is None:
        return False
    digits, check = match.group(1), int(match.group(2))
    remainder = sum(int(digit) * weight for digit, weight in zip(digits, WEIGHTS, strict=True)) % 11
    if remainder == 1:
        return False
    return check == (0 if remainder == 0 else 11 - remainder)
