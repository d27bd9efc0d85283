"""Demo stage: referrals of every kind, warm handovers waiting for acknowledgement,
sote-team bookings, a month of past and future meetings per caseworker and the work
coach, and one saved work-ability summary. Synthetic data only; bulk inserts."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from polku.accounts.models import Organisation, User
from polku.audit.events import (
    MEETING_CREATED,
    REFERRAL_SENT,
    TEAM_BOOKING_CREATED,
    WORK_ABILITY_SUMMARY_SAVED,
)
from polku.audit.models import ChangeLogEntry, DisclosureLogEntry
from polku.clients.models import CareAssignment, Client, Consent
from polku.core.choices import ContactChannel
from polku.demo.context import DemoContext
from polku.referrals.disclosure import KIND_PARTIES, agreement_in_force, matching_consent
from polku.referrals.models import Meeting, Referral, TeamBooking, WorkAbilitySummary
from polku.referrals.selectors import summary_prefill

REASONS = {
    Referral.Kind.ADULT_SOCIAL_WORK: "Palvelutarpeen arviointi: taloudellinen tilanne ja asuminen.",
    Referral.Kind.HEALTH_CHECK: "Työttömän terveystarkastus TE-palvelujen lähetteellä.",
    Referral.Kind.SOTE_TEAM: "Monialainen arvio: työkyky epäselvä, useita palveluja kokeiltu.",
    Referral.Kind.SUBSTANCE_ABUSE: "Asiakas toivoo tukea päihteiden käytön vähentämiseen.",
    Referral.Kind.MENTAL_HEALTH: "Mieliala matala, asiakas toivoo keskusteluapua.",
    Referral.Kind.KELA_REHABILITATION: "Ammatillisen kuntoutuksen selvittely Kelassa.",
    Referral.Kind.TYP: "TYP-asiakkuuden tarve: työttömyys pitkittynyt.",
    Referral.Kind.WORK_ABILITY_TEAM: "Tilanne jumissa; kaksi toimijaa arvioi yhdessä.",
    Referral.Kind.WORK_ABILITY_COORDINATOR: "Työkyvyn tuen koordinointi ja eläkeselvittely.",
    Referral.Kind.CONCERN_NOTIFICATION: "Huoli asiakkaan pärjäämisestä arjessa.",
}
# Targets the wellbeing services county provides in the demo.
COUNTY_KINDS = {
    Referral.Kind.SOTE_TEAM,
    Referral.Kind.SUBSTANCE_ABUSE,
    Referral.Kind.MENTAL_HEALTH,
    Referral.Kind.WORK_ABILITY_TEAM,
}
COUNTY_SLUG = "esimerkkimaan-hva"
BOOKING_QUESTION = "Miten asiakkaan työ- ja toimintakykyä tuetaan? Tarvitaanko lääkärin arvio?"


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _log(
    organisation: Organisation,
    event: str,
    target: object,
    client_id: int,
    actor_id: int,
    at: datetime,
) -> ChangeLogEntry:
    return ChangeLogEntry(
        at=at,
        actor_id=actor_id,
        organisation=organisation,
        event=event,
        object_type=type(target)._meta.label,  # type: ignore[attr-defined]
        object_id=str(target.pk),  # type: ignore[attr-defined]
        client_id=client_id,
        changes={"demo": [None, True]},
    )


def populate(context: DemoContext) -> str:
    organisation = context.organisation
    if Referral.objects.filter(organisation=organisation).exists():
        return "Referrals and meetings: already there."
    today = timezone.localtime(context.now).date()
    by_worker: dict[int, list[Client]] = {}
    for client in context.clients:
        if client.responsible_worker_id:
            by_worker.setdefault(client.responsible_worker_id, []).append(client)
    referrals = _referrals(context, by_worker, today)
    bookings = _bookings(context, by_worker, today)
    meetings = _meetings(context, by_worker, today)
    summary = _summary(context, by_worker, today)
    log = [
        _log(organisation, REFERRAL_SENT.code, r, r.client_id, r.sent_by_id, _at(r.sent_on, 9))
        for r in referrals
    ]
    log += [
        _log(organisation, TEAM_BOOKING_CREATED.code, b, b.client_id, b.booked_by_id, b.created_at)
        for b in bookings
    ]
    log += [
        _log(organisation, MEETING_CREATED.code, m, m.client_id, m.created_by_id, m.created_at)
        for m in meetings
    ]
    if summary is not None:
        log.append(
            _log(
                organisation,
                WORK_ABILITY_SUMMARY_SAVED.code,
                summary,
                summary.client_id,
                summary.created_by_id,
                summary.created_at,
            )
        )
    ChangeLogEntry.objects.bulk_create(log, batch_size=500)
    return (
        f"Referrals: {len(referrals)} referrals, {len(bookings)} sote-team bookings, "
        f"{len(meetings)} meetings."
    )


def _referrals(
    context: DemoContext, by_worker: dict[int, list[Client]], today: date
) -> list[Referral]:
    organisation, rng, users = context.organisation, context.rng, context.users
    county = Organisation.objects.filter(slug=COUNTY_SLUG).first()
    senders = [user for user in context.caseworkers if by_worker.get(user.pk)]
    if not senders:
        return []
    rows: list[Referral] = []
    consents: dict[int, list[Consent]] = {}
    for given in Consent.objects.filter(client__organisation=organisation):
        consents.setdefault(given.client_id, []).append(given)
    county_agreed = county is not None and agreement_in_force(
        provider_id=organisation.pk, recipient_id=county.pk, on=today
    )
    for kind in Referral.Kind:
        for n in range(8):
            sender = senders[(n + len(rows)) % len(senders)]
            client = rng.choice(by_worker[sender.pk])
            sent_on = today - timedelta(days=rng.randint(1, 120))
            referral = _referral(organisation, client, kind, sender, sent_on, today, rng.random())
            if kind in COUNTY_KINDS and county is not None and county_agreed:
                consent = matching_consent(
                    consents=consents.get(client.pk, []),
                    parties=KIND_PARTIES[kind],
                    recipient=county,
                    on=sent_on,
                )
                if consent is not None:
                    referral.receiving_organisation = county
                    referral.consent = consent
            rows.append(referral)
    # Warm handovers from the coach to the social counsellor, waiting for acknowledgement.
    coach, counsellor = users.get("valmentaja"), users.get("sosiaaliohjaaja")
    if coach is not None and counsellor is not None and by_worker.get(coach.pk):
        for n, days_ago in enumerate((1, 2, 4, 8, 12, 20)):
            kind = Referral.Kind.CONCERN_NOTIFICATION if n == 3 else Referral.Kind.ADULT_SOCIAL_WORK
            referral = _referral(
                organisation,
                by_worker[coach.pk][n % len(by_worker[coach.pk])],
                kind,
                coach,
                today - timedelta(days=days_ago),
                today,
                0.0,
            )
            referral.receiving_worker = counsellor
            rows.append(referral)
    saved = Referral.objects.bulk_create(rows, batch_size=500)
    DisclosureLogEntry.objects.bulk_create(
        [
            DisclosureLogEntry(
                at=_at(referral.sent_on, 9),
                actor_id=referral.sent_by_id,
                organisation=organisation,
                client_id=referral.client_id,
                recipient_organisation=referral.receiving_organisation,
                recipient_description=referral.receiving_organisation.name,
                disclosed=f"Lähete ({referral.get_kind_display()}): syy ja yhteenveto",
                legal_basis=f"Asiakkaan suostumus (nro {referral.consent_id}) ja sopimus",
                consent_id=referral.consent_id,
            )
            for referral in saved
            if referral.consent_id is not None
        ]
    )
    return saved


def _referral(
    organisation: Organisation,
    client: Client,
    kind: str,
    sender: User,
    sent_on: date,
    today: date,
    roll: float,
) -> Referral:
    at = _at(sent_on, 9)
    status = Referral.Status.SENT
    acknowledged_at = None
    if roll >= 0.25 and (today - sent_on).days > 3:
        status = (
            Referral.Status.COMPLETED
            if roll > 0.6
            else Referral.Status.DECLINED
            if roll > 0.55
            else Referral.Status.ACKNOWLEDGED
        )
        acknowledged_at = at + timedelta(days=2)
    return Referral(
        organisation=organisation,
        client=client,
        kind=kind,
        receiving_organisation=organisation,
        reason=REASONS[Referral.Kind(kind)],
        sent_on=sent_on,
        sent_by=sender,
        status=status,
        acknowledged_at=acknowledged_at,
        outcome="Asiakas aloitti palvelussa." if status == Referral.Status.COMPLETED else "",
        te_referral="TE-palvelujen lähete" if kind == Referral.Kind.HEALTH_CHECK else "",
        feedback_received_on=sent_on + timedelta(days=21)
        if kind == Referral.Kind.HEALTH_CHECK and status == Referral.Status.COMPLETED
        else None,
        created_at=at,
        updated_at=at,
    )


def _bookings(
    context: DemoContext, by_worker: dict[int, list[Client]], today: date
) -> list[TeamBooking]:
    rows = []
    for n, worker in enumerate(context.caseworkers):
        for k in range(3):
            clients = by_worker.get(worker.pk)
            if not clients:
                continue
            day = today + timedelta(days=(k - 1) * 14 + n)
            consultation = k == 1
            start = _at(day, 13)
            rows.append(
                TeamBooking(
                    organisation=context.organisation,
                    client=clients[(k + 7) % len(clients)],
                    team="Monialainen sote-tiimi",
                    mode=TeamBooking.Mode.CONSULTATION
                    if consultation
                    else TeamBooking.Mode.RECEPTION,
                    client_permission_on=day - timedelta(days=7) if consultation else None,
                    starts_at=start,
                    ends_at=start + timedelta(minutes=45),
                    question=BOOKING_QUESTION,
                    outcome="Ohjaus työkykyarvioon." if day < today else "",
                    booked_by=worker,
                    created_at=_at(day - timedelta(days=10), 10),
                    updated_at=_at(day - timedelta(days=10), 10),
                )
            )
    return TeamBooking.objects.bulk_create(rows)


def _meetings(
    context: DemoContext, by_worker: dict[int, list[Client]], today: date
) -> list[Meeting]:
    rng = context.rng
    calendars: list[tuple[User, list[Client], list[str]]] = [
        (worker, by_worker[worker.pk], [Meeting.Kind.COACHING, Meeting.Kind.PLAN_REVIEW])
        for worker in context.caseworkers
        if by_worker.get(worker.pk)
    ]
    work_coach = context.users.get("tyovalmentaja")
    if work_coach is not None:
        assigned = set(
            CareAssignment.objects.filter(worker=work_coach, ended_on__isnull=True).values_list(
                "client_id", flat=True
            )
        )
        clients = [client for client in context.clients if client.pk in assigned]
        if clients:
            calendars.append((work_coach, clients, [Meeting.Kind.KTT_FOLLOW_UP]))
    rows = []
    for worker, clients, kinds in calendars:
        for offset in range(-30, 31):
            day = today + timedelta(days=offset)
            if day.weekday() >= 5:
                continue
            for hour in rng.sample([9, 10, 11, 13, 14], k=rng.randint(1, 3)):
                start = _at(day, hour)
                past = day < today
                roll = rng.random()
                rows.append(
                    Meeting(
                        organisation=context.organisation,
                        client=rng.choice(clients),
                        worker=worker,
                        starts_at=start,
                        ends_at=start + timedelta(minutes=45),
                        kind=rng.choice(kinds) if roll > 0.05 else Meeting.Kind.POPUP,
                        channel=rng.choice(list(ContactChannel)),
                        location="Työllisyyspalvelut, Kauppakatu 1" if roll < 0.5 else "",
                        attendance=(
                            Meeting.Attendance.ATTENDED
                            if roll > 0.2
                            else Meeting.Attendance.NO_SHOW
                            if roll > 0.1
                            else Meeting.Attendance.CANCELLED
                        )
                        if past
                        else Meeting.Attendance.PLANNED,
                        notes="Käytiin läpi suunnitelman tavoitteet."
                        if past and roll > 0.2
                        else "",
                        created_by=worker,
                        created_at=_at(day - timedelta(days=14), 8),
                        updated_at=_at(day - timedelta(days=14), 8),
                    )
                )
    return Meeting.objects.bulk_create(rows, batch_size=500)


def _summary(
    context: DemoContext, by_worker: dict[int, list[Client]], today: date
) -> WorkAbilitySummary | None:
    coach = context.users.get("valmentaja")
    if coach is None or not by_worker.get(coach.pk):
        return None
    client = by_worker[coach.pk][0]
    at = _at(today - timedelta(days=3), 14)
    return WorkAbilitySummary.objects.create(
        organisation=context.organisation,
        client=client,
        question="Riittääkö asiakkaan työkyky avoimille työmarkkinoille, vai tarvitaanko "
        "työkykyarvio ja eläkeselvittely?",
        family="Asuu yksin, aikuinen lapsi toisella paikkakunnalla.",
        housing="Vuokra-asunto, vuokrarästejä kaksi kuukautta.",
        debts="Kulutusluottoja noin 8 000 €.",
        enforcement="Ulosotossa kaksi velkaa.",
        created_by=coach,
        created_at=at,
        updated_at=at,
        **summary_prefill(client=client, today=today),
    )
