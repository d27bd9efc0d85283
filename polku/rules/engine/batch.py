"""Screening whole client bases in one pass (worklist: "meets the activation criteria").

The batch path reuses the activation rule's single predicate
(:func:`~polku.rules.engine.activation_plan.criteria_checks`) with the thresholds looked up
once, and builds no explanations; call ``decide_activation_plan`` for the clients a worker
opens.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import TypeVar

from polku.rules.engine.activation_plan import (
    ActivationPlanFacts,
    Criterion,
    criteria_checks,
    thresholds_on,
)

KeyT = TypeVar("KeyT")


def activation_plan_criteria_many(
    items: Iterable[tuple[KeyT, ActivationPlanFacts]], as_of: date
) -> Iterator[tuple[KeyT, tuple[Criterion, ...]]]:
    """Yield ``(key, criteria met)`` for each ``(key, facts)`` pair, lazily and in order."""
    thresholds = thresholds_on(as_of)
    for key, facts in items:
        yield (
            key,
            tuple(criterion for criterion, met in criteria_checks(facts, as_of, thresholds) if met),
        )


def activation_plan_required_many(
    items: Iterable[tuple[KeyT, ActivationPlanFacts]], as_of: date
) -> Iterator[tuple[KeyT, bool]]:
    """Yield ``(key, activation plan required)`` for each ``(key, facts)`` pair."""
    thresholds = thresholds_on(as_of)
    for key, facts in items:
        yield key, any(met for _criterion, met in criteria_checks(facts, as_of, thresholds))
