"""Government bills that may have changed a rule but whose enactment is not verified.

LEGAL.md ADDENDUM § 6: HE 108/2025 and HE 109/2025 were expected in force from 2026, but
their act numbers and in-force dates were not found. A decision touched by one of them keeps
applying the last verified text and says so in a step citing the unverified parameter.
"""

from __future__ import annotations

from datetime import date

from polku.rules.engine.decision import Explanation
from polku.rules.engine.parameters import catalogue, parameter

HE_108_2025 = "he_108_2025"
HE_109_2025 = "he_109_2025"


def note_pending_bills(explanation: Explanation, as_of: date, *bills: str) -> None:
    """Add a step for each of ``bills`` that may be in force on ``as_of``."""
    for bill in bills:
        name = f"pending_legislation.{bill}"
        pending = parameter(name, as_of)
        if pending.flag():
            explanation.add(
                f"Huom: {catalogue()[name].description} Tulos perustuu viimeisimpään "
                "vahvistettuun lakitekstiin.",
                pending.law,
                pending,
            )
