"""Decisions and their explanations.

A rule records one :class:`Step` per thing it checked: the text, the law and the
parameter values it used. :meth:`Explanation.decide` closes the explanation and, when any
value used is not verified in LEGAL.md, adds a final "Huom" step naming those values, so
no answer can rest on an unverified value silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from polku.rules.engine.parameters import Band, ParameterValue, Status, Tier

ResultT = TypeVar("ResultT")

STATUS_LABELS = {
    Status.VERIFIED: "vahvistettu",
    Status.PARTLY_VERIFIED: "osittain vahvistettu",
    Status.UNVERIFIED: "vahvistamaton",
}


@dataclass(frozen=True, slots=True)
class Step:
    """One step of an explanation: what was checked, under which law, with which values."""

    text: str
    law: str | None = None
    parameters: tuple[ParameterValue, ...] = ()


@dataclass(frozen=True, slots=True)
class Decision(Generic[ResultT]):
    """A rule's result together with the steps that explain it."""

    result: ResultT
    steps: tuple[Step, ...]

    @property
    def unverified_parameters(self) -> tuple[ParameterValue, ...]:
        """The values used whose status is not ``verified``, in order of first use."""
        return _unverified(self.steps)


class Explanation:
    """Collects the steps of one decision while a rule runs."""

    __slots__ = ("_steps",)

    def __init__(self) -> None:
        self._steps: list[Step] = []

    def add(self, text: str, law: str | None = None, *parameters: ParameterValue) -> None:
        """Record a step."""
        self._steps.append(Step(text, law, parameters))

    def decide(self, result: ResultT) -> Decision[ResultT]:
        """Close the explanation with ``result`` and the notice on unverified values."""
        unverified = _unverified(self._steps)
        if unverified:
            listed = "; ".join(
                f"{value.name} = {_format_value(value)} ({STATUS_LABELS[value.status]}, "
                f"{value.source})"
                for value in unverified
            )
            self._steps.append(
                Step(
                    "Huom: tulos perustuu arvoihin, joita ei ole vahvistettu lakitekstistä; "
                    "tarkista ne Finlexistä ennen kuin tulos ohjaa rahaa tai määräaikoja: "
                    f"{listed}.",
                    None,
                    unverified,
                )
            )
        return Decision(result, tuple(self._steps))


def _unverified(steps: list[Step] | tuple[Step, ...]) -> tuple[ParameterValue, ...]:
    seen: dict[tuple[str, object], ParameterValue] = {}
    for step in steps:
        for value in step.parameters:
            if not value.verified:
                seen.setdefault((value.name, value.effective_from), value)
    return tuple(seen.values())


def _format_value(value: ParameterValue) -> str:
    data = value.value
    if data is None:
        return "ei tiedossa"
    if isinstance(data, bool):
        return "kyllä" if data else "ei"
    if isinstance(data, tuple):
        return "[" + ", ".join(_format_item(item) for item in data) + "]"
    return str(data)


def _format_item(item: str | Band | Tier) -> str:
    if isinstance(item, Band):
        return f"{item.from_day}. päivästä {item.rate} %"
    if isinstance(item, Tier):
        window = (
            "muut"
            if item.window_months is None
            else (f"työttömänä ≥ {item.min_unemployed_months}/{item.window_months} kk")
        )
        rate = "–" if item.rate is None else f"{item.rate} %"
        duration = (
            "kesto ei tiedossa" if item.duration_months is None else (f"{item.duration_months} kk")
        )
        return f"{window}: {rate}, {duration}"
    return item
