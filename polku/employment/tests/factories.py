from datetime import UTC, date, datetime
from decimal import Decimal

import factory

from polku.accounts.tests.factories import OrganisationFactory, UserFactory
from polku.clients.tests.factories import ClientFactory
from polku.employment.models import Employer, ObligatedEmployment, PaySubsidy

CREATED_AT = datetime(2026, 1, 5, 9, tzinfo=UTC)


class EmployerFactory(factory.django.DjangoModelFactory[Employer]):
    class Meta:
        model = Employer

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Työnantaja {n}")
    employer_type = "company"


class ObligationFactory(factory.django.DjangoModelFactory[ObligatedEmployment]):
    class Meta:
        model = ObligatedEmployment

    client = factory.SubFactory(ClientFactory)
    status = ObligatedEmployment.Status.NOTICE
    notice_received_on = date(2024, 3, 1)
    max_period_end = date(2024, 6, 28)
    job_must_start_by = date(2024, 6, 28)
    duration_months = 6
    created_by = factory.SubFactory(UserFactory)
    created_at = CREATED_AT


class SubsidyFactory(factory.django.DjangoModelFactory[PaySubsidy]):
    class Meta:
        model = PaySubsidy

    client = factory.SubFactory(ClientFactory)
    employer = factory.SubFactory(EmployerFactory)
    job_title = "Kiinteistötyöntekijä"
    basis = "skills"
    unemployed_months_of_last_28 = 12
    start = date(2026, 1, 1)
    end = date(2026, 5, 31)
    monthly_wage_costs = Decimal("2000.00")
    status = PaySubsidy.Status.GRANTED
    applied_on = date(2025, 12, 1)
    decision_on = date(2025, 12, 15)
    allowed = True
    rate = 50
    duration_months = 5
    monthly_cap = Decimal("1260.00")
    created_by = factory.SubFactory(UserFactory)
    created_at = CREATED_AT
