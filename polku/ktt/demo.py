"""Demo: KTT providers of every arrangement (seed 004) and work evaluations (seed 002).

``placement_providers`` gives the services stage its placements' providers: the
municipality's own production (the workshop and the park unit, the whole state
reimbursement allocated to the units as agreed), a cooperation agreement with the
wellbeing county (its service centre gives the work environment, no money moves), two
third-sector providers bought through a dynamic purchasing system and a company that
may give only support and guidance. The ``populate`` stage then lets the work coach
``tyovalmentaja`` write work evaluations of his group at TyöVarikko (one of them in two
versions) and the responsible worker send one to the wellbeing county's doctor with the
client's consent, so the disclosure log has the row.
"""

from datetime import date, timedelta

from polku.accounts.models import DataSharingAgreement, Organisation
from polku.accounts.roles import Actor
from polku.accounts.selectors import actor_for
from polku.clients.models import Client, Consent
from polku.clients.services import ConsentData, consent_give
from polku.demo.context import DemoContext
from polku.ktt import services
from polku.ktt.models import KttProvider, LegalForm, ProviderArrangement, Scope, WorkEvaluation
from polku.service_episodes.models import GroupMember, KttContract

DPS = "Dynaaminen hankintajärjestelmä: kuntouttavan työtoiminnan palvelut 2024–2027"
EVALUATIONS = 4
# Synthetic business IDs with valid check digits (no real company).
PROVIDERS: tuple[tuple[str, str, str, str, str, int, str], ...] = (
    # name, arrangement, legal form, scope, business id, reimbursement share %, notes
    (
        "Esimerkkilän kunta, oma tuotanto",
        ProviderArrangement.OWN_PRODUCTION,
        LegalForm.MUNICIPALITY,
        Scope.WORK_ACTIVITY,
        "",
        100,
        "Valtionkorvaus kohdennetaan kokonaan työtoimintaa järjestäville yksiköille "
        "(perusturvalautakunnan linjaus).",
    ),
    (
        "Esimerkkimaan hyvinvointialue (yhteistyösopimus)",
        ProviderArrangement.COOPERATION,
        LegalForm.WELLBEING_COUNTY,
        Scope.WORK_ACTIVITY,
        "",
        0,
        "Hyvinvointialue antaa työympäristön palvelukeskuksessa, kunta asiakkaan tuen ja "
        "ohjauksen. Raha ei liiku.",
    ),
    (
        "Kierrätyskeskus ry",
        ProviderArrangement.PURCHASED,
        LegalForm.ASSOCIATION,
        Scope.WORK_ACTIVITY,
        "9999991-7",
        0,
        "",
    ),
    (
        "Nuorten kahvila -säätiö",
        ProviderArrangement.PURCHASED,
        LegalForm.FOUNDATION,
        Scope.WORK_ACTIVITY,
        "9999992-5",
        0,
        "",
    ),
    (
        "Rakennus Oy",
        ProviderArrangement.PURCHASED,
        LegalForm.COMPANY,
        Scope.SUPPORT_ONLY,
        "9999993-3",
        0,
        "Työkokeilupaikka. Yritykseltä ei hankita kuntouttavaa työtoimintaa.",
    ),
    (
        "Valmennuspalvelut Oy",
        ProviderArrangement.PURCHASED,
        LegalForm.COMPANY,
        Scope.SUPPORT_ONLY,
        "9999994-1",
        0,
        "Yksilövalmennus kuntouttavan työtoiminnan asiakkaille (tuki ja ohjaus).",
    ),
)
# Which provider each demo placement works under.
PLACEMENT_PROVIDER = {
    "TyöVarikko": "Esimerkkilän kunta, oma tuotanto",
    "Puisto- ja viheralueyksikkö": "Esimerkkilän kunta, oma tuotanto",
    "Palvelukeskus Koivula": "Esimerkkimaan hyvinvointialue (yhteistyösopimus)",
    "Kierrätyskeskus ry": "Kierrätyskeskus ry",
    "Nuorten kahvila -säätiö": "Nuorten kahvila -säätiö",
    "Rakennus Oy (työkokeilut)": "Rakennus Oy",
}


def placement_providers(context: DemoContext) -> dict[str, KttProvider]:
    """The demo placements' providers by placement name, created once."""
    now = context.now
    providers = {}
    for name, arrangement, legal_form, scope, business_id, share, notes in PROVIDERS:
        provider, _created = KttProvider.objects.get_or_create(
            organisation=context.organisation,
            name=name,
            defaults={
                "arrangement": arrangement,
                "legal_form": legal_form,
                "scope": scope,
                "business_id": business_id,
                "procurement": DPS if arrangement == ProviderArrangement.PURCHASED else "",
                "valid_from": date(2024, 1, 1),
                "valid_until": date(2027, 12, 31)
                if arrangement == ProviderArrangement.PURCHASED
                else None,
                "reimbursement_share": share,
                "notes": notes,
                "created_at": now,
                "updated_at": now,
            },
        )
        providers[name] = provider
    return {placement: providers[name] for placement, name in PLACEMENT_PROVIDER.items()}


def populate(context: DemoContext) -> str:
    organisation = context.organisation
    if WorkEvaluation.objects.filter(organisation=organisation).exists():
        return "Work evaluations: already there."
    coach = actor_for(user=context.users["tyovalmentaja"], organisation_id=organisation.pk)
    if coach is None:
        return "Work evaluations: no work coach."
    today = context.now.date()
    members = (
        GroupMember.objects.filter(group__organisation=organisation, left_on__isnull=True)
        .select_related("client")
        .order_by("client_id")[:EVALUATIONS]
    )
    written = []
    for index, member in enumerate(members):
        contract = _running_contract(member.client)
        if contract is None:
            continue
        written.append(_write(coach, member.client, contract, today, context, index))
    sent = _send_first(context, written, today)
    return f"Work evaluations: {len(written)} written by the work coach, {sent} sent to the doctor."


def _running_contract(client: Client) -> KttContract | None:
    return (
        KttContract.objects.filter(episode__client=client, status=KttContract.Status.SIGNED)
        .order_by("-start")
        .first()
    )


TEXTS = {
    "work_tasks": "Puutyöpajan tuotteiden valmistus: sahaus, hionta ja pintakäsittely. "
    "Osallistuu pajan siivoukseen ja materiaalien vastaanottoon.",
    "working_skills": "Noudattaa ohjeita ja käyttää suojaimia oma-aloitteisesti. Työn laatu "
    "hyvä; työtahti hidastuu iltapäivällä. Tarvitsee ohjausta uusissa työvaiheissa.",
    "social_skills": "Tulee toimeen ryhmässä, auttaa muita. Ottaa palautetta vastaan asiallisesti.",
    "punctuality": "Saapuu ajallaan. Ilmoittaa poissaoloista etukäteen.",
    "work_ability_observations": "Seisomatyö yli kaksi tuntia aiheuttaa selkäkipua; "
    "taukoja tarvitaan. Jaksaa neljän tunnin päivät.",
    "strengths": "Tarkkuus ja huolellisuus, kädentaidot, luotettavuus.",
    "support_needs": "Työn tauottaminen ja vaihtelevat työasennot. Tuki asioiden "
    "hoitamisessa (Kela, ajanvaraukset).",
    "recommendation": "Työkyvyn arviointi terveysasemalla (selkä). Jatko kuntouttavassa "
    "työtoiminnassa kevyemmissä tehtävissä; myöhemmin työkokeilu.",
    "client_view": "Haluaa jatkaa pajalla ja selvittää, millainen työ sopisi selälle.",
}


def _write(
    coach: Actor,
    client: Client,
    contract: KttContract,
    today: date,
    context: DemoContext,
    index: int,
) -> WorkEvaluation:
    end = min(today - timedelta(days=1), contract.end)
    data = services.EvaluationData(
        period_start=max(contract.start, end - timedelta(days=90)),
        period_end=end,
        **TEXTS,
    )
    now = context.now - timedelta(days=14)
    evaluation = services.work_evaluation_save(
        actor=coach, client_id=client.pk, contract_id=contract.pk, data=data, today=today, now=now
    )
    if index == 0:  # revised after talking with the client: version 2
        revised = services.EvaluationData(
            **{
                **data.__dict__,
                "client_view": TEXTS["client_view"] + " Toivoo puutöitä myös jatkossa.",
            }
        )
        evaluation = services.work_evaluation_save(
            actor=coach,
            client_id=client.pk,
            contract_id=contract.pk,
            data=revised,
            today=today,
            now=context.now - timedelta(days=7),
            evaluation_id=evaluation.pk,
            version=evaluation.version,
        )
    return evaluation


def _send_first(context: DemoContext, written: list[WorkEvaluation], today: date) -> int:
    """The responsible worker sends the first evaluation to the county's doctor with consent."""
    agreement = (
        DataSharingAgreement.objects.filter(
            provider=context.organisation, recipient__kind=Organisation.Kind.WELLBEING_COUNTY
        )
        .select_related("recipient")
        .first()
    )
    if not written or agreement is None:
        return 0
    evaluation = written[0]
    worker = evaluation.client.responsible_worker
    if worker is None:
        return 0
    actor = actor_for(user=worker, organisation_id=context.organisation.pk)
    if actor is None:
        return 0
    consent_give(
        actor=actor,
        client_id=evaluation.client_id,
        data=ConsentData(
            party=Consent.Party.HEALTH_SERVICES,
            party_name="",
            purpose="Työarvion toimittaminen lääkärille työkyvyn arviointia varten",
            given_on=today - timedelta(days=3),
            expires_on=today + timedelta(days=365),
        ),
        now=context.now - timedelta(days=3),
    )
    services.work_evaluation_send(
        actor=actor,
        client_id=evaluation.client_id,
        evaluation_id=evaluation.pk,
        version=evaluation.version,
        recipient_id=agreement.recipient_id,
        recipient_person="Terveysaseman lääkäri, työkyvyn arviointi",
        today=today,
        now=context.now - timedelta(days=2),
    )
    return 1
