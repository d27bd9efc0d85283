"""Who may use the KTT provider, allocation and work-evaluation pages and API."""

from datetime import date

from polku.accounts.models import DataSharingAgreement, Organisation
from polku.accounts.roles import Capability
from polku.accounts.tests.factories import OrganisationFactory
from polku.clients.models import Consent
from polku.clients.tests.factories import ConsentFactory
from polku.ktt.tests.factories import KttProviderFactory, WorkEvaluationFactory
from polku.service_episodes.tests.factories import (
    EpisodeFactory,
    KttContractFactory,
    PlacementFactory,
)
from tests.matrix import Page, World


def objects(world: World) -> dict[str, int]:
    provider = KttProviderFactory.create(organisation=world.organisation, purchased=True)
    placement = PlacementFactory.create(
        organisation=world.organisation, name="Matriisin kierrätys", provider=provider
    )
    contract = KttContractFactory.create(
        episode=EpisodeFactory.create(
            client=world.client, placement=placement, created_by=world.worker
        ),
        signed=True,
    )
    evaluation = WorkEvaluationFactory.create(contract=contract)
    doctor = OrganisationFactory.create(
        name="Matriisin hyvinvointialue", kind=Organisation.Kind.WELLBEING_COUNTY
    )
    DataSharingAgreement.objects.create(
        provider=world.organisation,
        recipient=doctor,
        purpose="Työkyky",
        valid_from=date(2026, 1, 1),
    )
    ConsentFactory.create(
        client=world.client, party=Consent.Party.HEALTH_SERVICES, given_on=date(2026, 1, 1)
    )
    return {
        "provider_id": provider.pk,
        "ktt_placement_id": placement.pk,
        "ktt_contract_id": contract.pk,
        "evaluation_id": evaluation.pk,
        "doctor_organisation_id": doctor.pk,
    }


EVALUATION = ("evaluation_id",)
PROVIDER_FIELDS = {
    "name": "Uusi yhdistys ry",
    "arrangement": "purchased",
    "legal_form": "association",
    "procurement": "DPS",
}
EVALUATION_TEXTS = {
    "period_start": "2026-09-01",
    "period_end": "2026-09-30",
    "work_tasks": "Puutyöt",
    "working_skills": "Hyvät",
    "social_skills": "Hyvät",
    "strengths": "Tarkkuus",
    "support_needs": "Tauot",
    "recommendation": "Jatko",
}
PAGES = {
    "ktt:providers": Page(Capability.VIEW_CLIENTS),
    "ktt:provider_create": Page(Capability.MANAGE_PLACEMENTS),
    "ktt:provider_detail": Page(Capability.VIEW_CLIENTS, kwargs=("provider_id",)),
    "ktt:provider_edit": Page(Capability.MANAGE_PLACEMENTS, kwargs=("provider_id",)),
    "ktt:placement_provider": Page(
        Capability.MANAGE_PLACEMENTS, kwargs=("placement_id=ktt_placement_id",)
    ),
    "ktt:allocation": Page(Capability.VIEW_COSTS),
    "ktt:allocation_pdf": Page(Capability.VIEW_COSTS),
    "ktt:allocation_xlsx": Page(Capability.VIEW_COSTS),
    "ktt:evaluation_create": Page(Capability.WRITE_WORK_EVALUATIONS, client_specific=True),
    "ktt:evaluation_detail": Page(Capability.VIEW_CLIENTS, client_specific=True, kwargs=EVALUATION),
    "ktt:evaluation_edit": Page(
        Capability.WRITE_WORK_EVALUATIONS, client_specific=True, kwargs=EVALUATION
    ),
    "ktt:evaluation_pdf": Page(Capability.VIEW_CLIENTS, client_specific=True, kwargs=EVALUATION),
    "ktt:evaluation_send": Page(
        Capability.MANAGE_REFERRALS,
        method="post",
        data=lambda world: {
            "recipient": world.ids["doctor_organisation_id"],
            "recipient_person": "Terveysaseman lääkäri",
            "version": 1,
        },
        client_specific=True,
        kwargs=EVALUATION,
    ),
}

API_OPERATIONS = {
    ("get", "/api/v1/ktt-providers/"): Page(Capability.VIEW_CLIENTS),
    ("post", "/api/v1/ktt-providers/"): Page(
        Capability.MANAGE_PLACEMENTS, data=lambda world: PROVIDER_FIELDS
    ),
    ("get", "/api/v1/ktt-providers/{provider_id}"): Page(
        Capability.VIEW_CLIENTS, kwargs=("provider_id",)
    ),
    ("patch", "/api/v1/ktt-providers/{provider_id}"): Page(
        Capability.MANAGE_PLACEMENTS,
        data=lambda world: {**PROVIDER_FIELDS, "name": "Kierrätys ry", "version": 1},
        kwargs=("provider_id",),
    ),
    ("get", "/api/v1/ktt-providers/allocation"): Page(
        Capability.VIEW_COSTS, query=lambda world: {"start": "2026-10-01", "end": "2026-10-31"}
    ),
    ("get", "/api/v1/work-evaluations/"): Page(Capability.VIEW_CLIENTS, client_specific=True),
    ("post", "/api/v1/work-evaluations/"): Page(
        Capability.WRITE_WORK_EVALUATIONS,
        data=lambda world: {
            **EVALUATION_TEXTS,
            "client_id": world.client.pk,
            "contract_id": world.ids["ktt_contract_id"],
        },
        client_specific=True,
    ),
    ("get", "/api/v1/work-evaluations/{evaluation_id}"): Page(
        Capability.VIEW_CLIENTS, client_specific=True, kwargs=EVALUATION
    ),
    ("patch", "/api/v1/work-evaluations/{evaluation_id}"): Page(
        Capability.WRITE_WORK_EVALUATIONS,
        data=lambda world: {
            **EVALUATION_TEXTS,
            "contract_id": world.ids["ktt_contract_id"],
            "version": 1,
        },
        client_specific=True,
        kwargs=EVALUATION,
    ),
    ("post", "/api/v1/work-evaluations/{evaluation_id}/send"): Page(
        Capability.MANAGE_REFERRALS,
        data=lambda world: {
            "version": 1,
            "recipient_id": world.ids["doctor_organisation_id"],
            "recipient_person": "Lääkäri",
        },
        client_specific=True,
        kwargs=EVALUATION,
    ),
}
