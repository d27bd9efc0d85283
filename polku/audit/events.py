"""The registry of audit event codes: every change-history row names one of these."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Event:
    code: str
    label: Promise


REGISTRY: dict[str, Event] = {}


def register(code: str, label: Promise) -> Event:
    if code in REGISTRY:
        raise ValueError(f"duplicate audit event code {code}")
    REGISTRY[code] = event = Event(code, label)
    return event


CLIENT_CREATED = register("clients.client.created", _("Asiakas lisätty"))
CLIENT_UPDATED = register("clients.client.updated", _("Asiakkaan tiedot muutettu"))
RESPONSIBLE_WORKER_ASSIGNED = register(
    "clients.responsible_worker.assigned", _("Vastuutyöntekijä vaihdettu")
)
CONSENT_GIVEN = register("clients.consent.given", _("Suostumus kirjattu"))
CONSENT_WITHDRAWN = register("clients.consent.withdrawn", _("Suostumus peruttu"))
CARE_ASSIGNMENT_STARTED = register("clients.care_assignment.started", _("Asiakassuhde alkoi"))
CARE_ASSIGNMENT_ENDED = register("clients.care_assignment.ended", _("Asiakassuhde päättyi"))
BREAK_GLASS_GRANTED = register("access.break_glass.granted", _("Perusteltu poikkeuskäyttö"))
API_TOKEN_CREATED = register("accounts.api_token.created", _("API-avain luotu"))
DEMO_DATA_LOADED = register("demo.data.loaded", _("Esittelyaineisto luotu"))
