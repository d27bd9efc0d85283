"""Errors about the facts a question gives, reported per question as ``error.code``."""

from __future__ import annotations


class FactError(ValueError):
    """A fact is missing (``missing_fact``) or malformed (``invalid_fact``)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def missing_fact(name: str, reason: str = "") -> FactError:
    """The error for a required fact that is absent or null; the message names the fact."""
    suffix = f" ({reason})" if reason else ""
    return FactError("missing_fact", f"Puuttuva tieto: {name}{suffix}.")


def invalid_fact(name: str, problem: str) -> FactError:
    """The error for a fact of the wrong type, format or value."""
    return FactError("invalid_fact", f"Virheellinen tieto {name}: {problem}.")
