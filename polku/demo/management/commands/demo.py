"""Synthetic demo organisation: one user per role and realistic, invented clients.

Identity codes use individual numbers 900–999 (temporary codes no real person has).
Running the command again adds nothing that is already there.
"""

import importlib
import random
from datetime import date, datetime, timedelta

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from polku.accounts.models import DataSharingAgreement, Membership, Organisation, User
from polku.accounts.roles import Role
from polku.accounts.selectors import key_for_typing
from polku.audit import services as audit
from polku.audit.events import CLIENT_CREATED, CONSENT_GIVEN, DEMO_DATA_LOADED
from polku.audit.models import ChangeLogEntry
from polku.clients.models import (
    CareAssignment,
    Client,
    Consent,
    Language,
    MainIncome,
    ResponsibleWorkerPeriod,
)
from polku.core import hetu as hetu_codes
from polku.demo import names
from polku.demo.context import DemoContext

DEMO_PASSWORD = "Polku-demo-2026"  # noqa: S105 - printed on purpose for the synthetic demo
# Every demo user's authenticator key (second factor), printed on purpose: the demo is
# synthetic and a newcomer must get in without asking anybody. Real users enrol their own.
DEMO_TOTP_KEY = "706f6c6b752d64656d6f2d32303236212121212121"
ORGANISATION_SLUG = "esimerkkila"

# (username, first name, last name, role)
DEMO_USERS = (
    ("sosiaaliohjaaja", "Sari", "Sosiaaliohjaaja", Role.SOCIAL_COUNSELLOR),
    ("valmentaja", "Ville", "Valmentaja", Role.PERSONAL_COACH),
    ("valmentaja2", "Veera", "Valmentaja", Role.PERSONAL_COACH),
    ("vastaava", "Vilma", "Vastaava", Role.LEAD_COACH),
    ("tyovalmentaja", "Tero", "Työvalmentaja", Role.WORK_COACH),
    ("etsiva", "Eetu", "Etsivä", Role.OUTREACH_YOUTH_WORKER),
    ("toimisto", "Tiina", "Toimisto", Role.OFFICE_CLERK),
    ("elinkeino", "Eero", "Elinkeino", Role.BUSINESS_COORDINATOR),
    ("ohjaaja", "Olli", "Ohjaaja", Role.PLACEMENT_SUPERVISOR),
    ("esihenkilo", "Esa", "Esihenkilö", Role.MANAGER),
    ("paakayttaja", "Paula", "Pääkäyttäjä", Role.ADMINISTRATOR),
)
CASEWORKERS = ("sosiaaliohjaaja", "valmentaja", "valmentaja2", "vastaava")
# Modules with ``populate(DemoContext) -> str``, run in this order (later ones build on earlier).
DEMO_STAGES: tuple[str, ...] = (
    "polku.plans.demo",
    "polku.referrals.demo",
    "polku.service_episodes.demo",
    "polku.ktt.demo",
    "polku.sharelist.demo",
    "polku.employment.demo",
    "polku.reports.demo",
)


class Command(BaseCommand):
    help = (
        "Create the demo organisation 'esimerkkila' with one user per role and synthetic clients."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--clients", type=int, default=2000, help="number of clients (2000)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (2026)")
        parser.add_argument(
            "--code",
            action="store_true",
            help="only print the demo users' current second-factor code",
        )

    @transaction.atomic
    def handle(self, *args: object, **options: int) -> None:
        now = timezone.now()
        if options["code"]:
            self.stdout.write(demo_code(now))
            return
        organisation, neighbour = _organisations(now.date())
        users = _users(organisation)
        caseworkers = [users[name] for name in CASEWORKERS]
        created = _clients(
            organisation,
            users,
            caseworkers,
            options["clients"],
            random.Random(options["seed"]),
            now,
        )
        neighbour_worker = _user("naapuri", "Nea", "Naapuri", neighbour, Role.PERSONAL_COACH)
        _clients(
            neighbour,
            {"naapuri": neighbour_worker},
            [neighbour_worker],
            20,
            random.Random(options["seed"] + 1),
            now,
        )
        context = DemoContext(
            organisation=organisation,
            users=users,
            caseworkers=caseworkers,
            clients=list(Client.objects.filter(organisation=organisation).order_by("pk")),
            rng=random.Random(options["seed"] + 2),
            now=now,
        )
        for stage in DEMO_STAGES:
            self.stdout.write(importlib.import_module(stage).populate(context))
        if created:
            audit.record(
                event=DEMO_DATA_LOADED,
                at=now,
                actor=None,
                organisation=organisation,
                target=organisation,
                changes={"clients": [None, created]},
            )
        self._print_users(organisation, created)

    def _print_users(self, organisation: Organisation, created: int) -> None:
        count = Client.objects.filter(organisation=organisation).count()
        self.stdout.write(f"Demo organisation {organisation.name} ({organisation.slug}):")
        self.stdout.write(f"  {count} clients, {created} added now.")
        self.stdout.write(f"Users (password for all: {DEMO_PASSWORD}):")
        for username, first, last, role in DEMO_USERS:  # columns line up whatever the names
            self.stdout.write(f"  {username:<16} {first + ' ' + last:<24} {role.label}")
        other = "another organisation (naapurila);"
        self.stdout.write(f"  {'naapuri':<16} {'Nea Naapuri':<24} {other}")
        self.stdout.write(f"  {'':<16} {'':<24} its clients stay invisible to the users above.")
        self.stdout.write(
            "Second factor (the same for every demo user): add the key "
            f"{key_for_typing(DEMO_TOTP_KEY)} to an authenticator app, or print the current "
            "code with: .venv/bin/python manage.py demo --code"
        )


def demo_code(now: datetime) -> str:
    """The code an authenticator app with the demo key shows at ``now``."""
    totp = TOTP(bytes.fromhex(DEMO_TOTP_KEY), step=30, digits=6)
    totp.time = now.timestamp()
    return f"{totp.token():06d}"


def _organisations(today: date) -> tuple[Organisation, Organisation]:
    organisation, _ = Organisation.objects.get_or_create(
        slug=ORGANISATION_SLUG,
        defaults={
            "name": "Esimerkkilän kunta",
            "kind": Organisation.Kind.MUNICIPALITY,
            "municipality_code": "999",
        },
    )
    neighbour, _ = Organisation.objects.get_or_create(
        slug="naapurila",
        defaults={"name": "Naapurilan työllisyysalue", "kind": Organisation.Kind.EMPLOYMENT_AREA},
    )
    wellbeing, _ = Organisation.objects.get_or_create(
        slug="esimerkkimaan-hva",
        defaults={
            "name": "Esimerkkimaan hyvinvointialue",
            "kind": Organisation.Kind.WELLBEING_COUNTY,
        },
    )
    DataSharingAgreement.objects.get_or_create(
        provider=organisation,
        recipient=wellbeing,
        defaults={
            "purpose": "Kuntouttava työtoiminta ja monialainen yhteispalvelu",
            "valid_from": date(today.year, 1, 1),
        },
    )
    return organisation, neighbour


def _user(username: str, first: str, last: str, organisation: Organisation, role: Role) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.is_staff = user.is_superuser = role == Role.ADMINISTRATOR
        user.save()
        TOTPDevice.objects.create(user=user, name="demo", key=DEMO_TOTP_KEY, confirmed=True)
    Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    return user


def _users(organisation: Organisation) -> dict[str, User]:
    return {
        username: _user(username, first, last, organisation, role)
        for username, first, last, role in DEMO_USERS
    }


def _person(rng: random.Random, today: date) -> tuple[str, str, str, date]:
    age_days = rng.randint(17 * 365, 64 * 365)
    birth = today - timedelta(days=age_days)
    individual = rng.randint(900, 999)
    female = individual % 2 == 0
    first_pool = names.FIRST_NAMES_FEMALE if female else names.FIRST_NAMES_MALE
    first = rng.choice(first_pool)
    if rng.random() < 0.4:
        first = f"{first} {rng.choice(first_pool)}"
    return hetu_codes.build(birth, individual), first, rng.choice(names.LAST_NAMES), birth


def _client(organisation: Organisation, rng: random.Random, now: datetime) -> Client:
    today = now.date()
    code, first, last, birth = _person(rng, today)
    income = rng.choices(list(MainIncome), weights=[3, 5, 3, 1])[0]
    lms_total = (
        rng.randint(0, 1400) if income == MainIncome.LABOUR_MARKET_SUBSIDY else rng.randint(0, 200)
    )
    created_at = now - timedelta(days=rng.randint(1, 365))
    return Client(
        organisation=organisation,
        hetu=code,
        first_names=first,
        last_name=last,
        birth_date=birth,
        language=rng.choices(
            [Language.FINNISH, Language.SWEDISH, Language.OTHER], weights=[85, 8, 7]
        )[0],
        phone=f"040 {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
        email=f"{first.split()[0].lower()}.{last.lower()}@example.invalid".translate(
            str.maketrans("äöå", "aoa")
        ),
        street_address=f"{rng.choice(names.STREETS)} {rng.randint(1, 60)}",
        postal_code="99999",
        post_office="ESIMERKKILÄ",
        contact_verified_on=today - timedelta(days=rng.randint(0, 400)),
        home_municipality=organisation.name.split()[0].removesuffix("n"),
        main_income=income,
        unemployment_started_on=today - timedelta(days=rng.randint(30, 2500)),
        lms_days_total=lms_total,
        lms_days_last_12_months=min(lms_total, rng.randint(0, 260)),
        lms_days_after_max_period=min(lms_total, rng.randint(0, 400)),
        daily_allowance_max_period_exhausted=rng.random() < 0.3,
        social_assistance_months=rng.randint(0, 24)
        if income == MainIncome.SOCIAL_ASSISTANCE
        else 0,
        has_employment_plan=rng.random() < 0.7,
        job_search_discussion_held=rng.random() < 0.5,
        benefit_counters_on=today - timedelta(days=rng.randint(0, 60)),
        created_at=created_at,
        updated_at=created_at,
    )


def _clients(
    organisation: Organisation,
    users: dict[str, User],
    workers: list[User],
    count: int,
    rng: random.Random,
    now: datetime,
) -> int:
    existing = set(Client.objects.filter(organisation=organisation).values_list("hetu", flat=True))
    candidates: dict[str, Client] = {}
    while len(existing) + len(candidates) < count:
        client = _client(organisation, rng, now)
        if client.hetu not in existing:
            candidates.setdefault(client.hetu, client)
    new_clients = list(candidates.values())
    for client in new_clients:
        if rng.random() < 0.85:
            young = client.age_on(now.date()) < 29 and "etsiva" in users
            client.responsible_worker = (
                users["etsiva"] if young and rng.random() < 0.5 else rng.choice(workers)
            )
    Client.objects.bulk_create(new_clients, batch_size=500)
    saved = list(Client.objects.filter(organisation=organisation, hetu__in=list(candidates)))
    _history(organisation, saved, users, workers, rng)
    return len(saved)


def _history(
    organisation: Organisation,
    clients: list[Client],
    users: dict[str, User],
    workers: list[User],
    rng: random.Random,
) -> None:
    periods, consents, assignments, log = [], [], [], []
    for client in clients:
        log.append(_created_row(organisation, client))
        if client.responsible_worker_id:
            periods.append(
                ResponsibleWorkerPeriod(
                    client=client,
                    worker_id=client.responsible_worker_id,
                    started_on=client.created_at.date(),
                )
            )
        if rng.random() < 0.6:
            consent = Consent(
                client=client,
                party=rng.choice(
                    [
                        Consent.Party.KELA,
                        Consent.Party.WELLBEING_COUNTY,
                        Consent.Party.HEALTH_SERVICES,
                    ]
                ),
                purpose="Monialainen palvelutarpeen arviointi ja palvelujen yhteensovittaminen",
                given_on=client.created_at.date(),
                expires_on=client.created_at.date() + timedelta(days=rng.choice([365, 730])),
                recorded_by_id=client.responsible_worker_id or workers[0].pk,
            )
            consents.append(consent)
        if "tyovalmentaja" in users and rng.random() < 0.1:
            assignments.append(
                CareAssignment(
                    client=client,
                    worker=users["tyovalmentaja"],
                    basis=CareAssignment.Basis.SERVICE,
                    note="Kuntouttava työtoiminta, TyöVarikko",
                    started_on=client.created_at.date(),
                )
            )
        if "ohjaaja" in users and rng.random() < 0.05:
            assignments.append(
                CareAssignment(
                    client=client,
                    worker=users["ohjaaja"],
                    basis=CareAssignment.Basis.SERVICE,
                    note="Työtoimintapaikka: kirjasto",
                    started_on=client.created_at.date(),
                )
            )
    ResponsibleWorkerPeriod.objects.bulk_create(periods, batch_size=500)
    CareAssignment.objects.bulk_create(assignments, batch_size=500)
    log.extend(
        ChangeLogEntry(
            at=datetime.combine(
                consent.given_on, datetime.min.time(), tzinfo=timezone.get_current_timezone()
            ),
            actor_id=consent.recorded_by_id,
            organisation=organisation,
            event=CONSENT_GIVEN.code,
            object_type=Consent._meta.label,
            object_id=str(consent.pk),
            client_id=consent.client_id,
            changes={"party": [None, consent.party]},
        )
        for consent in Consent.objects.bulk_create(consents, batch_size=500)
    )
    ChangeLogEntry.objects.bulk_create(log, batch_size=500)


def _created_row(organisation: Organisation, client: Client) -> ChangeLogEntry:
    return ChangeLogEntry(
        at=client.created_at,
        actor_id=client.responsible_worker_id,
        organisation=organisation,
        event=CLIENT_CREATED.code,
        object_type=Client._meta.label,
        object_id=str(client.pk),
        client=client,
        changes={"demo": [None, True]},
    )
