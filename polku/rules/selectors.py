"""The statutory obligations of one client, and the screening of a whole organisation."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from polku.clients.models import Client
from polku.rules.engine.activation_plan import decide_activation_plan
from polku.rules.engine.batch import activation_plan_required_many
from polku.rules.engine.decision import Decision
from polku.rules.engine.serialization import decision_json
from polku.rules.engine.typ_target_group import decide_typ_target_group
from polku.rules.facts import (
    activation_plan_facts_of,
    client_activation_plan_facts,
    client_typ_facts,
)


@dataclass(frozen=True)
class Obligation:
    """One decision as the client page shows it."""

    question: str
    result: Any
    explanation: list[dict[str, Any]]
    unverified: bool


def _obligation(question: str, decision: Decision[Any]) -> Obligation:
    result, explanation = decision_json(decision)
    return Obligation(
        question=question,
        result=result,
        explanation=explanation,
        unverified=bool(decision.unverified_parameters),
    )


def client_obligations(*, client: Client, as_of: date) -> list[Obligation]:
    """The engine's decisions for an already opened (and access-logged) client record."""
    return [
        _obligation(
            "activation_plan", decide_activation_plan(client_activation_plan_facts(client), as_of)
        ),
        _obligation(
            "typ_target_group", decide_typ_target_group(client_typ_facts(client, as_of), as_of)
        ),
    ]


def clients_meeting_activation_criteria(*, organisation_id: int, as_of: date) -> list[int]:
    """Ids of the organisation's clients whom the law requires an activation plan for."""
    clients = Client.objects.filter(organisation_id=organisation_id)
    return [
        key[0]
        for key, required in activation_plan_required_many(activation_plan_facts_of(clients), as_of)
        if required
    ]
