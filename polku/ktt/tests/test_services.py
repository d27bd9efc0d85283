from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from django.http import Http404

from polku.access import policy
from polku.accounts.models import Organisation, User
from polku.accounts.roles import Actor, Role
from polku.accounts.tests.factories import OrganisationFactory, UserFactory, actor_of
from polku.audit.models import ChangeLogEntry, DisclosureLogEntry
from polku.clients.models import Client, Consent
from polku.clients.tests.factories import ClientFactory, ConsentFactory
from polku.ktt import services
from polku.ktt.models import (
    KttProvider,
    LegalForm,
    ProviderArrangement,
    Scope,
    WorkEvaluation,
    WorkEvaluationVersion,
)
from polku.ktt.tests.conftest import NOW, TODAY
from polku.ktt.tests.factories import KttProviderFactory
from polku.referrals.disclosure import ConsentRequired
from polku.service_episodes import services as episode_services
from polku.service_episodes.models import AttendanceStatus, KttContract, Placement
from polku.service_episodes.tests.conftest import contract_data
from polku.service_episodes.tests.factories import (
    AttendanceFactory,
    EpisodeFactory,
    KttContractFactory,
    PlacementFactory,
    ServiceTypeFactory,
)

DPS = services.ProviderData(
    name="Kierrätyskeskus ry",
    arrangement=ProviderArrangement.PURCHASED,
    legal_form=LegalForm.ASSOCIATION,
    business_id="9999991-7",
    procurement="DPS kuntouttava työtoiminta 2024–2027",
    valid_from=date(2024, 1, 1),
    valid_until=date(2027, 12, 31),
)


# --------------------------------------------------------------------------- providers


def test_provider_create__records_a_provider_bought_through_the_dps_with_history(
    lead_actor: Actor,
) -> None:
    provider = services.provider_create(actor=lead_actor, data=DPS, today=TODAY, now=NOW)

    assert (provider.arrangement, provider.legal_form, provider.scope) == (
        "purchased",
        "association",
        "work_activity",
    )
    history = ChangeLogEntry.objects.get(object_id=str(provider.pk))
    assert history.event == "ktt.provider.created"
    assert history.changes["procurement"] == [None, "DPS kuntouttava työtoiminta 2024–2027"]


def test_provider_create__refuses_a_company_providing_the_work_activity_itself(
    lead_actor: Actor,
) -> None:
    company = replace(DPS, name="Rakennus Oy", legal_form=LegalForm.COMPANY)

    with pytest.raises(services.Invalid) as refused:
        services.provider_create(actor=lead_actor, data=company, today=TODAY, now=NOW)

    assert list(refused.value.errors) == ["scope"]
    assert "vain tukea ja ohjausta" in refused.value.errors["scope"]
    assert not KttProvider.objects.exists()


def test_provider_create__accepts_a_company_giving_only_support_and_guidance(
    lead_actor: Actor,
) -> None:
    company = replace(
        DPS, name="Valmennus Oy", legal_form=LegalForm.COMPANY, scope=Scope.SUPPORT_ONLY
    )

    provider = services.provider_create(actor=lead_actor, data=company, today=TODAY, now=NOW)

    assert provider.scope == "support_only"


def test_provider_create__refuses_allocating_money_in_a_cooperation_agreement(
    lead_actor: Actor,
) -> None:
    cooperation = replace(
        DPS,
        name="Kunnan keittiö",
        arrangement=ProviderArrangement.COOPERATION,
        legal_form=LegalForm.MUNICIPALITY,
        reimbursement_share=30,
    )

    with pytest.raises(services.Invalid) as refused:
        services.provider_create(actor=lead_actor, data=cooperation, today=TODAY, now=NOW)

    assert "raha ei liiku" in refused.value.errors["reimbursement_share"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"business_id": "9999991-6"}, "business_id"),
        ({"valid_until": date(2023, 12, 31)}, "valid_until"),
        ({"valid_from": date(202, 1, 1)}, "valid_from"),
        ({"contact_email": "ei-osoite"}, "contact_email"),
        ({"arrangement": ProviderArrangement.OWN_PRODUCTION}, "arrangement"),
    ],
)
def test_provider_create__refuses_bad_input_on_the_right_field(
    lead_actor: Actor, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(services.Invalid) as refused:
        services.provider_create(
            actor=lead_actor, data=replace(DPS, **changes), today=TODAY, now=NOW
        )

    assert field in refused.value.errors


def test_provider_create__refuses_a_name_the_organisation_already_uses(lead_actor: Actor) -> None:
    services.provider_create(actor=lead_actor, data=DPS, today=TODAY, now=NOW)

    with pytest.raises(services.Invalid) as refused:
        services.provider_create(actor=lead_actor, data=DPS, today=TODAY, now=NOW)

    assert "name" in refused.value.errors


def test_provider_create__is_for_those_who_keep_placements(work_coach_actor: Actor) -> None:
    with pytest.raises(policy.CapabilityMissing):
        services.provider_create(actor=work_coach_actor, data=DPS, today=TODAY, now=NOW)


def test_provider_update__refuses_a_stale_version_and_overwrites_nothing(
    lead_actor: Actor,
) -> None:
    provider = services.provider_create(actor=lead_actor, data=DPS, today=TODAY, now=NOW)
    services.provider_update(
        actor=lead_actor,
        provider_id=provider.pk,
        version=1,
        data=replace(DPS, contact_person="Riikka Kierto"),
        today=TODAY,
        now=NOW,
    )

    with pytest.raises(services.EditConflict):
        services.provider_update(
            actor=lead_actor,
            provider_id=provider.pk,
            version=1,
            data=replace(DPS, contact_person="Joku muu"),
            today=TODAY,
            now=NOW,
        )

    provider.refresh_from_db()
    assert (provider.contact_person, provider.version) == ("Riikka Kierto", 2)


def test_provider_update__another_organisations_provider_is_not_found(
    lead_actor: Actor, other_organisation: Organisation
) -> None:
    foreign = KttProviderFactory.create(organisation=other_organisation)

    with pytest.raises(Http404):
        services.provider_update(
            actor=lead_actor, provider_id=foreign.pk, version=1, data=DPS, today=TODAY, now=NOW
        )


def test_placement_create__without_a_provider_gets_the_one_its_kind_implies(
    lead_actor: Actor, organisation: Organisation
) -> None:
    def create(name: str, kind: str) -> Placement:
        return episode_services.placement_create(
            actor=lead_actor, data=episode_services.PlacementData(name=name, kind=kind), now=NOW
        )

    park, kitchen = create("Puistoyksikkö", "municipal_unit"), create("Keittiö", "workshop")
    centre = create("Palvelukeskus", "wellbeing_county_unit")
    company = create("Rakennus Oy", "company")

    assert park.provider == kitchen.provider
    assert park.provider.arrangement == "own_production"
    assert park.provider.name == f"{organisation.name}, oma tuotanto"
    assert (centre.provider.arrangement, centre.provider.legal_form) == (
        "cooperation",
        "wellbeing_county",
    )
    assert (company.provider.legal_form, company.provider.scope) == ("company", "support_only")
    assert KttProvider.objects.count() == 3


def test_ktt_contract_create__refuses_a_placement_whose_provider_gives_only_support(
    coach_actor: Actor, coach_client: Client, organisation: Organisation
) -> None:
    ServiceTypeFactory.create(organisation=organisation)
    support = KttProviderFactory.create(organisation=organisation, company=True)
    place = PlacementFactory.create(organisation=organisation, kind="association", provider=support)

    with pytest.raises(episode_services.ContractInvalid) as refused:
        episode_services.ktt_contract_create(
            actor=coach_actor, client_id=coach_client.pk, data=contract_data(place), now=NOW
        )

    assert [error.code for error in refused.value.errors] == ["provider_support_only"]


def test_placement_provider_set__moves_the_placement_with_history(
    lead_actor: Actor, workshop: Placement
) -> None:
    dps = services.provider_create(actor=lead_actor, data=DPS, today=TODAY, now=NOW)
    before = workshop.provider_id

    services.placement_provider_set(
        actor=lead_actor, placement_id=workshop.pk, provider_id=dps.pk, now=NOW
    )

    workshop.refresh_from_db()
    assert workshop.provider == dps
    change = ChangeLogEntry.objects.get(event="services.placement.updated")
    assert change.changes == {"provider": [before, dps.pk]}


def test_placement_provider_set__refuses_another_organisations_provider(
    lead_actor: Actor, workshop: Placement, other_organisation: Organisation
) -> None:
    foreign = KttProviderFactory.create(organisation=other_organisation)

    with pytest.raises(Http404):
        services.placement_provider_set(
            actor=lead_actor, placement_id=workshop.pk, provider_id=foreign.pk, now=NOW
        )


# ------------------------------------------------------------------- work evaluations

TEXTS = services.EvaluationData(
    period_start=date(2026, 9, 1),
    period_end=date(2026, 10, 30),
    work_tasks="Puutyöt: sahaus ja hionta",
    working_skills="Noudattaa ohjeita",
    social_skills="Auttaa muita",
    strengths="Tarkkuus",
    support_needs="Tauotus",
    recommendation="Työkyvyn arviointi terveysasemalla",
    punctuality="Saapuu ajallaan",
)


def _save(actor: Actor, contract: KttContract, **changes: Any) -> WorkEvaluation:
    return services.work_evaluation_save(
        actor=actor,
        client_id=contract.episode.client_id,
        contract_id=contract.pk,
        data=replace(TEXTS, **changes),
        today=TODAY,
        now=NOW,
    )


def test_work_evaluation_save__keeps_the_periods_attendance_figures_with_version_one(
    work_coach_actor: Actor, contract: KttContract, coach_client: Client
) -> None:
    for day, status in [
        (date(2026, 9, 7), AttendanceStatus.PRESENT),
        (date(2026, 9, 8), AttendanceStatus.PRESENT),
        (date(2026, 9, 9), AttendanceStatus.PRESENT),
        (date(2026, 9, 14), AttendanceStatus.SICK),
        (date(2026, 11, 2), AttendanceStatus.UNEXCUSED),  # after the period
    ]:
        AttendanceFactory.create(client=coach_client, day=day, status=status)

    evaluation = services.work_evaluation_save(
        actor=work_coach_actor,
        client_id=coach_client.pk,
        contract_id=contract.pk,
        data=TEXTS,
        today=TODAY,
        now=NOW,
    )

    version = WorkEvaluationVersion.objects.get(evaluation=evaluation)
    assert version.version == 1
    assert version.content["attendance"] == {
        "present": 3,
        "sick": 1,
        "excused": 0,
        "unexcused": 0,
        "marked": 4,
        "present_percent": 75,
        "days_per_week": 3,
    }
    assert version.content["work_tasks"] == "Puutyöt: sahaus ja hionta"
    assert version.content["placement"] == "TyöVarikko"
    saved = ChangeLogEntry.objects.get(event="ktt.work_evaluation.saved")
    assert saved.client_id == coach_client.pk


def test_work_evaluation_save__again_is_version_two_and_version_one_stays_as_it_was(
    work_coach_actor: Actor, contract: KttContract, coach_client: Client
) -> None:
    first = _save(work_coach_actor, contract)

    second = services.work_evaluation_save(
        actor=work_coach_actor,
        client_id=coach_client.pk,
        contract_id=contract.pk,
        data=replace(TEXTS, strengths="Tarkkuus ja oma-aloitteisuus"),
        today=TODAY,
        now=NOW,
        evaluation_id=first.pk,
        version=1,
    )

    versions = {v.version: v.content["strengths"] for v in second.versions.all()}
    assert versions == {1: "Tarkkuus", 2: "Tarkkuus ja oma-aloitteisuus"}
    assert second.version == 2


def test_work_evaluation_save__a_stale_version_is_a_conflict_and_adds_no_version(
    work_coach_actor: Actor, contract: KttContract, coach_client: Client
) -> None:
    evaluation = _save(work_coach_actor, contract)
    arguments: dict[str, Any] = {
        "actor": work_coach_actor,
        "client_id": coach_client.pk,
        "contract_id": contract.pk,
        "today": TODAY,
        "now": NOW,
        "evaluation_id": evaluation.pk,
        "version": 1,
    }
    services.work_evaluation_save(data=replace(TEXTS, strengths="Ensimmäinen"), **arguments)

    with pytest.raises(services.EditConflict):
        services.work_evaluation_save(data=replace(TEXTS, strengths="Toinen"), **arguments)

    assert WorkEvaluationVersion.objects.count() == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"period_start": date(2026, 8, 1)}, "period_start"),  # before the contract
        ({"period_end": date(2026, 11, 25)}, "period_end"),  # in the future
        ({"period_start": date(2026, 10, 31)}, "period_end"),  # ends before it starts
    ],
)
def test_work_evaluation_save__refuses_a_period_outside_the_work_done(
    work_coach_actor: Actor, contract: KttContract, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(services.Invalid) as refused:
        _save(work_coach_actor, contract, **changes)

    assert field in refused.value.errors


def test_work_evaluation_save__waits_until_the_ktt_has_started(
    work_coach_actor: Actor, contract: KttContract
) -> None:
    KttContract.objects.filter(pk=contract.pk).update(status=KttContract.Status.DECIDED)

    with pytest.raises(services.Invalid) as refused:
        _save(work_coach_actor, contract)

    assert "contract" in refused.value.errors


def test_work_evaluation_save__is_written_by_work_coaches_not_personal_coaches(
    coach_actor: Actor, contract: KttContract
) -> None:
    with pytest.raises(policy.CapabilityMissing):
        _save(coach_actor, contract)


def test_work_evaluation_save__needs_a_care_relationship(
    organisation: Organisation, contract: KttContract
) -> None:
    other_coach = UserFactory.create(username="muu", memberships=[(organisation, Role.WORK_COACH)])

    with pytest.raises(policy.NoCareRelationship):
        _save(actor_of(other_coach, organisation), contract)


def _send(
    actor: Actor, evaluation: WorkEvaluation, recipient: Organisation, version: int = 1
) -> WorkEvaluationVersion:
    return services.work_evaluation_send(
        actor=actor,
        client_id=evaluation.client_id,
        evaluation_id=evaluation.pk,
        version=version,
        recipient_id=recipient.pk,
        recipient_person="Terveysaseman lääkäri",
        today=TODAY,
        now=NOW,
    )


def test_work_evaluation_send__without_the_clients_consent_is_refused_and_logs_nothing(
    work_coach_actor: Actor,
    coach_actor: Actor,
    contract: KttContract,
    coach_client: Client,
    county: Organisation,
) -> None:
    evaluation = _save(work_coach_actor, contract)
    ConsentFactory.create(client=coach_client, party=Consent.Party.KELA)  # not for the doctor

    with pytest.raises(ConsentRequired) as refused:
        _send(coach_actor, evaluation, county)

    assert refused.value.missing == "consent"
    assert not DisclosureLogEntry.objects.exists()
    assert not ChangeLogEntry.objects.filter(event="ktt.work_evaluation.sent").exists()


def test_work_evaluation_send__with_consent_writes_the_disclosure_log_with_the_version(
    work_coach_actor: Actor,
    coach_actor: Actor,
    contract: KttContract,
    coach_client: Client,
    county: Organisation,
) -> None:
    evaluation = _save(work_coach_actor, contract)
    consent = ConsentFactory.create(client=coach_client, party=Consent.Party.HEALTH_SERVICES)

    sent = _send(coach_actor, evaluation, county)

    assert sent.version == 1
    row = DisclosureLogEntry.objects.get()
    assert (row.client_id, row.recipient_organisation, row.consent) == (
        coach_client.pk,
        county,
        consent,
    )
    assert row.disclosed == "Työarvio (versio 1), jakso 1.9.2026–30.10.2026"
    assert row.recipient_description == "Esimerkkimaan hyvinvointialue: Terveysaseman lääkäri"
    assert ChangeLogEntry.objects.filter(event="ktt.work_evaluation.sent").count() == 1


def test_work_evaluation_send__refuses_a_version_older_than_the_latest(
    work_coach_actor: Actor,
    coach_actor: Actor,
    contract: KttContract,
    coach_client: Client,
    county: Organisation,
) -> None:
    evaluation = _save(work_coach_actor, contract)
    services.work_evaluation_save(
        actor=work_coach_actor,
        client_id=coach_client.pk,
        contract_id=contract.pk,
        data=TEXTS,
        today=TODAY,
        now=NOW,
        evaluation_id=evaluation.pk,
        version=1,
    )
    ConsentFactory.create(client=coach_client, party=Consent.Party.HEALTH_SERVICES)

    with pytest.raises(services.EditConflict):
        _send(coach_actor, evaluation, county, version=1)

    assert not DisclosureLogEntry.objects.exists()


def test_work_evaluation_send__only_to_another_organisation_it_shares_data_with(
    work_coach_actor: Actor, coach_actor: Actor, contract: KttContract, organisation: Organisation
) -> None:
    evaluation = _save(work_coach_actor, contract)
    unknown = OrganisationFactory.create(slug="tuntematon")

    for recipient in (organisation, unknown):
        with pytest.raises(services.Invalid):
            _send(coach_actor, evaluation, recipient)


def test_work_evaluation_send__is_not_for_the_work_coach(
    work_coach_actor: Actor, contract: KttContract, county: Organisation
) -> None:
    evaluation = _save(work_coach_actor, contract)

    with pytest.raises(policy.CapabilityMissing):
        _send(work_coach_actor, evaluation, county)


def test_work_evaluation_save__another_clients_contract_is_not_found(
    work_coach_actor: Actor, contract: KttContract, organisation: Organisation, coach: User
) -> None:
    other = ClientFactory.create(organisation=organisation, responsible_worker=coach)
    other_contract = KttContractFactory.create(
        episode=EpisodeFactory.create(client=other, placement=contract.placement, created_by=coach),
        placement=contract.placement,
        signed=True,
    )

    with pytest.raises(Http404):
        services.work_evaluation_save(
            actor=work_coach_actor,
            client_id=contract.episode.client_id,
            contract_id=other_contract.pk,
            data=TEXTS,
            today=TODAY,
            now=NOW,
        )


def test_work_evaluation_save__a_new_version_may_move_to_the_clients_other_contract(
    work_coach_actor: Actor, contract: KttContract, coach: User
) -> None:
    evaluation = _save(work_coach_actor, contract)
    later = KttContractFactory.create(
        episode=EpisodeFactory.create(
            client=contract.episode.client, placement=contract.placement, created_by=coach
        ),
        placement=contract.placement,
        signed=True,
    )

    saved = services.work_evaluation_save(
        actor=work_coach_actor,
        client_id=contract.episode.client_id,
        contract_id=later.pk,
        data=TEXTS,
        today=TODAY,
        now=NOW,
        evaluation_id=evaluation.pk,
        version=1,
    )

    assert (saved.contract, saved.version) == (later, 2)
    change = ChangeLogEntry.objects.filter(event="ktt.work_evaluation.saved").latest("pk")
    assert change.changes["contract"] == [contract.pk, later.pk]
