"""Decisions as the JSON of CONTRACTS.md § 2: money as two-decimal strings, dates ISO."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from polku.rules.engine.decision import Decision
from polku.rules.engine.money import format_money
from polku.rules.engine.parameters import ParameterValue


def decision_json(decision: Decision[Any]) -> tuple[Any, list[dict[str, Any]]]:
    """The ``result`` and ``explanation`` members of an answer."""
    explanation = [
        {
            "text": step.text,
            "law": step.law,
            "parameters": [parameter_json(value) for value in step.parameters],
        }
        for step in decision.steps
    ]
    return to_json(decision.result), explanation


def parameter_json(value: ParameterValue) -> dict[str, Any]:
    """A parameter value as cited in an explanation step."""
    return {
        "name": value.name,
        "value": to_json(value.value),
        "effective_from": value.effective_from.isoformat(),
        "status": value.status.value,
    }


def to_json(value: object) -> Any:
    """Convert results and parameter values to JSON-ready data.

    Decimals are always euro amounts in the engine's results and parameters, so they
    become two-decimal strings.
    """
    if isinstance(value, Enum):
        return value.value
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return format_money(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [to_json(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            field.name: to_json(getattr(value, field.name)) for field in dataclasses.fields(value)
        }
    raise TypeError(f"cannot convert {type(value).__name__} to JSON")
