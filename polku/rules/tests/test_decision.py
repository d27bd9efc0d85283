"""Explanations close with a notice whenever a value used is not verified."""

from __future__ import annotations

from datetime import date

from polku.rules.engine.decision import Explanation
from polku.rules.engine.parameters import parameter


def test_a_decision_on_verified_values_has_no_notice() -> None:
    explanation = Explanation()
    explanation.add(
        "Neljä päivää viikossa.",
        "189/2001 § 13",
        parameter("ktt.days_per_week_max", date(2024, 1, 1)),
    )
    decision = explanation.decide(True)
    assert decision.result is True
    assert decision.unverified_parameters == ()
    assert len(decision.steps) == 1


def test_a_decision_on_an_unverified_value_ends_with_a_notice_naming_it_once() -> None:
    maximum = parameter("ktt.hours_per_day_max", date(2024, 1, 1))
    explanation = Explanation()
    explanation.add("Yli 8 tuntia.", maximum.law, maximum)
    explanation.add("Yhä yli 8 tuntia.", maximum.law, maximum)
    decision = explanation.decide("warning")
    assert decision.unverified_parameters == (maximum,)
    notice = decision.steps[-1]
    assert notice.text.startswith("Huom: tulos perustuu arvoihin, joita ei ole vahvistettu")
    assert "ktt.hours_per_day_max = 8 (vahvistamaton" in notice.text
    assert notice.parameters == (maximum,)
