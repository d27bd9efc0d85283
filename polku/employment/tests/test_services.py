from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from polku.accounts.models import Organisation
from polku.accounts.roles import Actor
from polku.audit.models import ChangeLogEntry
from polku.clients.models import Client
from polku.clients.tests.factories import ClientFactory
from polku.employment import services
from polku.employment.models import Employer, ObligatedEmployment, PaySubsidy
from polku.employment.tests.factories import SubsidyFactory

NOW = datetime(2026, 11, 24, 10, tzinfo=UTC)


def _subsidy_data(employer: Employer, **changes: object) -> services.SubsidyData:
    values: dict[str, object] = {
        "employer_id": employer.pk,
        "job_title": "Varastotyöntekijä",
        "basis": "skills",
        "unemployed_months_of_last_28": 10,
        "unemployed_months_of_last_14": 8,
        "start": date(2023, 7, 1),
        "end": date(2023, 12, 31),
        "monthly_wage_costs": Decimal("2400.00"),
        "applied_on": date(2023, 6, 1),
    }
    values.update(changes)
    return services.SubsidyData(**values)  # type: ignore[arg-type]


# ---------------------------------------------------------------- obligated employment


def _record(actor: Actor, client: Client, max_period_end: date) -> ObligatedEmployment:
    return services.obligation_record(
        actor=actor,
        client_id=client.pk,
        notice_received_on=max_period_end - timedelta(days=90),
        max_period_end=max_period_end,
        now=NOW,
    )


def test_obligation_record__takes_the_deadline_and_six_months_from_the_engine(
    coach_actor: Actor, older_client: Client
) -> None:
    case = _record(coach_actor, older_client, date(2024, 6, 28))

    assert case.status == ObligatedEmployment.Status.NOTICE
    assert case.job_must_start_by == date(2024, 6, 28)
    assert case.duration_months == 6
    entry = ChangeLogEntry.objects.get(event="employment.obligation.recorded")
    assert entry.client_id == older_client.pk


@pytest.mark.parametrize(
    ("max_period_end", "status", "deadline"),
    [
        (date(2024, 9, 1), ObligatedEmployment.Status.NOTICE, date(2024, 9, 1)),
        (date(2024, 9, 2), ObligatedEmployment.Status.REFUSED, None),
        (date(2025, 3, 31), ObligatedEmployment.Status.REFUSED, None),
    ],
)
def test_obligation_record__the_obligation_arises_only_before_2_9_2024(
    coach_actor: Actor,
    older_client: Client,
    max_period_end: date,
    status: str,
    deadline: date | None,
) -> None:
    case = _record(coach_actor, older_client, max_period_end)

    assert (case.status, case.job_must_start_by) == (status, deadline)


def test_obligation_record__a_refused_notice_keeps_the_engines_reason_on_the_timeline(
    coach_actor: Actor, older_client: Client
) -> None:
    case = _record(coach_actor, older_client, date(2024, 9, 2))

    assert "lakkautettu" in case.refusal_reason
    assert ChangeLogEntry.objects.filter(
        event="employment.obligation.refused", client_id=older_client.pk
    ).exists()


def test_obligation_record__refuses_when_the_person_is_not_57_to_59(
    coach_actor: Actor, coach_client: Client
) -> None:
    young = ClientFactory.create(
        organisation=coach_client.organisation,
        responsible_worker=coach_client.responsible_worker,
        birth_date=date(1980, 1, 1),
    )
    case = _record(coach_actor, young, date(2024, 6, 28))

    assert case.status == ObligatedEmployment.Status.REFUSED
    assert "ei täyty" in case.refusal_reason


def test_obligation_record__is_not_for_a_work_coach(
    organisation: Organisation, older_client: Client
) -> None:
    from polku.accounts.roles import Role
    from polku.accounts.tests.factories import UserFactory, actor_of

    coach = UserFactory.create(username="tv", memberships=[(organisation, Role.WORK_COACH)])
    with pytest.raises(PermissionDenied):
        _record(actor_of(coach, organisation), older_client, date(2024, 6, 28))


def _legacy_case(actor: Actor, client: Client) -> ObligatedEmployment:
    return _record(actor, client, date(2024, 6, 28))


def test_obligation_update__a_legacy_case_continues_through_its_steps_after_the_end(
    coach_actor: Actor, older_client: Client, municipal_unit: Employer
) -> None:
    case = _legacy_case(coach_actor, older_client)

    updated = services.obligation_update(
        actor=coach_actor,
        client_id=older_client.pk,
        case_id=case.pk,
        version=case.version,
        steps={
            "meeting_on": date(2024, 3, 12),
            "employer_id": municipal_unit.pk,
            "job_title": "Kiinteistötyöntekijä",
            "job_chosen_on": date(2024, 4, 2),
            "contract_start": date(2024, 6, 28),
            "contract_end": date(2024, 12, 27),
            "costs": Decimal("13200.00"),
        },
        now=NOW,
    )

    assert updated.status == ObligatedEmployment.Status.EMPLOYED
    assert updated.version == case.version + 1
    assert ChangeLogEntry.objects.filter(
        event="employment.obligation.updated", client_id=older_client.pk
    ).exists()


def test_obligation_update__keeps_the_other_save_and_reports_a_conflict(
    coach_actor: Actor, older_client: Client
) -> None:
    case = _legacy_case(coach_actor, older_client)
    services.obligation_update(
        actor=coach_actor,
        client_id=older_client.pk,
        case_id=case.pk,
        version=case.version,
        steps={"meeting_on": date(2024, 3, 12)},
        now=NOW,
    )

    with pytest.raises(services.EditConflict) as clash:
        services.obligation_update(
            actor=coach_actor,
            client_id=older_client.pk,
            case_id=case.pk,
            version=case.version,
            steps={"meeting_on": date(2024, 3, 19)},
            now=NOW,
        )

    assert clash.value.current.meeting_on == date(2024, 3, 12)


def test_obligation_update__the_job_must_be_at_a_municipal_unit(
    coach_actor: Actor, older_client: Client, company: Employer
) -> None:
    case = _legacy_case(coach_actor, older_client)

    with pytest.raises(ValueError, match="kunnan yksikössä"):
        services.obligation_update(
            actor=coach_actor,
            client_id=older_client.pk,
            case_id=case.pk,
            version=case.version,
            steps={"employer_id": company.pk},
            now=NOW,
        )


def test_obligation_update__choosing_ktt_closes_the_case(
    coach_actor: Actor, older_client: Client
) -> None:
    case = _legacy_case(coach_actor, older_client)

    updated = services.obligation_update(
        actor=coach_actor,
        client_id=older_client.pk,
        case_id=case.pk,
        version=case.version,
        steps={"meeting_on": date(2024, 3, 12), "ktt_chosen_on": date(2024, 4, 1)},
        now=NOW,
    )

    assert updated.status == ObligatedEmployment.Status.KTT_CHOSEN
    assert not updated.is_open


# ---------------------------------------------------------------- pay subsidy


def test_subsidy_apply__before_1_7_2023_uses_the_2015_model(
    coach_actor: Actor, coach_client: Client, company: Employer
) -> None:
    subsidy = services.subsidy_apply(
        actor=coach_actor,
        client_id=coach_client.pk,
        data=_subsidy_data(company, start=date(2023, 6, 30)),
        now=NOW,
    )

    assert (subsidy.rate, subsidy.duration_months, subsidy.monthly_cap) == (30, 6, None)


def test_subsidy_apply__from_1_7_2023_uses_the_2023_model(
    coach_actor: Actor, coach_client: Client, company: Employer
) -> None:
    subsidy = services.subsidy_apply(
        actor=coach_actor,
        client_id=coach_client.pk,
        data=_subsidy_data(company, start=date(2023, 7, 1)),
        now=NOW,
    )

    assert (subsidy.rate, subsidy.duration_months) == (50, 5)
    assert subsidy.monthly_cap == Decimal("1260.00")
    assert subsidy.status == PaySubsidy.Status.APPLIED
    assert ChangeLogEntry.objects.filter(
        event="employment.subsidy.applied", client_id=coach_client.pk
    ).exists()


def test_subsidy_apply__55_plus_support_is_70_percent_for_10_months(
    coach_actor: Actor, older_client: Client, company: Employer
) -> None:
    subsidy = services.subsidy_apply(
        actor=coach_actor,
        client_id=older_client.pk,
        data=_subsidy_data(
            company,
            basis="age55",
            unemployed_months_of_last_28=24,
            start=date(2024, 1, 1),
            end=date(2024, 10, 31),
        ),
        now=NOW,
    )

    assert (subsidy.rate, subsidy.duration_months) == (70, 10)
    assert subsidy.monthly_cap == Decimal("1770.00")


def test_subsidy_apply__refuses_a_municipal_employer_from_2025_on_skills_grounds(
    coach_actor: Actor, coach_client: Client, municipal_unit: Employer
) -> None:
    with pytest.raises(services.SubsidyRefused, match="Kunta tai kuntayhtymä"):
        services.subsidy_apply(
            actor=coach_actor,
            client_id=coach_client.pk,
            data=_subsidy_data(municipal_unit, start=date(2025, 1, 1), end=date(2025, 6, 30)),
            now=NOW,
        )
    assert not PaySubsidy.objects.exists()


def test_subsidy_apply__allows_a_municipal_employer_in_2024(
    coach_actor: Actor, coach_client: Client, municipal_unit: Employer
) -> None:
    subsidy = services.subsidy_apply(
        actor=coach_actor,
        client_id=coach_client.pk,
        data=_subsidy_data(municipal_unit, start=date(2024, 12, 31), end=date(2025, 5, 30)),
        now=NOW,
    )

    assert subsidy.rate == 50


def test_subsidy_decide__records_the_decision_once(
    coach_actor: Actor, coach_client: Client, company: Employer
) -> None:
    subsidy = services.subsidy_apply(
        actor=coach_actor, client_id=coach_client.pk, data=_subsidy_data(company), now=NOW
    )
    decided = services.subsidy_decide(
        actor=coach_actor,
        client_id=coach_client.pk,
        subsidy_id=subsidy.pk,
        version=subsidy.version,
        granted=True,
        decision_on=date(2023, 6, 20),
        decision_number="PT-1",
        now=NOW,
    )

    assert decided.status == PaySubsidy.Status.GRANTED
    with pytest.raises(services.EditConflict):
        services.subsidy_decide(
            actor=coach_actor,
            client_id=coach_client.pk,
            subsidy_id=subsidy.pk,
            version=subsidy.version,
            granted=False,
            decision_on=date(2023, 6, 21),
            decision_number="",
            now=NOW,
        )


# ---------------------------------------------------------------- claims


def test_claim_create__lines_per_employment_and_month_match_hand_computed_amounts(
    clerk_actor: Actor, organisation: Organisation, company: Employer
) -> None:
    first = ClientFactory.create(organisation=organisation, last_name="Aalto")
    second = ClientFactory.create(organisation=organisation, last_name="Berg")
    # 2000 € × 50 % = 1000 €/month, under the 1260 € cap; starts 16.1. → 16/31 of January.
    SubsidyFactory.create(
        client=first,
        employer=company,
        start=date(2026, 1, 16),
        end=date(2026, 6, 15),
        monthly_wage_costs=Decimal("2000.00"),
    )
    # 3000 € × 50 % = 1500 € → capped at 1260 €/month.
    SubsidyFactory.create(
        client=second,
        employer=company,
        start=date(2026, 1, 1),
        end=date(2026, 5, 31),
        monthly_wage_costs=Decimal("3000.00"),
    )
    # Applied, not granted: not claimed.
    SubsidyFactory.create(client=second, employer=company, status=PaySubsidy.Status.APPLIED)

    claim = services.claim_create(
        actor=clerk_actor, period_start=date(2026, 1, 1), period_end=date(2026, 2, 28), now=NOW
    )

    lines = list(claim.lines.order_by("client__last_name", "month"))
    assert [(line.month, line.days_covered, line.amount) for line in lines] == [
        (date(2026, 1, 1), 16, Decimal("516.13")),  # 1000 × 16 / 31 = 516.129…
        (date(2026, 2, 1), 28, Decimal("1000.00")),
        (date(2026, 1, 1), 31, Decimal("1260.00")),
        (date(2026, 2, 1), 28, Decimal("1260.00")),
    ]
    assert claim.amount == Decimal("4036.13")
    assert claim.amount == sum(line.amount for line in lines)
    assert claim.wage_costs == Decimal("10000.00")


def test_claim_create__stops_at_the_end_of_the_decided_duration(
    clerk_actor: Actor, organisation: Organisation, company: Employer
) -> None:
    client = ClientFactory.create(organisation=organisation)
    # 5 months from 10.1.2026 → the subsidy ends 9.6.2026 although the job goes on.
    SubsidyFactory.create(
        client=client, employer=company, start=date(2026, 1, 10), end=date(2026, 12, 31)
    )

    claim = services.claim_create(
        actor=clerk_actor, period_start=date(2026, 6, 1), period_end=date(2026, 7, 31), now=NOW
    )

    (line,) = claim.lines.all()
    assert (line.month, line.days_covered, line.amount) == (
        date(2026, 6, 1),
        9,
        Decimal("300.00"),  # 1000 × 9 / 30
    )


def test_claim_create__refuses_a_period_not_yet_over(clerk_actor: Actor) -> None:
    with pytest.raises(ValueError, match="päätyttävä"):
        services.claim_create(
            actor=clerk_actor,
            period_start=date(2026, 11, 1),
            period_end=date(2026, 11, 30),
            now=NOW,
        )


def test_claim_create__is_for_the_office_clerk_not_the_coach(coach_actor: Actor) -> None:
    with pytest.raises(PermissionDenied):
        services.claim_create(
            actor=coach_actor,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 1, 31),
            now=NOW,
        )


# ---------------------------------------------------------------- employers and budget


def test_employer_create__is_for_the_business_coordinator(
    coordinator_actor: Actor, coach_actor: Actor
) -> None:
    data = services.EmployerData(name="Kauppa Oy", employer_type="company")

    employer = services.employer_create(actor=coordinator_actor, data=data, now=NOW)

    assert employer.organisation == coordinator_actor.organisation
    with pytest.raises(PermissionDenied):
        services.employer_create(actor=coach_actor, data=data, now=NOW)


def test_employer_update__reports_a_conflict_with_the_saved_version(
    coordinator_actor: Actor,
) -> None:
    employer = services.employer_create(
        actor=coordinator_actor,
        data=services.EmployerData(name="Kauppa Oy", employer_type="company"),
        now=NOW,
    )
    services.employer_update(
        actor=coordinator_actor,
        employer_id=employer.pk,
        version=1,
        data=services.EmployerData(name="Kauppa Oyj", employer_type="company"),
        now=NOW,
    )

    with pytest.raises(services.EditConflict) as clash:
        services.employer_update(
            actor=coordinator_actor,
            employer_id=employer.pk,
            version=1,
            data=services.EmployerData(name="Kauppa Ab", employer_type="company"),
            now=NOW,
        )
    assert clash.value.current.name == "Kauppa Oyj"


def test_budget_set__replaces_the_years_figure(clerk_actor: Actor) -> None:
    services.budget_set(actor=clerk_actor, year=2026, amount=Decimal(100000), now=NOW)
    budget = services.budget_set(actor=clerk_actor, year=2026, amount=Decimal(120000), now=NOW)

    assert budget.amount == Decimal(120000)
    assert budget.version == 2
