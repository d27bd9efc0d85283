"""Typed reading of JSON facts for the questions of CONTRACTS.md § 2.

Every getter raises :class:`~polku.rules.engine.errors.FactError` naming the fact
(``payments[2].days`` for nested facts): ``missing_fact`` when it is absent or null,
``invalid_fact`` for a wrong type, format or enum value.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, TypeVar

from polku.rules.engine.errors import FactError, invalid_fact, missing_fact

EnumT = TypeVar("EnumT", bound=StrEnum)

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MONEY = re.compile(r"-?\d+(\.\d{1,2})?")
NUMBER = re.compile(r"-?\d+(\.\d+)?")


def parse_iso_date(raw: object) -> datetime.date | None:
    """``raw`` as a date if it is a ``YYYY-MM-DD`` string of a real day, else None."""
    if not isinstance(raw, str) or not ISO_DATE.fullmatch(raw):
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        return None


class FactReader:
    """Reads typed facts from one JSON object."""

    __slots__ = ("_facts", "_prefix")

    def __init__(self, facts: Mapping[str, Any], prefix: str = "") -> None:
        self._facts = facts
        self._prefix = prefix

    def date(self, name: str) -> datetime.date:
        """A required ISO date."""
        return self._date(name, self._required(name))

    def optional_date(self, name: str) -> datetime.date | None:
        """An ISO date, or None when absent or null."""
        raw = self._facts.get(name)
        return None if raw is None else self._date(name, raw)

    def integer(self, name: str, minimum: int = 0) -> int:
        """A required whole number not below ``minimum``."""
        return self._integer(name, self._required(name), minimum)

    def optional_integer(self, name: str, minimum: int = 0) -> int | None:
        """A whole number not below ``minimum``, or None when absent or null."""
        raw = self._facts.get(name)
        return None if raw is None else self._integer(name, raw, minimum)

    def boolean(self, name: str) -> bool:
        """A required JSON true/false."""
        return self._boolean(name, self._required(name))

    def optional_boolean(self, name: str) -> bool | None:
        """A JSON true/false, or None when absent or null."""
        raw = self._facts.get(name)
        return None if raw is None else self._boolean(name, raw)

    def money(self, name: str) -> Decimal:
        """A required non-negative euro amount: a string with at most two decimals or a number."""
        return self._money(name, self._required(name))

    def optional_money(self, name: str) -> Decimal | None:
        """A non-negative euro amount, or None when absent or null."""
        raw = self._facts.get(name)
        return None if raw is None else self._money(name, raw)

    def number(self, name: str) -> Decimal:
        """A required non-negative number (JSON number or numeric string)."""
        raw = self._required(name)
        text = str(raw) if isinstance(raw, int | float) and not isinstance(raw, bool) else raw
        if not isinstance(text, str) or not NUMBER.fullmatch(text) or Decimal(text) < 0:
            raise invalid_fact(self._name(name), "odotettiin ei-negatiivista lukua")
        return Decimal(text)

    def choice(self, name: str, enum: type[EnumT]) -> EnumT:
        """A required value of ``enum``."""
        raw = self._required(name)
        try:
            return enum(raw)
        except ValueError:
            allowed = ", ".join(member.value for member in enum)
            raise invalid_fact(self._name(name), f"sallitut arvot ovat {allowed}") from None

    def optional_choice(self, name: str, enum: type[EnumT], default: EnumT) -> EnumT:
        """A value of ``enum``, or ``default`` when absent or null."""
        return default if self._facts.get(name) is None else self.choice(name, enum)

    def optional_text(self, name: str) -> str | None:
        """A non-empty string, or None when absent or null."""
        raw = self._facts.get(name)
        return None if raw is None else self._text(name, raw)

    def text(self, name: str) -> str:
        """A required non-empty string."""
        return self._text(name, self._required(name))

    def dates(self, name: str) -> tuple[datetime.date, ...]:
        """A required list of ISO dates."""
        raw = self._list(name)
        return tuple(self._date(f"{name}[{index}]", item) for index, item in enumerate(raw))

    def objects(self, name: str) -> tuple[FactReader, ...]:
        """A required list of JSON objects, each read with its own reader."""
        readers = []
        for index, item in enumerate(self._list(name)):
            if not isinstance(item, Mapping):
                raise invalid_fact(self._name(f"{name}[{index}]"), "odotettiin JSON-objektia")
            readers.append(FactReader(item, f"{self._name(name)}[{index}]."))
        return tuple(readers)

    def invalid(self, name: str, problem: str) -> FactError:
        """An ``invalid_fact`` error for a rule found across facts (named with the prefix)."""
        return invalid_fact(self._name(name), problem)

    def _list(self, name: str) -> list[Any]:
        raw = self._required(name)
        if not isinstance(raw, list):
            raise invalid_fact(self._name(name), "odotettiin listaa")
        return raw

    def _required(self, name: str) -> Any:
        raw = self._facts.get(name)
        if raw is None:
            raise missing_fact(self._name(name))
        return raw

    def _date(self, name: str, raw: object) -> datetime.date:
        parsed = parse_iso_date(raw)
        if parsed is None:
            raise invalid_fact(self._name(name), "odotettiin päivämäärää muodossa VVVV-KK-PP")
        return parsed

    def _integer(self, name: str, raw: object, minimum: int) -> int:
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise invalid_fact(self._name(name), "odotettiin kokonaislukua")
        if raw < minimum:
            raise invalid_fact(self._name(name), f"pienin sallittu arvo on {minimum}")
        return raw

    def _text(self, name: str, raw: object) -> str:
        if not isinstance(raw, str) or not raw.strip():
            raise invalid_fact(self._name(name), "odotettiin tekstiä")
        return raw

    def _boolean(self, name: str, raw: object) -> bool:
        if not isinstance(raw, bool):
            raise invalid_fact(self._name(name), "odotettiin arvoa true tai false")
        return raw

    def _money(self, name: str, raw: object) -> Decimal:
        text = str(raw) if isinstance(raw, int | float) and not isinstance(raw, bool) else raw
        if not isinstance(text, str) or not MONEY.fullmatch(text.strip()):
            raise invalid_fact(
                self._name(name), 'odotettiin euromäärää, jossa enintään kaksi desimaalia ("12.34")'
            )
        try:
            amount = Decimal(text.strip())
        except InvalidOperation:
            raise invalid_fact(self._name(name), "ei kelvollinen euromäärä") from None
        if amount < 0:
            raise invalid_fact(self._name(name), "euromäärä ei voi olla negatiivinen")
        return amount

    def _name(self, name: str) -> str:
        return f"{self._prefix}{name}"
