"""Data-driven statutory cases from ``polku/rules/cases/*.yaml`` (OpenFisca style).

Each case gives ``question``, ``as_of`` and ``facts`` as the JSON contract would, and either
``expected`` (a subset of the result), ``expected_error`` (code and words of the message),
``explanation_contains`` (words that must appear in the steps) and ``unverified`` (whether
the answer must carry the notice on unverified values).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from polku.rules.engine.questions import QUESTIONS, answer

CASE_DIR = Path(__file__).resolve().parent.parent / "cases"
UNVERIFIED_NOTICE = "Huom: tulos perustuu arvoihin, joita ei ole vahvistettu"


def _as_json(value: Any) -> Any:
    """YAML dates become ISO strings, as they arrive in JSON."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {key: _as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_json(item) for item in value]
    return value


def _load_cases() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    for path in sorted(CASE_DIR.glob("*.yaml")):
        with path.open(encoding="utf-8") as stream:
            cases.extend(_as_json(case) for case in yaml.safe_load(stream))
    return cases


CASES = _load_cases()


def _assert_subset(expected: Any, actual: Any, path: str = "result") -> None:
    if isinstance(expected, Mapping):
        assert isinstance(actual, Mapping), f"{path}: expected an object, got {actual!r}"
        for key, value in expected.items():
            assert key in actual, f"{path}.{key} missing from {actual!r}"
            _assert_subset(value, actual[key], f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list), f"{path}: expected a list, got {actual!r}"
        assert len(actual) == len(expected), f"{path}: {actual!r} != {expected!r}"
        for index, (want, got) in enumerate(zip(expected, actual, strict=True)):
            _assert_subset(want, got, f"{path}[{index}]")
    else:
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"


def _texts(response: dict[str, Any]) -> str:
    return "\n".join(step["text"] for step in response.get("explanation", []))


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_statutory_case_is_answered_as_the_case_file_expects(case: dict[str, Any]) -> None:
    question = {key: case[key] for key in ("question", "as_of", "facts") if key in case}
    response = answer(question)
    json.dumps(response)
    if "expected_error" in case:
        assert "error" in response, f"expected an error, got {response!r}"
        assert response["error"]["code"] == case["expected_error"]["code"]
        for words in case["expected_error"].get("message_contains", []):
            assert words in response["error"]["message"]
        return
    assert "error" not in response, response
    _assert_subset(case.get("expected", {}), response["result"])
    for words in case.get("explanation_contains", []):
        assert words in _texts(response), f"{words!r} not in explanation:\n{_texts(response)}"
    if "unverified" in case:
        assert (UNVERIFIED_NOTICE in _texts(response)) is case["unverified"]


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_answer_that_cites_an_unverified_value_says_so(case: dict[str, Any]) -> None:
    question = {key: case[key] for key in ("question", "as_of", "facts") if key in case}
    response = answer(question)
    cited = [
        value["status"] for step in response.get("explanation", []) for value in step["parameters"]
    ]
    notice = UNVERIFIED_NOTICE in _texts(response)
    assert notice is any(status != "verified" for status in cited)


def test_case_names_are_unique_sentences() -> None:
    names = [case["name"] for case in CASES]
    assert len(names) == len(set(names))
    assert all(" " in name for name in names)


def test_every_question_has_cases() -> None:
    assert {case["question"] for case in CASES} >= set(QUESTIONS)


def test_there_are_well_over_a_hundred_cases() -> None:
    assert len(CASES) > 150
