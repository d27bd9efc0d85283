import json
import subprocess
import sys
from pathlib import Path

from django.test import Client as HttpClient
from django.utils import timezone

from polku.accounts.models import Organisation, User
from polku.accounts.services import api_token_create

QUESTIONS = [
    {
        "question": "plan_review_due",
        "as_of": "2022-05-01",
        "facts": {"plan_type": "activation", "made_on": "2022-01-10", "last_review_on": None},
    },
    {"question": "activation_plan", "as_of": "2026-11-24", "facts": {}},
]


def test_rules_evaluate_endpoint_answers_each_question_and_reports_errors_per_question(
    coach: User, organisation: Organisation
) -> None:
    token = api_token_create(user=coach, organisation=organisation, now=timezone.now())

    response = HttpClient(HTTP_AUTHORIZATION=f"Bearer {token}").post(
        "/api/v1/rules/evaluate", json.dumps(QUESTIONS), content_type="application/json"
    )

    answers = response.json()
    assert response.status_code == 200
    assert answers[0]["result"]["due"] is None  # "as needed" before 2.5.2022
    assert answers[0]["explanation"]
    assert answers[1]["error"]["code"] == "missing_fact"


def test_rules_evaluate_command_prints_the_same_answers_and_exits_1_on_an_error(
    tmp_path: Path,
) -> None:
    questions = tmp_path / "questions.json"
    questions.write_text(json.dumps(QUESTIONS), encoding="utf-8")

    finished = subprocess.run(  # noqa: S603 - our own manage.py with a fixed argument list
        [sys.executable, "manage.py", "rules", "evaluate", str(questions)],
        capture_output=True,
        text=True,
        check=False,
    )

    answers = json.loads(finished.stdout)
    assert finished.returncode == 1
    assert [("result" in answer, "error" in answer) for answer in answers] == [
        (True, False),
        (False, True),
    ]


def test_rules_evaluate_command_reads_standard_input() -> None:
    finished = subprocess.run(
        [sys.executable, "manage.py", "rules", "evaluate", "-"],
        input=json.dumps(QUESTIONS[:1]),
        capture_output=True,
        text=True,
        check=False,
    )

    assert finished.returncode == 0
    assert json.loads(finished.stdout)[0]["question"] == "plan_review_due"
