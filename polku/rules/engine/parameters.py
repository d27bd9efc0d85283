"""Dated legal parameters read from ``polku/rules/parameters/*.yaml``.

Every file holds one parameter family; a parameter's full name is ``<file stem>.<key>``
(for example ``ktt.days_per_week_max``). Each dated value carries the law it comes from
and its verification status from LEGAL.md (✅ verified, 🟡 partly verified, ❌ unverified).
A law change is a new dated entry, never a code change.
"""

from __future__ import annotations

import bisect
import functools
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Any, cast

import yaml

PARAMETER_DIR = Path(__file__).resolve().parent.parent / "parameters"


class Status(StrEnum):
    """How well LEGAL.md verified a value."""

    VERIFIED = "verified"
    PARTLY_VERIFIED = "partly_verified"
    UNVERIFIED = "unverified"


@dataclass(frozen=True, slots=True)
class Band:
    """A day range of a municipal-share table: ``rate`` % from payment day ``from_day`` on."""

    from_day: int
    rate: int


@dataclass(frozen=True, slots=True)
class Tier:
    """A pay-subsidy step chosen by unemployment in the preceding months.

    ``window_months`` None means the tier applies to everyone left over.
    """

    min_unemployed_months: int
    window_months: int | None
    rate: int | None
    duration_months: int | None


ParameterData = int | Decimal | str | bool | tuple[str, ...] | tuple[Band, ...] | tuple[Tier, ...]


class ParameterFileError(ValueError):
    """A parameter file breaks the schema; raised when the files are loaded."""


class ParameterNotInForce(LookupError):
    """No value of the parameter is in force on the requested date."""

    def __init__(self, name: str, on: date) -> None:
        super().__init__(f"Parametrilla {name} ei ole arvoa, joka olisi voimassa {on.isoformat()}.")
        self.name = name
        self.on = on


@dataclass(frozen=True, slots=True)
class ParameterValue:
    """One dated value of a legal parameter."""

    name: str
    value: ParameterData | None
    effective_from: date
    until: date | None
    status: Status
    law: str
    source: str

    @property
    def verified(self) -> bool:
        """Whether LEGAL.md read this value in the statute or source text (✅)."""
        return self.status is Status.VERIFIED

    def integer(self) -> int:
        """The value as an int; fails loudly if the file holds something else."""
        value = self.optional_integer()
        if value is None:
            raise self._type_error("an integer")
        return value

    def optional_integer(self) -> int | None:
        """The value as an int, or None where the law sets no number."""
        if self.value is None or (isinstance(self.value, int) and not isinstance(self.value, bool)):
            return self.value
        raise self._type_error("an integer or null")

    def money(self) -> Decimal:
        """The value as euros."""
        value = self.optional_money()
        if value is None:
            raise self._type_error("an amount of money")
        return value

    def optional_money(self) -> Decimal | None:
        """The value as euros, or None where the amount is not known."""
        if self.value is None or isinstance(self.value, Decimal):
            return self.value
        raise self._type_error("an amount of money or null")

    def flag(self) -> bool:
        """The value as a bool."""
        value = self.optional_flag()
        if value is None:
            raise self._type_error("a boolean")
        return value

    def optional_flag(self) -> bool | None:
        """The value as a bool, or None where the rule is not known."""
        if self.value is None or isinstance(self.value, bool):
            return self.value
        raise self._type_error("a boolean or null")

    def text(self) -> str:
        """The value as a string."""
        if isinstance(self.value, str):
            return self.value
        raise self._type_error("a string")

    def strings(self) -> tuple[str, ...]:
        """The value as a tuple of strings (a ``list`` parameter)."""
        if isinstance(self.value, tuple) and all(isinstance(item, str) for item in self.value):
            return cast("tuple[str, ...]", self.value)
        raise self._type_error("a list of strings")

    def bands(self) -> tuple[Band, ...]:
        """The value as day bands, ordered by ``from_day``."""
        if isinstance(self.value, tuple) and all(isinstance(item, Band) for item in self.value):
            return cast("tuple[Band, ...]", self.value)
        raise self._type_error("a list of bands")

    def tiers(self) -> tuple[Tier, ...]:
        """The value as pay-subsidy tiers, most demanding first."""
        if isinstance(self.value, tuple) and all(isinstance(item, Tier) for item in self.value):
            return cast("tuple[Tier, ...]", self.value)
        raise self._type_error("a list of tiers")

    def _type_error(self, expected: str) -> TypeError:
        return TypeError(f"{self.name} from {self.effective_from} is not {expected}")


@dataclass(frozen=True, slots=True)
class Parameter:
    """A legal parameter with its dated values in ascending order."""

    name: str
    description: str
    unit: str
    values: tuple[ParameterValue, ...]
    starts: tuple[date, ...]

    def on(self, day: date) -> ParameterValue:
        """The value in force on ``day``.

        Raises:
            ParameterNotInForce: before the first value or after an entry's ``until``.
        """
        index = bisect.bisect_right(self.starts, day) - 1
        if index < 0:
            raise ParameterNotInForce(self.name, day)
        entry = self.values[index]
        if entry.until is not None and day > entry.until:
            raise ParameterNotInForce(self.name, day)
        return entry


def catalogue() -> Mapping[str, Parameter]:
    """All parameters by full name, loaded once from Polku's YAML files."""
    return load_catalogue(PARAMETER_DIR)


@functools.lru_cache(maxsize=65536)
def parameter(name: str, on: date) -> ParameterValue:
    """The value of parameter ``name`` in force on ``on`` (cached: rules call this per client).

    Raises:
        KeyError: the parameter does not exist (a programming error).
        ParameterNotInForce: no value is in force on that date.
    """
    return catalogue()[name].on(on)


def change_dates(names: Iterable[str], after: date, until: date) -> tuple[date, ...]:
    """Dates in ``(after, until]`` on which any of ``names`` takes a new value, ascending."""
    params = catalogue()
    found = {start for name in names for start in params[name].starts if after < start <= until}
    return tuple(sorted(found))


@functools.cache
def load_catalogue(directory: Path) -> Mapping[str, Parameter]:
    """Parse and validate every ``*.yaml`` file in ``directory`` (cached per directory).

    Raises:
        ParameterFileError: a file breaks the schema (order, dates, status, law, source).
    """
    params: dict[str, Parameter] = {}
    for path in sorted(directory.glob("*.yaml")):
        with path.open(encoding="utf-8") as stream:
            content = yaml.safe_load(stream)
        if not isinstance(content, dict):
            raise ParameterFileError(f"{path.name}: expected a mapping of parameters")
        for key, spec in content.items():
            name = f"{path.stem}.{key}"
            params[name] = _parse_parameter(name, spec)
    return MappingProxyType(params)


def _parse_parameter(name: str, spec: Any) -> Parameter:
    if not isinstance(spec, dict) or not isinstance(spec.get("values"), list) or not spec["values"]:
        raise ParameterFileError(f"{name}: needs description, unit and a non-empty values list")
    description = _required_text(name, spec, "description")
    unit = _required_text(name, spec, "unit")
    values = tuple(_parse_value(name, unit, entry) for entry in spec["values"])
    for earlier, later in itertools.pairwise(values):
        if earlier.effective_from >= later.effective_from:
            raise ParameterFileError(f"{name}: values must be in ascending effective_from order")
        if earlier.until is not None and earlier.until >= later.effective_from:
            raise ParameterFileError(f"{name}: until {earlier.until} overlaps the next value")
    return Parameter(
        name=name,
        description=description,
        unit=unit,
        values=values,
        starts=tuple(value.effective_from for value in values),
    )


def _parse_value(name: str, unit: str, entry: Any) -> ParameterValue:
    if not isinstance(entry, dict):
        raise ParameterFileError(f"{name}: each value must be a mapping")
    effective_from = entry.get("effective_from")
    until = entry.get("until")
    if not isinstance(effective_from, date) or not (until is None or isinstance(until, date)):
        raise ParameterFileError(f"{name}: effective_from/until must be dates")
    if until is not None and until < effective_from:
        raise ParameterFileError(f"{name}: until is before effective_from")
    try:
        status = Status(str(entry.get("status")))
    except ValueError:
        raise ParameterFileError(f"{name}: status must be one of {list(Status)}") from None
    return ParameterValue(
        name=name,
        value=_convert(name, unit, entry.get("value")),
        effective_from=effective_from,
        until=until,
        status=status,
        law=_required_text(name, entry, "law"),
        source=_required_text(name, entry, "source"),
    )


def _convert(name: str, unit: str, raw: Any) -> ParameterData | None:
    """Turn a YAML value into its typed form; the unit says which form."""
    if raw is None:
        return None
    try:
        if unit == "EUR":
            return Decimal(str(raw))
        if unit == "bands":
            return tuple(Band(**item) for item in raw)
        if unit == "tiers":
            return tuple(Tier(**item) for item in raw)
        if unit == "list":
            return tuple(str(item) for item in raw)
    except (TypeError, ArithmeticError) as error:
        raise ParameterFileError(f"{name}: value does not fit unit {unit}: {error}") from error
    if isinstance(raw, bool | int | str):
        return raw
    raise ParameterFileError(f"{name}: unsupported value {raw!r} for unit {unit}")


def _required_text(name: str, mapping: dict[str, Any], key: str) -> str:
    value = mapping.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ParameterFileError(f"{name}: {key} must be a non-empty string")
    return value
