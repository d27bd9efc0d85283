"""Writes for KTT providers (seed 004) and work evaluations (työarvio, seed 002).

Whether a provider may provide KTT in the way recorded is the rules engine's question
(``ktt_provider``); a work evaluation goes to the doctor only through the consent gate
of ``polku.referrals.disclosure`` and leaves a disclosure-log row.
"""

from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from polku.access import policy
from polku.accounts.models import Organisation
from polku.accounts.roles import Actor, Capability
from polku.audit import services as audit
from polku.audit.events import (
    KTT_PROVIDER_CREATED,
    KTT_PROVIDER_UPDATED,
    PLACEMENT_UPDATED,
    WORK_EVALUATION_SAVED,
    WORK_EVALUATION_SENT,
)
from polku.clients.models import Client
from polku.core import business_id
from polku.ktt import selectors
from polku.ktt.models import (
    EVALUATION_TEXT_FIELDS,
    KttProvider,
    LegalForm,
    ProviderArrangement,
    Scope,
    WorkEvaluation,
    WorkEvaluationVersion,
)
from polku.referrals.disclosure import disclosure_gate
from polku.rules.engine.ktt_contract import ProviderScope, ProviderType
from polku.rules.engine.ktt_provider import Arrangement, KttProviderFacts, decide_ktt_provider
from polku.service_episodes.models import KttContract, Placement
from polku.service_episodes.selectors import format_day

# Agreement dates outside these are typing errors (e.g. 1.1.0202), not agreements.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)
# A contract that has started: the work it covers can be evaluated.
EVALUABLE = (KttContract.Status.SIGNED, KttContract.Status.INTERRUPTED, KttContract.Status.ENDED)


class Invalid(ValueError):
    """The data breaks a rule; ``errors`` maps form field names to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(" ".join(errors.values()))
        self.errors = errors


class EditConflict(ValueError):
    """Someone else saved the record after it was opened: nothing was overwritten."""

    def __init__(self, current: KttProvider | WorkEvaluation) -> None:
        super().__init__(_("Joku muu tallensi tiedot sillä välin. Mitään ei kirjoitettu yli."))
        self.current = current


# --------------------------------------------------------------------------- providers


@dataclass(frozen=True)
class ProviderData:
    name: str
    arrangement: str
    legal_form: str
    scope: str = Scope.WORK_ACTIVITY
    business_id: str = ""
    procurement: str = ""
    agreement_reference: str = ""
    valid_from: date | None = None
    valid_until: date | None = None
    contact_person: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    reimbursement_share: int = 0
    notes: str = ""
    active: bool = True


def _engine_errors() -> dict[str, tuple[str, str]]:
    """The engine's provider error codes as (form field, message in the user's language)."""
    return {
        "company_provider_not_allowed": (
            "scope",
            _(
                "Yritykseltä ei saa hankkia kuntouttavaa työtoimintaa. Yritys voi tuottaa vain "
                "tukea ja ohjausta: valitse se."
            ),
        ),
        "own_production_not_public": (
            "arrangement",
            _("Oma tuotanto on kunnan tai hyvinvointialueen omaa toimintaa."),
        ),
        "cooperation_not_public": (
            "arrangement",
            _(
                "Yhteistyösopimus tehdään kunnan ja hyvinvointialueen välillä; yhdistykseltä, "
                "säätiöltä tai yritykseltä palvelu hankitaan (ostopalvelu)."
            ),
        ),
        "cooperation_moves_no_money": (
            "reimbursement_share",
            _(
                "Yhteistyösopimuksessa raha ei liiku: valtionkorvauksesta ei kohdenneta osuutta "
                "(0 %)."
            ),
        ),
        "share_out_of_range": ("reimbursement_share", _("Osuus on 0–100 %.")),
    }


def _validate_provider(data: ProviderData, today: date) -> None:
    errors: dict[str, str] = {}
    decision = decide_ktt_provider(
        KttProviderFacts(
            legal_form=ProviderType(data.legal_form),
            arrangement=Arrangement(data.arrangement),
            scope=ProviderScope(data.scope),
            reimbursement_share=data.reimbursement_share,
        ),
        today,
    )
    messages = _engine_errors()
    for issue in decision.result.errors:
        field, message = messages.get(issue.code, (None, issue.message))
        errors[field or "__all__"] = message
    if data.contact_email:
        try:
            validate_email(data.contact_email)
        except ValidationError:
            errors["contact_email"] = _("Tarkista sähköpostiosoite.")
    if data.business_id and not business_id.is_valid(data.business_id):
        errors["business_id"] = _("Y-tunnus on muotoa 1234567-8 ja sen tarkiste täsmää.")
    for name in ("valid_from", "valid_until"):
        value = getattr(data, name)
        if value is not None and not FIRST_DAY <= value <= LAST_DAY:
            errors[name] = _("Tarkista päivämäärä: vuosi on 2000–2099.")
    if data.valid_from and data.valid_until and data.valid_until < data.valid_from:
        errors["valid_until"] = _("Sopimus ei voi päättyä ennen alkamistaan.")
    if errors:
        raise Invalid(errors)


def _check_name_free(actor: Actor, name: str, own_id: int | None) -> None:
    taken = KttProvider.objects.filter(organisation=actor.organisation, name=name)
    if own_id is not None:
        taken = taken.exclude(pk=own_id)
    if taken.exists():
        raise Invalid({"name": _("Samanniminen tuottaja on jo olemassa.")})


def _provider_values(provider: KttProvider) -> dict[str, Any]:
    return {name: getattr(provider, name) for name in ProviderData.__dataclass_fields__}


@transaction.atomic
def provider_create(*, actor: Actor, data: ProviderData, today: date, now: datetime) -> KttProvider:
    """Record a KTT provider and the agreement it works under.

    Raises:
        Invalid: the rules engine refuses the arrangement (e.g. a company providing the
            work activity itself), the business ID is wrong or the name is taken.
    """
    policy.require(actor, Capability.MANAGE_PLACEMENTS)
    _validate_provider(data, today)
    _check_name_free(actor, data.name, None)
    provider = KttProvider.objects.create(
        organisation=actor.organisation, created_at=now, updated_at=now, **asdict(data)
    )
    audit.record(
        event=KTT_PROVIDER_CREATED,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=provider,
        changes=audit.changes_between({}, asdict(data)),
    )
    return provider


@transaction.atomic
def provider_update(
    *,
    actor: Actor,
    provider_id: int,
    version: int,
    data: ProviderData,
    today: date,
    now: datetime,
) -> KttProvider:
    """Change a provider if nobody else saved it since ``version`` was read.

    Raises:
        EditConflict: it changed after it was opened; it carries the saved one.
        Invalid: as in :func:`provider_create`.
    """
    policy.require(actor, Capability.MANAGE_PLACEMENTS)
    provider = (
        KttProvider.objects.select_for_update()
        .filter(organisation=actor.organisation, pk=provider_id)
        .first()
    )
    if provider is None:
        raise Http404(_("Tuottajaa ei löydy."))
    if provider.version != version:
        raise EditConflict(provider)
    _validate_provider(data, today)
    _check_name_free(actor, data.name, provider.pk)
    before = _provider_values(provider)
    for name, value in asdict(data).items():
        setattr(provider, name, value)
    provider.version, provider.updated_at = version + 1, now
    provider.save()
    audit.record(
        event=KTT_PROVIDER_UPDATED,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=provider,
        changes=audit.changes_between(before, _provider_values(provider)),
    )
    return provider


def _default_provider_data(
    organisation: Organisation, placement_kind: str, placement_name: str
) -> ProviderData:
    """The provider a placement of this kind implies (the same rule migrated old placements)."""
    county = organisation.kind == Organisation.Kind.WELLBEING_COUNTY
    own_units = {
        Placement.Kind.WORKSHOP,
        Placement.Kind.WELLBEING_COUNTY_UNIT if county else Placement.Kind.MUNICIPAL_UNIT,
    }
    if placement_kind in own_units:
        return ProviderData(
            name=_("%(organisation)s, oma tuotanto") % {"organisation": organisation.name},
            arrangement=ProviderArrangement.OWN_PRODUCTION,
            legal_form=LegalForm.WELLBEING_COUNTY if county else LegalForm.MUNICIPALITY,
        )
    public = {
        Placement.Kind.MUNICIPAL_UNIT: LegalForm.MUNICIPALITY,
        Placement.Kind.WELLBEING_COUNTY_UNIT: LegalForm.WELLBEING_COUNTY,
    }
    if placement_kind in public:
        return ProviderData(
            name=_("%(name)s (yhteistyösopimus)") % {"name": placement_name},
            arrangement=ProviderArrangement.COOPERATION,
            legal_form=public[Placement.Kind(placement_kind)],
        )
    return ProviderData(
        name=placement_name,
        arrangement=ProviderArrangement.PURCHASED,
        legal_form=placement_kind,
        scope=Scope.SUPPORT_ONLY
        if placement_kind == Placement.Kind.COMPANY
        else Scope.WORK_ACTIVITY,
    )


def placement_provider(
    *, actor: Actor, provider_id: int | None, kind: str, name: str, today: date, now: datetime
) -> KttProvider:
    """The provider of a new placement: the one chosen, or the one its kind implies.

    A placement added without a provider (e.g. through an older API client) gets its
    organisation's own production for own units, a cooperation agreement for the other
    public body's units and a purchase from the host itself otherwise; the implied
    provider is created on first use.
    """
    policy.require(actor, Capability.MANAGE_PLACEMENTS)
    if provider_id is not None:
        return selectors.provider_get(actor=actor, provider_id=provider_id)
    data = _default_provider_data(actor.organisation, kind, name)
    existing = KttProvider.objects.filter(organisation=actor.organisation, name=data.name).first()
    return existing or provider_create(actor=actor, data=data, today=today, now=now)


@transaction.atomic
def placement_provider_set(
    *, actor: Actor, placement_id: int, provider_id: int, now: datetime
) -> Placement:
    """Move a placement under another provider (e.g. a new purchase contract)."""
    policy.require(actor, Capability.MANAGE_PLACEMENTS)
    placement = (
        Placement.objects.select_for_update()
        .filter(organisation=actor.organisation, pk=placement_id)
        .first()
    )
    if placement is None:
        raise Http404(_("Työtoimintapaikkaa ei löydy."))
    provider = selectors.provider_get(actor=actor, provider_id=provider_id)
    before = placement.provider_id
    placement.provider = provider
    placement.save(update_fields=["provider"])
    audit.record(
        event=PLACEMENT_UPDATED,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=placement,
        changes={"provider": [before, provider.pk]},
    )
    return placement


# ------------------------------------------------------------------- work evaluations


@dataclass(frozen=True)
class EvaluationData:
    period_start: date
    period_end: date
    work_tasks: str
    working_skills: str
    social_skills: str
    strengths: str
    support_needs: str
    recommendation: str
    punctuality: str = ""
    work_ability_observations: str = ""
    client_view: str = ""


def _evaluable_contract(client: Client, contract_id: int) -> KttContract:
    contract = (
        KttContract.objects.filter(pk=contract_id, episode__client=client)
        .select_related("placement", "placement__provider")
        .first()
    )
    if contract is None:
        raise Http404(_("Sopimusta ei löydy."))
    if contract.status not in EVALUABLE:
        raise Invalid(
            {"contract": _("Työarvio kirjoitetaan, kun kuntouttava työtoiminta on alkanut.")}
        )
    return contract


def _check_period(contract: KttContract, data: EvaluationData, today: date) -> None:
    errors: dict[str, str] = {}
    last = contract.interrupted_on or contract.end
    if data.period_end < data.period_start:
        errors["period_end"] = _("Jakso ei voi päättyä ennen alkamistaan.")
    elif data.period_start < contract.start or data.period_end > last:
        errors["period_start"] = _("Arviointijakso on sopimuksen ajalla %(start)s–%(end)s.") % {
            "start": format_day(contract.start),
            "end": format_day(last),
        }
    if data.period_end > today:
        errors["period_end"] = _(
            "Arvioida voi vain jo tehtyä työtä: jakso päättyy viimeistään tänään."
        )
    if errors:
        raise Invalid(errors)


def _snapshot(
    *, evaluation: WorkEvaluation, contract: KttContract, actor: Actor, now: datetime
) -> WorkEvaluationVersion:
    """Keep this version's text and its period's attendance figures unchanged for good."""
    figures = selectors.evaluation_attendance(
        client_id=evaluation.client_id,
        contract=contract,
        start=evaluation.period_start,
        end=evaluation.period_end,
    )
    content = {
        "period_start": evaluation.period_start.isoformat(),
        "period_end": evaluation.period_end.isoformat(),
        "placement": contract.placement.name,
        "provider": contract.placement.provider.name,
        **{name: getattr(evaluation, name) for name in EVALUATION_TEXT_FIELDS},
        "attendance": figures.as_json(),
    }
    return WorkEvaluationVersion.objects.create(
        evaluation=evaluation,
        version=evaluation.version,
        content=content,
        saved_by=actor.user,
        saved_at=now,
    )


@transaction.atomic
def work_evaluation_save(
    *,
    actor: Actor,
    client_id: int,
    contract_id: int,
    data: EvaluationData,
    today: date,
    now: datetime,
    evaluation_id: int | None = None,
    version: int | None = None,
) -> WorkEvaluation:
    """Write a work evaluation, or save a new version of one (``evaluation_id``, ``version``).

    Every save is a numbered version that keeps the text and the attendance figures of
    the period as they were then.

    Raises:
        Invalid: the contract has not started or the period is outside it or in the future.
        EditConflict: someone saved the evaluation after ``version`` was read.
    """
    policy.require(actor, Capability.WRITE_WORK_EVALUATIONS)
    client = policy.client_open(
        actor=actor, client_id=client_id, now=now, view="ktt:evaluation_save"
    )
    contract = _evaluable_contract(client, contract_id)
    _check_period(contract, data, today)
    if evaluation_id is None:
        evaluation = WorkEvaluation.objects.create(
            organisation=actor.organisation,
            client=client,
            contract=contract,
            created_by=actor.user,
            created_at=now,
            updated_at=now,
            **asdict(data),
        )
        before: dict[str, Any] = {}
    else:
        evaluation = _locked_evaluation(client, evaluation_id)
        if evaluation.version != version:
            raise EditConflict(evaluation)
        before = {
            "contract": evaluation.contract_id,
            **{name: getattr(evaluation, name) for name in EvaluationData.__dataclass_fields__},
        }
        evaluation.contract = contract
        for name, value in asdict(data).items():
            setattr(evaluation, name, value)
        evaluation.version, evaluation.updated_at = evaluation.version + 1, now
        evaluation.save()
    _snapshot(evaluation=evaluation, contract=contract, actor=actor, now=now)
    audit.record(
        event=WORK_EVALUATION_SAVED,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=evaluation,
        client_id=client.pk,
        changes={
            **audit.changes_between(before, {"contract": contract.pk, **asdict(data)}),
            "version": [None, evaluation.version],
        },
    )
    return evaluation


def _locked_evaluation(client: Client, evaluation_id: int) -> WorkEvaluation:
    evaluation = (
        WorkEvaluation.objects.select_for_update().filter(pk=evaluation_id, client=client).first()
    )
    if evaluation is None:
        raise Http404(_("Työarviota ei löydy."))
    return evaluation


@transaction.atomic
def work_evaluation_send(
    *,
    actor: Actor,
    client_id: int,
    evaluation_id: int,
    version: int,
    recipient_id: int,
    recipient_person: str,
    today: date,
    now: datetime,
) -> WorkEvaluationVersion:
    """Send the work evaluation to the doctor's organisation for a work-ability assessment.

    The consent gate decides (a valid consent naming health services or the wellbeing
    county, and a data-sharing agreement in force); the disclosure log records the
    version sent, the recipient and the consent.

    Raises:
        ConsentRequired: the consent or the data-sharing agreement is missing.
        Invalid: the recipient is not another organisation Polku knows.
        EditConflict: a newer version was saved after ``version`` was shown.
    """
    policy.require(actor, Capability.MANAGE_REFERRALS)
    client = policy.client_open(
        actor=actor, client_id=client_id, now=now, view="ktt:evaluation_send"
    )
    evaluation = _locked_evaluation(client, evaluation_id)
    if evaluation.version != version:
        raise EditConflict(evaluation)
    recipient = (
        selectors.doctor_recipients(actor=actor, client=client).filter(pk=recipient_id).first()
    )
    if recipient is None:
        raise Invalid({"recipient": _("Valitse vastaanottava organisaatio luettelosta.")})
    consent = disclosure_gate(
        client=client, recipient=recipient, purpose="work_evaluation", on=today
    )
    sent = evaluation.versions.get(version=version)
    person = recipient_person.strip()
    audit.disclosure_record(
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        client_id=client.pk,
        recipient_organisation=recipient,
        recipient_description=f"{recipient.name}: {person}" if person else recipient.name,
        disclosed=_("Työarvio (versio %(version)s), jakso %(start)s–%(end)s")
        % {
            "version": version,
            "start": format_day(evaluation.period_start),
            "end": format_day(evaluation.period_end),
        },
        legal_basis=_("Asiakkaan suostumus (nro %(id)s) ja tietojenluovutussopimus")
        % {"id": consent.pk},
        consent_id=consent.pk,
    )
    audit.record(
        event=WORK_EVALUATION_SENT,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=evaluation,
        client_id=client.pk,
        changes={
            "version": [None, version],
            "recipient": [None, recipient.pk],
            "recipient_person": [None, person],
            "consent": [None, consent.pk],
        },
    )
    return sent
