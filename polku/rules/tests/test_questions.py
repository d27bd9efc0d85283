"""The JSON contract of ``rules evaluate`` (CONTRACTS.md § 2)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from polku.rules.engine.questions import QUESTIONS, answer, answer_all

ACTIVATION = {
    "question": "activation_plan",
    "as_of": "2024-06-01",
    "facts": {
        "birth_date": "1980-01-01",
        "main_income": "unemployment_benefit",
        "lms_days_total": 500,
        "lms_days_last_12_months": 0,
        "lms_days_after_max_period": 0,
        "daily_allowance_max_period_exhausted": False,
        "social_assistance_months": 0,
        "has_employment_plan": True,
        "job_search_discussion_held": False,
    },
}


def test_an_answer_has_exactly_the_contract_keys_in_order() -> None:
    response = answer(ACTIVATION)
    assert list(response) == ["question", "as_of", "result", "explanation"]
    assert response["result"] == {
        "required": True,
        "initiator": "employment_authority",
        "criteria_met": ["over25_lms_days_total"],
    }
    for step in response["explanation"]:
        assert set(step) == {"text", "law", "parameters"}
        assert isinstance(step["text"], str)
        assert step["text"]
        for value in step["parameters"]:
            assert set(value) == {"name", "value", "effective_from", "status"}
            assert value["status"] in {"verified", "partly_verified", "unverified"}
    json.dumps(response)


def test_an_error_answer_has_the_question_the_date_and_a_coded_error() -> None:
    response = answer({**ACTIVATION, "facts": {}})
    assert response == {
        "question": "activation_plan",
        "as_of": "2024-06-01",
        "error": {"code": "missing_fact", "message": "Puuttuva tieto: birth_date."},
    }


@pytest.mark.parametrize("question", [5, "activation_plan", None, [ACTIVATION]])
def test_a_question_that_is_not_an_object_is_an_invalid_question(question: Any) -> None:
    assert answer(question)["error"]["code"] == "invalid_question"


def test_answer_all_answers_in_order_and_reports_no_error_when_all_succeed() -> None:
    answers, failed = answer_all([ACTIVATION, {**ACTIVATION, "as_of": "2025-01-01"}])
    assert [item["as_of"] for item in answers] == ["2024-06-01", "2025-01-01"]
    assert failed is False


def test_answer_all_keeps_answering_after_a_malformed_question() -> None:
    answers, failed = answer_all([{"question": "nope"}, 7, ACTIVATION])
    assert [item.get("error", {}).get("code") for item in answers] == [
        "unknown_question",
        "invalid_question",
        None,
    ]
    assert failed is True


@pytest.mark.parametrize("payload", [{"question": "activation_plan"}, "[]", 3, None])
def test_answer_all_handles_input_that_is_not_a_list(payload: Any) -> None:
    answers, failed = answer_all(payload)
    assert failed is True
    assert answers[0]["error"]["code"] == "invalid_input"


def test_an_empty_list_gets_an_empty_list_of_answers() -> None:
    assert answer_all([]) == ([], False)


def test_the_contract_questions_are_all_answerable() -> None:
    contract = {
        "activation_plan",
        "typ_target_group",
        "obligated_employment",
        "ktt_contract",
        "ktt_reimbursement",
        "plan_review_due",
        "municipal_share",
        "pay_subsidy",
    }
    assert contract <= set(QUESTIONS)


def test_money_is_a_string_with_two_decimals_and_dates_are_iso() -> None:
    response = answer(
        {
            "question": "municipal_share",
            "as_of": "2025-03-01",
            "facts": {
                "counter_before": 300,
                "payments": [
                    {
                        "period_start": "2025-01-02",
                        "period_end": "2025-01-29",
                        "days": 20,
                        "amount": 744.2,
                        "benefit": "lms",
                        "basis": "unemployment",
                    }
                ],
            },
        }
    )
    assert response["result"]["share"] == "223.26"
    assert response["result"]["lines"][0]["base"] == "744.20"
    assert response["result"]["lines"][0]["period_start"] == "2025-01-02"
