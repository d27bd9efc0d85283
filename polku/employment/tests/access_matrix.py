from datetime import UTC, date, datetime
from decimal import Decimal

from polku.accounts.roles import Capability
from polku.employment.models import PaySubsidy, PaySubsidyClaim, PaySubsidyClaimLine
from polku.employment.tests.factories import EmployerFactory, ObligationFactory, SubsidyFactory
from tests.matrix import Page, World


def objects(world: World) -> dict[str, int]:
    employer = EmployerFactory.create(
        organisation=world.organisation, name="Matriisin kunta", employer_type="municipality"
    )
    company = EmployerFactory.create(organisation=world.organisation, name="Matriisi Oy")
    case = ObligationFactory.create(client=world.client, created_by=world.worker)
    subsidy = SubsidyFactory.create(
        client=world.client,
        employer=company,
        created_by=world.worker,
        status=PaySubsidy.Status.APPLIED,
    )
    claim = PaySubsidyClaim.objects.create(
        organisation=world.organisation,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 1, 31),
        amount=Decimal("1000.00"),
        wage_costs=Decimal("2000.00"),
        created_by=world.worker,
        created_at=datetime(2026, 2, 1, tzinfo=UTC),
    )
    PaySubsidyClaimLine.objects.create(
        claim=claim,
        subsidy=subsidy,
        client=world.client,
        month=date(2026, 1, 1),
        days_covered=31,
        days_in_month=31,
        wage_costs=Decimal("2000.00"),
        amount=Decimal("1000.00"),
    )
    return {
        "employer_id": employer.pk,
        "company_id": company.pk,
        "case_id": case.pk,
        "subsidy_id": subsidy.pk,
        "pay_claim_id": claim.pk,
    }


CASE = ("case_id",)
SUBSIDY = ("subsidy_id",)
PAGES = {
    "employment:index": Page(Capability.VIEW_CLIENTS),
    "employment:employer_list": Page(Capability.VIEW_CLIENTS),
    "employment:employer_create": Page(Capability.MANAGE_EMPLOYERS),
    "employment:employer_detail": Page(Capability.VIEW_CLIENTS, kwargs=("employer_id",)),
    "employment:employer_edit": Page(Capability.MANAGE_EMPLOYERS, kwargs=("employer_id",)),
    "employment:contact_add": Page(
        Capability.MANAGE_EMPLOYERS,
        method="post",
        data=lambda world: {"name": "Kaisa Yhteys", "phone": "040 000 0000"},
        kwargs=("employer_id",),
    ),
    "employment:claim_list": Page(Capability.MANAGE_CLAIMS),
    "employment:claim_detail": Page(Capability.MANAGE_CLAIMS, kwargs=("claim_id=pay_claim_id",)),
    "employment:claim_pdf": Page(Capability.MANAGE_CLAIMS, kwargs=("claim_id=pay_claim_id",)),
    "employment:claim_xlsx": Page(Capability.MANAGE_CLAIMS, kwargs=("claim_id=pay_claim_id",)),
    "employment:budget": Page(Capability.VIEW_COSTS),
    "employment:budget_set": Page(
        Capability.MANAGE_CLAIMS,
        method="post",
        data=lambda world: {"year": "2026", "amount": "250000"},
    ),
    "employment:client": Page(Capability.VIEW_CLIENTS, client_specific=True),
    "employment:obligation_create": Page(Capability.MANAGE_EMPLOYMENT, client_specific=True),
    "employment:obligation_detail": Page(
        Capability.VIEW_CLIENTS, client_specific=True, kwargs=CASE
    ),
    "employment:obligation_edit": Page(
        Capability.MANAGE_EMPLOYMENT, client_specific=True, kwargs=CASE
    ),
    "employment:subsidy_create": Page(Capability.MANAGE_EMPLOYMENT, client_specific=True),
    "employment:subsidy_detail": Page(
        Capability.VIEW_CLIENTS, client_specific=True, kwargs=SUBSIDY
    ),
    "employment:subsidy_decide": Page(
        Capability.MANAGE_EMPLOYMENT,
        method="post",
        data=lambda world: {"granted": "1", "decision_on": "15.12.2025", "version": "1"},
        client_specific=True,
        kwargs=SUBSIDY,
    ),
}

API_OPERATIONS = {
    ("get", "/api/v1/obligated-employment/"): Page(Capability.VIEW_CLIENTS, client_specific=True),
    ("post", "/api/v1/obligated-employment/"): Page(
        Capability.MANAGE_EMPLOYMENT,
        data=lambda world: {
            "client_id": world.client.pk,
            "notice_received_on": "2024-05-02",
            "max_period_end": "2024-08-30",
        },
        client_specific=True,
    ),
    ("patch", "/api/v1/obligated-employment/{case_id}"): Page(
        Capability.MANAGE_EMPLOYMENT,
        data=lambda world: {
            "client_id": world.client.pk,
            "version": 1,
            "meeting_on": "2024-03-12",
        },
        client_specific=True,
        kwargs=CASE,
    ),
    ("get", "/api/v1/pay-subsidies/"): Page(Capability.VIEW_CLIENTS, client_specific=True),
    ("post", "/api/v1/pay-subsidies/"): Page(
        Capability.MANAGE_EMPLOYMENT,
        data=lambda world: {
            "client_id": world.client.pk,
            "employer_id": world.ids["company_id"],
            "job_title": "Varastotyöntekijä",
            "basis": "skills",
            "unemployed_months_of_last_28": 10,
            "start": "2026-02-01",
            "end": "2026-07-31",
            "monthly_wage_costs": "2100.00",
            "applied_on": "2026-01-10",
        },
        client_specific=True,
    ),
    ("post", "/api/v1/pay-subsidies/{subsidy_id}/decision"): Page(
        Capability.MANAGE_EMPLOYMENT,
        data=lambda world: {
            "client_id": world.client.pk,
            "version": 1,
            "granted": True,
            "decision_on": "2025-12-15",
        },
        client_specific=True,
        kwargs=SUBSIDY,
    ),
}
