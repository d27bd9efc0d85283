from datetime import UTC, date, datetime

import factory

from polku.accounts.tests.factories import OrganisationFactory
from polku.ktt.models import (
    EVALUATION_TEXT_FIELDS,
    KttProvider,
    LegalForm,
    ProviderArrangement,
    Scope,
    WorkEvaluation,
    WorkEvaluationVersion,
)

AT = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)


class KttProviderFactory(factory.django.DjangoModelFactory[KttProvider]):
    """The organisation's own production by default; traits for the other arrangements."""

    class Meta:
        model = KttProvider
        django_get_or_create = ("organisation", "name")

    organisation = factory.SubFactory(OrganisationFactory)
    name = "Oma tuotanto"
    arrangement = ProviderArrangement.OWN_PRODUCTION
    legal_form = LegalForm.MUNICIPALITY
    scope = Scope.WORK_ACTIVITY
    created_at = AT
    updated_at = AT

    class Params:
        purchased = factory.Trait(
            name="Kierrätys ry",
            arrangement=ProviderArrangement.PURCHASED,
            legal_form=LegalForm.ASSOCIATION,
            procurement="DPS kuntouttava työtoiminta",
        )
        cooperation = factory.Trait(
            name="Kunnan yksiköt (yhteistyösopimus)",
            arrangement=ProviderArrangement.COOPERATION,
            legal_form=LegalForm.MUNICIPALITY,
        )
        company = factory.Trait(
            name="Valmennus Oy",
            arrangement=ProviderArrangement.PURCHASED,
            legal_form=LegalForm.COMPANY,
            scope=Scope.SUPPORT_ONLY,
        )


class WorkEvaluationFactory(factory.django.DjangoModelFactory[WorkEvaluation]):
    """An evaluation of a signed contract with its version 1 (``contract`` is required)."""

    class Meta:
        model = WorkEvaluation
        skip_postgeneration_save = True

    organisation = factory.SelfAttribute("client.organisation")
    client = factory.SelfAttribute("contract.episode.client")
    period_start = factory.SelfAttribute("contract.start")
    period_end = date(2026, 10, 30)
    work_tasks = "Puutyöt"
    working_skills = "Noudattaa ohjeita"
    social_skills = "Yhteistyökykyinen"
    strengths = "Tarkkuus"
    support_needs = "Tauotus"
    recommendation = "Työkyvyn arvio"
    created_by = factory.SelfAttribute("contract.created_by")
    created_at = AT
    updated_at = AT

    # factory_boy passes the created object as the first argument.
    @factory.post_generation
    def first_version(evaluation: WorkEvaluation, create: bool, extracted: object) -> None:  # noqa: N805
        if not create:
            return
        WorkEvaluationVersion.objects.create(
            evaluation=evaluation,
            version=evaluation.version,
            content={
                "period_start": evaluation.period_start.isoformat(),
                "period_end": evaluation.period_end.isoformat(),
                "placement": evaluation.contract.placement.name,
                "provider": evaluation.contract.placement.provider.name,
                **{name: getattr(evaluation, name) for name in EVALUATION_TEXT_FIELDS},
                "attendance": {
                    "present": 0,
                    "sick": 0,
                    "excused": 0,
                    "unexcused": 0,
                    "marked": 0,
                    "present_percent": None,
                    "days_per_week": evaluation.contract.days_per_week,
                },
            },
            saved_by=evaluation.created_by,
            saved_at=evaluation.created_at,
        )
