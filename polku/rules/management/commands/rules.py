"""`python manage.py rules evaluate FILE` (CONTRACTS.md §2): questions in, answers out."""

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from polku.rules.engine.questions import answer_all


class Command(BaseCommand):
    help = "Answer statutory questions: `rules evaluate FILE` (a JSON list; FILE may be -)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        evaluate = actions.add_parser("evaluate", help="answer a JSON list of questions")
        evaluate.add_argument("file", help="path to a JSON file, or - for standard input")

    def handle(self, *args: object, **options: Any) -> None:
        questions = _read_questions(options["file"])
        answers, any_error = answer_all(questions)
        self.stdout.write(json.dumps(answers, ensure_ascii=False, indent=2))
        if any_error:
            sys.exit(1)


def _read_questions(path: str) -> Any:
    try:
        text = sys.stdin.read() if path == "-" else open(path, encoding="utf-8-sig").read()  # noqa: SIM115
    except OSError as error:
        raise CommandError(f"cannot read {path}: {error.strerror}") from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise CommandError(f"{path} is not valid JSON: line {error.lineno}: {error.msg}") from error
