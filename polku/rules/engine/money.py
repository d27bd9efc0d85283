"""Euro amounts: Decimal everywhere, rounded to cents half up (ROUND_HALF_UP)."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def cents(amount: Decimal) -> Decimal:
    """Round ``amount`` to whole cents, halves away from zero."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def percent_of(amount: Decimal, rate: int) -> Decimal:
    """``rate`` % of ``amount`` rounded to cents."""
    return cents(amount * rate / 100)


def format_money(amount: Decimal) -> str:
    """Two-decimal string for JSON and texts, e.g. ``"1234.50"``."""
    return f"{cents(amount):.2f}"
