from typing import Any

from django.http import HttpRequest
from ninja import Body, Router

from polku.rules.engine.questions import answer_all

router = Router(tags=["rules"])
QUESTIONS_BODY = Body(..., description="A JSON list of questions (CONTRACTS.md §2)")


@router.post("/evaluate", response=list[dict[str, Any]])
def evaluate(
    request: HttpRequest, questions: list[dict[str, Any]] = QUESTIONS_BODY
) -> list[dict[str, Any]]:
    """Answer statutory questions: the same questions and answers as ``rules evaluate``.

    A malformed question gets an ``error`` answer; the others still answer.
    """
    answers, _ = answer_all(questions)
    return answers
