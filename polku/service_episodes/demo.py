"""Demo stage: placements, ~100 KTT contracts, a group, a year of attendance and a claim.

Everything is bulk-created (a few seconds for 2000 clients). The supervisor ``ohjaaja``
supervises the park unit and sees only its clients; ``tyovalmentaja``, the contact person
of the workshop TyöVarikko, supervises it and runs a group there; ``sosiaaliohjaaja`` made
the KTT decisions; ``toimisto`` finds the allowances of the month before last computed and
last month's to do (**Kulukorvaukset**), and last quarter's reimbursement claim ready to
download.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from polku.accounts.models import Organisation, User
from polku.accounts.selectors import actor_for
from polku.audit.events import KTT_CONTRACT_SIGNED, SERVICE_EPISODE_ENDED, SERVICE_EPISODE_STARTED
from polku.audit.models import ChangeLogEntry
from polku.clients.models import CareAssignment, Client
from polku.demo.context import DemoContext
from polku.ktt import demo as ktt_demo
from polku.rules.engine.ktt_allowance import KttAllowanceFacts, decide_ktt_allowance
from polku.service_episodes import ktt_terms, services
from polku.service_episodes.models import (
    AllowanceStatement,
    Attendance,
    AttendanceStatus,
    Group,
    GroupMember,
    GroupSession,
    KttContract,
    Outcome,
    Placement,
    ReferralSource,
    ServiceEpisode,
    ServiceKind,
    ServiceType,
)

CONTRACTS = 100
OTHER_EPISODES = 150
GROUP_SIZE = 12
# (name, kind, capacity, contact person)
PLACEMENTS = (
    ("TyöVarikko", Placement.Kind.WORKSHOP, 40, "Tero Työvalmentaja"),
    ("Puisto- ja viheralueyksikkö", Placement.Kind.MUNICIPAL_UNIT, 30, "Olli Ohjaaja"),
    ("Palvelukeskus Koivula", Placement.Kind.WELLBEING_COUNTY_UNIT, 10, "Kaisa Koivula"),
    ("Kierrätyskeskus ry", Placement.Kind.ASSOCIATION, 20, "Riikka Kierto"),
    ("Nuorten kahvila -säätiö", Placement.Kind.FOUNDATION, 8, "Sanni Säätiö"),
    ("Rakennus Oy (työkokeilut)", Placement.Kind.COMPANY, 4, "Rami Rakentaja"),
)
SUPERVISED = "Puisto- ja viheralueyksikkö"
WORKSHOP = "TyöVarikko"
DECISION = "Asiakkaalle myönnetään kuntouttavaa työtoimintaa sopimuksen mukaisesti."
OUTCOMES = (
    Outcome.WORK,
    Outcome.STUDIES,
    Outcome.UNEMPLOYED,
    Outcome.EMPLOYMENT_MEASURE,
    Outcome.CONTINUED,
    Outcome.SOCIAL_HEALTH,
    Outcome.NO_INFORMATION,
)


def _at(day: date) -> datetime:
    return datetime.combine(day, time(9), tzinfo=timezone.get_current_timezone())


def populate(context: DemoContext) -> str:
    organisation = context.organisation
    if Placement.objects.filter(organisation=organisation).exists():
        return "Services and KTT: already there."
    rng, today = context.rng, context.now.date()
    decider, coach = context.users["sosiaaliohjaaja"], context.users["tyovalmentaja"]
    supervisor = context.users["ohjaaja"]
    catalogue = {
        kind: ServiceType(organisation=organisation, kind=kind, name=str(kind.label))
        for kind in ServiceKind
    }
    ServiceType.objects.bulk_create(catalogue.values())
    providers = ktt_demo.placement_providers(context)
    placements = Placement.objects.bulk_create(
        Placement(
            organisation=organisation,
            name=name,
            kind=kind,
            provider=providers[name],
            capacity=capacity,
            contact_person=contact,
            orientation_given_on=today - timedelta(days=rng.randint(30, 400)),
        )
        for name, kind, capacity, contact in PLACEMENTS
    )
    by_name = {placement.name: placement for placement in placements}
    by_name[SUPERVISED].supervisors.add(supervisor)
    # The workshop's contact person records its attendance, so he is its supervisor.
    by_name[WORKSHOP].supervisors.add(coach)
    supervisors = {by_name[SUPERVISED].pk: supervisor, by_name[WORKSHOP].pk: coach}
    ktt_places = [p for p in placements if p.kind != Placement.Kind.COMPANY]
    candidates = [client for client in context.clients if client.responsible_worker_id]
    rng.shuffle(candidates)
    ktt_clients = candidates[:CONTRACTS]
    other_clients = candidates[CONTRACTS : CONTRACTS + OTHER_EPISODES]

    episodes: list[ServiceEpisode] = []
    contracts: list[KttContract] = []
    for index, client in enumerate(ktt_clients):
        start = today - timedelta(days=rng.randint(20, 360))
        start -= timedelta(days=start.weekday())
        end = start + timedelta(days=rng.choice((182, 273, 364)))
        place = by_name[SUPERVISED] if index % 6 == 0 else rng.choice(ktt_places)
        ended = end < today
        interrupted = not ended and index % 15 == 7
        episode = ServiceEpisode(
            client=client,
            service_type=catalogue[ServiceKind.KTT],
            provider=place.name,
            placement=place,
            referral_source=rng.choice(ReferralSource.values),
            started_on=start,
            ended_on=end if ended else (today - timedelta(days=3) if interrupted else None),
            outcome=rng.choice(OUTCOMES) if ended or interrupted else "",
            created_by=client.responsible_worker or decider,
        )
        episodes.append(episode)
        contracts.append(
            KttContract(
                episode=episode,
                start=start,
                end=end,
                days_per_week=rng.choice((2, 3, 3, 4)),
                hours_per_day=Decimal(rng.choice((4, 4, 5, 6))),
                placement=place,
                coaching_content="Työtehtävät, työkyvyn arviointi ja jatkopolun suunnittelu.",
                status=KttContract.Status.ENDED
                if ended
                else KttContract.Status.INTERRUPTED
                if interrupted
                else KttContract.Status.SIGNED,
                decided_by=decider,
                decided_on=start - timedelta(days=7),
                decision_text=DECISION,
                signed_on=start,
                follow_up_dates=[d.isoformat() for d in ktt_terms.follow_up_dates(start, end)],
                final_evaluation_on=ktt_terms.evaluation_date(end),
                evaluation_held_on=ktt_terms.evaluation_date(end) if ended else None,
                interrupted_on=today - timedelta(days=3) if interrupted else None,
                interruption_reason="Terveydelliset syyt." if interrupted else "",
                created_by=client.responsible_worker or decider,
            )
        )
    for client in other_clients:
        kind = rng.choice(
            (
                ServiceKind.WORK_TRIAL,
                ServiceKind.INDIVIDUAL_COACHING,
                ServiceKind.SOCIAL_REHABILITATION,
                ServiceKind.HEALTH_CHECK,
            )
        )
        start = today - timedelta(days=rng.randint(30, 700))
        end = start + timedelta(days=rng.randint(30, 200))
        trial_place = (
            by_name["Rakennus Oy (työkokeilut)"] if kind == ServiceKind.WORK_TRIAL else None
        )
        episodes.append(
            ServiceEpisode(
                client=client,
                service_type=catalogue[kind],
                provider=trial_place.name if trial_place else "",
                placement=trial_place,
                referral_source=rng.choice(ReferralSource.values),
                started_on=start,
                ended_on=end if end < today else None,
                outcome=rng.choice(OUTCOMES) if end < today else "",
                created_by=client.responsible_worker or decider,
            )
        )
    ServiceEpisode.objects.bulk_create(episodes)
    for contract in contracts:
        contract.episode_id = contract.episode.pk
    KttContract.objects.bulk_create(contracts)

    # Supervisors see the clients currently placed at their unit.
    CareAssignment.objects.bulk_create(
        CareAssignment(
            client=episode.client,
            worker=supervisors[episode.placement_id],
            basis=CareAssignment.Basis.SERVICE,
            note=f"episode:{episode.pk}",
            started_on=episode.started_on,
        )
        for episode in episodes
        if episode.placement_id in supervisors and episode.ended_on is None
    )

    # The social counsellor who decided follows the running contracts.
    CareAssignment.objects.bulk_create(
        CareAssignment(
            client=contract.episode.client,
            worker=decider,
            basis=CareAssignment.Basis.SERVICE,
            note=f"ktt:{contract.pk}",
            started_on=contract.start,
        )
        for contract in contracts
        if contract.status == KttContract.Status.SIGNED
        and contract.episode.client.responsible_worker_id != decider.pk
    )
    group = Group.objects.create(
        organisation=organisation,
        name="TyöVarikon puutyöryhmä",
        service_type=catalogue[ServiceKind.KTT],
        instructor=coach,
        placement=by_name[WORKSHOP],
        description="Puutyöt, työturvallisuus ja työelämätaidot.",
        started_on=today - timedelta(days=365),
    )
    running = [
        c
        for c in contracts
        if c.status == KttContract.Status.SIGNED and c.placement_id == by_name[WORKSHOP].pk
    ][:GROUP_SIZE]
    GroupMember.objects.bulk_create(
        GroupMember(group=group, client=c.episode.client, joined_on=c.start) for c in running
    )
    CareAssignment.objects.bulk_create(
        CareAssignment(
            client=c.episode.client,
            worker=coach,
            basis=CareAssignment.Basis.SERVICE,
            note=f"group:{group.pk}",
            started_on=c.start,
        )
        for c in running
    )
    GroupSession.objects.bulk_create(
        GroupSession(
            group=group,
            day=today - timedelta(days=7 * week + today.weekday()),
            topic=rng.choice(("Työturvallisuus", "Puutyöt", "Työnhaku", "Tiimityö")),
            competences=rng.choice(("Käsityökalut", "Suojaimet", "CV", "Vuorovaikutus")),
        )
        for week in range(1, 13)
    )

    marks = _attendance(contracts, coach, rng, today)
    Attendance.objects.bulk_create(marks, batch_size=2000)
    _allowances(contracts, marks, context, today)
    _history(organisation, episodes, contracts)
    claim_note = _claim(context, today)
    pending = _decisions_pending(context, [p for p in ktt_places if p.pk in supervisors], today)
    return (
        f"Services and KTT: {len(placements)} placements, {len(contracts)} KTT contracts, "
        f"{len(episodes)} service episodes, {len(marks)} attendance marks, {pending} contracts "
        f"waiting for the social counsellor's decision; {claim_note}"
    )


def _decisions_pending(context: DemoContext, places: list[Placement], today: date) -> int:
    """Two contracts ``valmentaja`` drafted and sent to ``sosiaaliohjaaja`` for the decision,
    made through the service as the coach would (so the counsellor has the task relationship).
    """
    coach, decider = context.users.get("valmentaja"), context.users["sosiaaliohjaaja"]
    actor = actor_for(user=coach, organisation_id=context.organisation.pk) if coach else None
    if coach is None or actor is None:
        return 0
    in_ktt = KttContract.objects.values("episode__client_id")
    clients = Client.objects.filter(
        organisation=context.organisation, responsible_worker=coach
    ).exclude(pk__in=in_ktt)[:2]
    monday = today + timedelta(days=7 - today.weekday())
    for index, client in enumerate(clients):
        start = monday + timedelta(days=7 * index)
        services.ktt_contract_create(
            actor=actor,
            client_id=client.pk,
            data=services.KttContractData(
                start=start,
                end=start + timedelta(days=181),
                days_per_week=3,
                hours_per_day=Decimal(4),
                placement_id=places[index % len(places)].pk,
                coaching_content="Työtehtävät, työkyvyn arviointi ja jatkopolun suunnittelu.",
                referral_source=ReferralSource.SHARE_LIST,
                decider_id=decider.pk,
            ),
            now=context.now,
        )
    return len(clients)


def _attendance(
    contracts: list[KttContract], recorder: User, rng: random.Random, today: date
) -> list[Attendance]:
    marks: list[Attendance] = []
    for contract in contracts:
        last = min(contract.interrupted_on or contract.end, today - timedelta(days=1))
        week = contract.start - timedelta(days=contract.start.weekday())
        while week <= last:
            for offset in range(contract.days_per_week):
                day = week + timedelta(days=offset)
                if day < contract.start or day > last:
                    continue
                roll = rng.random()
                status = (
                    AttendanceStatus.PRESENT
                    if roll < 0.86
                    else AttendanceStatus.SICK
                    if roll < 0.94
                    else AttendanceStatus.EXCUSED
                    if roll < 0.98
                    else AttendanceStatus.UNEXCUSED
                )
                marks.append(
                    Attendance(
                        client_id=contract.episode.client_id,
                        day=day,
                        status=status,
                        reason="Flunssa" if status == AttendanceStatus.SICK else "",
                        placement_id=contract.placement_id,
                        recorded_by=recorder,
                        recorded_at=_at(day),
                    )
                )
            week += timedelta(days=7)
    return marks


def _allowances(
    contracts: list[KttContract], marks: list[Attendance], context: DemoContext, today: date
) -> None:
    """The kulukorvaus or toimintaraha of the month before last, from the engine; last
    month's are left for the clerk to compute."""
    last_month = today.replace(day=1) - timedelta(days=1)
    end = last_month.replace(day=1) - timedelta(days=1)
    start = end.replace(day=1)
    present: dict[int, list[date]] = {}
    for mark in marks:
        if mark.status == AttendanceStatus.PRESENT and start <= mark.day <= end:
            present.setdefault(mark.client_id, []).append(mark.day)
    clients = {c.episode.client_id: c.episode.client for c in contracts}
    statements = []
    for client_id, days in present.items():
        client: Client = clients[client_id]
        result = decide_ktt_allowance(
            KttAllowanceFacts(tuple(days), client.main_income in services.UNEMPLOYMENT_BENEFITS),
            end,
        ).result
        statements.append(
            AllowanceStatement(
                client_id=client_id,
                period_start=start,
                period_end=end,
                kind=result.kind.value,
                days=result.days,
                amount=result.amount,
                travel_costs=Decimal("3.20") * result.days,
                created_by=context.users["toimisto"],
                created_at=context.now,
            )
        )
    AllowanceStatement.objects.bulk_create(statements)


def _history(
    organisation: Organisation, episodes: list[ServiceEpisode], contracts: list[KttContract]
) -> None:
    """Timeline rows for the services, as the services would have written them."""
    rows = []
    for episode in episodes:
        rows.append(
            ChangeLogEntry(
                at=_at(episode.started_on),
                actor=episode.created_by,
                organisation=organisation,
                event=SERVICE_EPISODE_STARTED.code,
                object_type=ServiceEpisode._meta.label,
                object_id=str(episode.pk),
                client_id=episode.client_id,
                changes={"started_on": [None, episode.started_on.isoformat()]},
            )
        )
        if episode.ended_on:
            rows.append(
                ChangeLogEntry(
                    at=_at(episode.ended_on),
                    actor=episode.created_by,
                    organisation=organisation,
                    event=SERVICE_EPISODE_ENDED.code,
                    object_type=ServiceEpisode._meta.label,
                    object_id=str(episode.pk),
                    client_id=episode.client_id,
                    changes={"outcome": [None, episode.outcome]},
                )
            )
    rows.extend(
        ChangeLogEntry(
            at=_at(contract.start),
            actor=contract.decided_by,
            organisation=organisation,
            event=KTT_CONTRACT_SIGNED.code,
            object_type=KttContract._meta.label,
            object_id=str(contract.pk),
            client_id=contract.episode.client_id,
            changes={"status": ["decided", "signed"]},
        )
        for contract in contracts
    )
    ChangeLogEntry.objects.bulk_create(rows, batch_size=2000)


def _claim(context: DemoContext, today: date) -> str:
    """Last full quarter's reimbursement claim, made through the service like the clerk would."""
    quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = quarter_start - timedelta(days=1)
    start = date(end.year, end.month - 2, 1)
    actor = actor_for(user=context.users["toimisto"], organisation_id=context.organisation.pk)
    if actor is None:
        return "no reimbursement claim made."
    claim = services.claim_create(actor=actor, period_start=start, period_end=end, now=context.now)
    return f"reimbursement claim {start.isoformat()}–{end.isoformat()}: {claim.amount} €."
