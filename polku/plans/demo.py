"""Demo stage: plans for about 60 % of the clients who have a responsible worker.

Review dates come from the rules engine like in the app, so every caseworker's worklist
has overdue and upcoming reviews, a few interrupted and replaced activation plans and TYP
assessment periods ending soon.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext_noop

from polku.audit.events import (
    PLAN_CREATED,
    PLAN_INTERRUPTED,
    PLAN_REPLACED,
    PLAN_REVIEWED,
)
from polku.audit.models import ChangeLogEntry
from polku.clients.models import CareAssignment, Client
from polku.core.choices import ContactChannel
from polku.demo.context import DemoContext
from polku.plans.models import (
    Interruption,
    Participant,
    Party,
    Plan,
    PlanStatus,
    PlanType,
    Review,
)
from polku.plans.review_dates import review_schedule
from polku.rules.engine.plan_review import (
    InterruptionEvent,
    InterruptionFacts,
    decide_interruption_possible,
)

SHARE = 0.6
TYPE_WEIGHTS = {
    PlanType.ACTIVATION: 30,
    PlanType.MULTISECTOR: 15,
    PlanType.EMPLOYMENT: 20,
    PlanType.SERVICE_NEED_ASSESSMENT: 10,
    PlanType.COACHING: 20,
    PlanType.ASSESSMENT_PERIOD: 5,
}
SERVICES = (
    "Kuntouttava työtoiminta, TyöVarikko",
    "Yksilövalmennus",
    "Ryhmävalmennus",
    "Työkokeilu",
    "Sosiaalinen kuntoutus",
    "Työttömien terveystarkastus",
    "Palkkatuettu työ",
)
TASKS = (
    "Hakee vähintään yhtä työpaikkaa kuukaudessa ja kertoo hauista valmentajalle.",
    "Osallistuu kuntouttavaan työtoimintaan sovittuina päivinä.",
    "Varaa ajan terveystarkastukseen.",
    "Päivittää CV:n yhdessä valmentajan kanssa.",
)
OTHER_PARTIES = {
    Party.EMPLOYMENT_AUTHORITY: (
        "Tiina Työvoima",
        "Esimerkkilän työllisyysalue",
        gettext_noop("Asiantuntija"),
    ),
    Party.WELLBEING_COUNTY: (
        "Hanna Hyvinvointi",
        "Esimerkkimaan hyvinvointialue",
        gettext_noop("Sosiaalityöntekijä"),
    ),
    Party.KELA: ("Kalle Kela", "Kela", gettext_noop("Kuntoutusasiantuntija")),
}


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=timezone.get_current_timezone())


class _Builder:
    def __init__(self, context: DemoContext, today: date) -> None:
        self.context, self.today, self.rng = context, today, context.rng
        self.plans: list[Plan] = []
        self.extra: dict[int, dict[str, object]] = {}  # by index in self.plans

    def plan(self, client: Client, plan_type: str, made_on: date, **extra: object) -> Plan:
        rng = self.rng
        worker_id = client.responsible_worker_id
        assert worker_id is not None  # only clients with a responsible worker get plans  # noqa: S101
        reviewed = None
        span = (self.today - made_on).days
        # Most plans older than a couple of months have been reviewed at least once.
        reviewable = plan_type != PlanType.ASSESSMENT_PERIOD and not extra.get("replaced")
        if reviewable and span > 20 and rng.random() < 0.75:
            reviewed = self.today - timedelta(days=rng.randint(3, min(span, 85)))
        plan = Plan(
            organisation=self.context.organisation,
            client=client,
            plan_type=plan_type,
            status=PlanStatus.ACTIVE,
            made_on=made_on,
            made_how=rng.choices(list(ContactChannel), weights=[6, 2, 2])[0],
            agreed_services="\n".join(rng.sample(SERVICES, rng.randint(1, 3))),
            client_tasks=rng.choice(TASKS),
            last_reviewed_on=reviewed,
            created_by_id=worker_id,
            created_at=_at(made_on),
            updated_at=_at(reviewed or made_on),
        )
        if plan_type in {PlanType.ACTIVATION, PlanType.MULTISECTOR, PlanType.EMPLOYMENT}:
            plan.applications_standard = 4
            plan.applications_per_month = rng.choice([4, 4, 2, 1])
            if plan.applications_per_month < 4:
                plan.applications_reason = "Terveydelliset syyt; kuntouttava työtoiminta käynnissä"
        if plan_type == PlanType.ASSESSMENT_PERIOD:
            plan.assessment_period_ends_on = self.today + timedelta(days=rng.randint(-10, 45))
            plan.made_on = min(made_on, plan.assessment_period_ends_on)
        schedule = review_schedule(
            plan_type=plan_type,
            made_on=plan.made_on,
            last_review_on=reviewed,
            requested_on=None,
            as_of=self.today,
        )
        plan.statutory_review_on = schedule.statutory
        plan.next_review_on = schedule.statutory
        if schedule.statutory is None and plan_type != PlanType.ASSESSMENT_PERIOD:
            # No statutory interval: the worker agreed a date.
            agreed = self.today + timedelta(days=rng.randint(-25, 120))
            plan.requested_review_on = plan.next_review_on = max(
                agreed, made_on + timedelta(days=7)
            )
        self.extra[len(self.plans)] = extra
        self.plans.append(plan)
        return plan


def populate(context: DemoContext) -> str:
    if Plan.objects.filter(organisation=context.organisation).exists():
        return "Plans: already there."
    today = timezone.localtime(context.now).date()
    builder = _Builder(context, today)
    rng = context.rng
    types, weights = list(TYPE_WEIGHTS), list(TYPE_WEIGHTS.values())
    for client in context.clients:
        if client.responsible_worker_id is None or rng.random() >= SHARE:
            continue
        made_on = today - timedelta(days=rng.randint(5, 200))
        plan_type = rng.choices(types, weights=weights)[0]
        roll = rng.random()
        if plan_type == PlanType.MULTISECTOR and roll < 0.3:
            old_made = made_on - timedelta(days=rng.randint(60, 300))
            builder.plan(client, PlanType.ACTIVATION, old_made, replaced=True)
        builder.plan(
            client, plan_type, made_on, interrupt=plan_type == PlanType.ACTIVATION and roll < 0.06
        )
    plans = Plan.objects.bulk_create(builder.plans, batch_size=500)
    workers = {user.pk: str(user) for user in context.users.values()}
    coach = context.users.get("tyovalmentaja")
    log, participants, reviews, interruptions, replaced = [], [], [], [], []
    for index, plan in enumerate(plans):
        extra = builder.extra[index]
        worker_id = plan.created_by_id
        log.append(
            _log(
                plan,
                PLAN_CREATED.code,
                _at(plan.made_on),
                worker_id,
                {"plan_type": [None, plan.plan_type]},
            )
        )
        participants.append(
            Participant(
                plan=plan,
                party=Party.CLIENT,
                name=plan.client.full_name,
                role=gettext_noop("Asiakas"),
                signed_on=plan.made_on,
            )
        )
        participants.append(
            Participant(
                plan=plan,
                user_id=worker_id,
                party=Party.MUNICIPALITY,
                name=workers.get(worker_id, ""),
                organisation_name=context.organisation.name,
                role=gettext_noop("Vastuutyöntekijä"),
                signed_on=plan.made_on,
            )
        )
        if plan.plan_type == PlanType.COACHING and coach is not None:
            # The work coach takes part in coaching plans: a care relationship (basis plan).
            participants.append(
                Participant(
                    plan=plan,
                    user=coach,
                    party=Party.MUNICIPALITY,
                    name=str(coach),
                    organisation_name=context.organisation.name,
                    role=gettext_noop("Työvalmentaja"),
                )
            )
        if plan.plan_type in {PlanType.ACTIVATION, PlanType.MULTISECTOR}:
            parties = [Party.EMPLOYMENT_AUTHORITY, Party.WELLBEING_COUNTY]
            if plan.plan_type == PlanType.MULTISECTOR:
                parties.append(Party.KELA)
            for party in parties:
                name, organisation_name, role = OTHER_PARTIES[party]
                participants.append(
                    Participant(
                        plan=plan,
                        party=party,
                        name=name,
                        organisation_name=organisation_name,
                        role=role,
                        signed_on=plan.made_on if rng.random() < 0.8 else None,
                    )
                )
        if plan.last_reviewed_on:
            reviews.append(
                Review(
                    plan=plan,
                    reviewed_on=plan.last_reviewed_on,
                    held_how=plan.made_how,
                    participants="Asiakas, vastuutyöntekijä",
                    notes="Suunnitelma käytiin läpi; palvelut jatkuvat.",
                    outcome=Review.Outcome.CONTINUES,
                    recorded_by_id=worker_id,
                    recorded_at=_at(plan.last_reviewed_on),
                )
            )
            log.append(_log(plan, PLAN_REVIEWED.code, _at(plan.last_reviewed_on), worker_id, {}))
        if extra.get("replaced"):
            replaced.append(plan)
        elif extra.get("interrupt"):
            interruptions.append(plan)
    Participant.objects.bulk_create(participants, batch_size=500)
    Review.objects.bulk_create(reviews, batch_size=500)
    log.extend(_replace(plans, replaced, today))
    log.extend(_interrupt(interruptions, today))
    # Workers taking part in a plan still open have a care relationship (basis plan).
    CareAssignment.objects.bulk_create(
        CareAssignment(
            client_id=participant.plan.client_id,
            worker_id=participant.user_id,
            basis=CareAssignment.Basis.PLAN,
            note=f"plan:{participant.plan.pk}",
            started_on=participant.plan.made_on,
        )
        for participant in participants
        if participant.user_id and participant.plan.is_open
    )
    ChangeLogEntry.objects.bulk_create(log, batch_size=500)
    return (
        f"Plans: {len(plans)} ({len(reviews)} reviews, {len(replaced)} replaced, "
        f"{sum(1 for plan in interruptions if plan.status == PlanStatus.INTERRUPTED)} interrupted)."
    )


def _log(
    plan: Plan, event: str, at: datetime, actor_id: int | None, changes: dict[str, list[object]]
) -> ChangeLogEntry:
    return ChangeLogEntry(
        at=at,
        actor_id=actor_id,
        organisation_id=plan.organisation_id,
        event=event,
        object_type=Plan._meta.label,
        object_id=str(plan.pk),
        client_id=plan.client_id,
        changes=changes,
    )


def _replace(plans: list[Plan], replaced: list[Plan], today: date) -> list[ChangeLogEntry]:
    """Each replaced activation plan is followed in ``plans`` by its multi-sector plan."""
    by_position = {id(plan): index for index, plan in enumerate(plans)}
    log = []
    for old in replaced:
        new = plans[by_position[id(old)] + 1]
        old.status, old.replaced_by, old.ended_on = PlanStatus.REPLACED, new, new.made_on
        old.statutory_review_on = old.next_review_on = None
        log.append(
            _log(
                old,
                PLAN_REPLACED.code,
                _at(new.made_on),
                new.created_by_id,
                {"status": [PlanStatus.ACTIVE, PlanStatus.REPLACED], "replaced_by": [None, new.pk]},
            )
        )
    Plan.objects.bulk_update(
        replaced, ["status", "replaced_by", "ended_on", "statutory_review_on", "next_review_on"]
    )
    return log


def _interrupt(plans: list[Plan], today: date) -> list[ChangeLogEntry]:
    deciders = {
        (participant.plan_id, participant.party): participant.pk
        for participant in Participant.objects.filter(
            plan__in=plans, party__in=[Party.EMPLOYMENT_AUTHORITY, Party.WELLBEING_COUNTY]
        )
    }
    rows, log, changed = [], [], []
    for plan in plans:
        event_start = plan.made_on + timedelta(days=(plan.pk % 20) + 1)
        decision = decide_interruption_possible(
            InterruptionFacts(InterruptionEvent.EMPLOYMENT, event_start), today
        )
        decided_on = decision.result.possible_from + timedelta(days=plan.pk % 7)
        if not decision.result.possible or decided_on > today:
            continue
        rows.append(
            Interruption(
                plan=plan,
                event_type=InterruptionEvent.EMPLOYMENT.value,
                event_start=event_start,
                hearing_on=decided_on - timedelta(days=3),
                hearing_how=ContactChannel.PHONE,
                hearing_statement=(
                    "Henkilö kertoi aloittaneensa kokoaikatyön ja toivoi suunnitelman päättämistä."
                ),
                decided_on=decided_on,
                employment_authority_decider_id=deciders[(plan.pk, Party.EMPLOYMENT_AUTHORITY)],
                wellbeing_county_decider_id=deciders[(plan.pk, Party.WELLBEING_COUNTY)],
                recorded_by_id=plan.created_by_id,
                recorded_at=_at(decided_on),
            )
        )
        plan.status, plan.ended_on = PlanStatus.INTERRUPTED, decided_on
        plan.statutory_review_on = plan.next_review_on = None
        changed.append(plan)
        log.append(
            _log(
                plan,
                PLAN_INTERRUPTED.code,
                _at(decided_on),
                plan.created_by_id,
                {"status": [PlanStatus.ACTIVE, PlanStatus.INTERRUPTED]},
            )
        )
    Interruption.objects.bulk_create(rows)
    Plan.objects.bulk_update(
        changed, ["status", "ended_on", "statutory_review_on", "next_review_on"]
    )
    return log
