"""Closing months (immutability, corrections) and the one-time questionnaire link."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from conftest import logged_in
from polku.accounts.models import Organisation, User
from polku.accounts.roles import Actor
from polku.audit.models import ChangeLogEntry
from polku.clients.models import Client
from polku.reports import services
from polku.reports.models import (
    FollowUp,
    MonthSnapshot,
    OneTimeLink,
    QuestionnaireKind,
    QuestionnaireResponse,
    SnapshotCorrection,
)
from polku.reports.report_selectors import month_values
from polku.reports.tests.scenario import AT, OCTOBER, october
from polku.reports.tokens import token_hash
from polku.service_episodes.models import ReimbursementClaim
from polku.service_episodes.tests.factories import EpisodeFactory

ANSWERS = {"heard": 4, "useful": 5, "information": 3, "recommend": 4}


def test_month_close__stores_every_indicator_once_and_is_idempotent(
    organisation: Organisation, coach: User
) -> None:
    october(organisation, coach)

    first = services.month_close(organisation=organisation, month=OCTOBER, user=None, now=AT)
    again = services.month_close(organisation=organisation, month=OCTOBER, user=None, now=AT)

    assert first.pk == again.pk
    assert MonthSnapshot.objects.count() == 1
    assert first.values["ktt_compensation"]["value"] == "1234.50"
    assert not SnapshotCorrection.objects.exists()
    assert ChangeLogEntry.objects.filter(event="reports.month.closed").count() == 1


def test_month_close__records_a_later_difference_as_a_correction_and_keeps_the_published(
    organisation: Organisation, coach: User
) -> None:
    october(organisation, coach)
    snapshot = services.month_close(organisation=organisation, month=OCTOBER, user=None, now=AT)
    ReimbursementClaim.objects.update(amount=Decimal("2000.00"))  # a late fix in the data

    services.month_close(organisation=organisation, month=OCTOBER, user=None, now=AT)
    services.month_close(organisation=organisation, month=OCTOBER, user=None, now=AT)

    snapshot.refresh_from_db()
    assert snapshot.values["ktt_compensation"]["value"] == "1234.50"  # published, unchanged
    correction = SnapshotCorrection.objects.get()  # recorded once, not on every close
    assert correction.indicator == "ktt_compensation"
    assert correction.corrected["value"] == "2000.00"
    shown = month_values(organisation_id=organisation.pk, month=OCTOBER)
    assert shown.values["ktt_compensation"].value == Decimal("1234.50")
    assert shown.corrections == [correction]


def test_close_month_command__closes_the_month_of_the_organisation(
    organisation: Organisation,
) -> None:
    call_command("close_month", organisation=organisation.slug, month="2026-10")
    call_command("close_month", organisation=organisation.slug, month="2026-10")

    assert MonthSnapshot.objects.filter(organisation=organisation, month=OCTOBER).count() == 1


def test_close_month_command__all_organisations_closes_the_previous_month_of_each_once(
    organisation: Organisation, other_organisation: Organisation
) -> None:
    first, again = StringIO(), StringIO()

    call_command("close_month", "--all-organisations", "--today", "2026-11-03", stdout=first)
    call_command("close_month", "--all-organisations", "--today", "2026-11-03", stdout=again)

    snapshots = MonthSnapshot.objects.values_list("organisation__slug", "month")
    assert sorted(snapshots) == [("esimerkkila", OCTOBER), ("naapurila", OCTOBER)]
    assert first.getvalue().splitlines() == [
        "esimerkkila 2026-10: closed",
        "naapurila 2026-10: closed",
    ]
    assert "esimerkkila 2026-10: already closed, 0 corrections recorded" in again.getvalue()
    assert ChangeLogEntry.objects.filter(event="reports.month.closed").count() == 2


def test_close_month_command__in_january_closes_last_years_december(
    organisation: Organisation,
) -> None:
    call_command("close_month", "--all-organisations", "--today", "2027-01-01", stdout=StringIO())

    assert MonthSnapshot.objects.get().month == date(2026, 12, 1)


def test_close_month_command__needs_one_organisation_or_all(db: None) -> None:
    with pytest.raises(CommandError):
        call_command("close_month", "--month", "2026-10")
    with pytest.raises(CommandError):
        call_command("close_month", "--all-organisations", "--organisation", "esimerkkila")


def _link(actor: Actor, client: Client, now: datetime) -> str:
    _link_row, token = services.link_create(
        actor=actor,
        client_id=client.pk,
        kind=QuestionnaireKind.FEEDBACK,
        plain_language=False,
        now=now,
    )
    return token


def test_link_create__stores_only_a_hash_of_a_long_random_token(
    coach_actor: Actor, coach_client: Client, now: datetime
) -> None:
    token = _link(coach_actor, coach_client, now)

    link = OneTimeLink.objects.get()
    assert len(token) >= 43  # 32 random bytes = 256 bits
    assert link.token_hash == token_hash(token) != token
    assert link.expires_at == now + timedelta(days=14)
    assert ChangeLogEntry.objects.filter(
        event="reports.questionnaire.link_created", client_id=coach_client.pk
    ).exists()


def test_answer__greets_by_first_name_only_and_records_the_answers_once(
    coach_actor: Actor, coach_client: Client, now: datetime, client
) -> None:
    token = _link(coach_actor, coach_client, timezone.now())
    url = reverse("questionnaire:answer", args=[token])

    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    first = coach_client.first_names.split()[0]
    assert f"Hei {first}!" in text
    assert coach_client.last_name not in text
    assert coach_client.hetu not in text

    done = client.post(url, ANSWERS)
    assert done.status_code == 200
    response = QuestionnaireResponse.objects.get()
    assert response.score == Decimal("4.00")
    assert response.channel == QuestionnaireResponse.Channel.LINK

    reused = client.post(url, ANSWERS)  # the same link again
    assert reused.status_code == 404
    assert QuestionnaireResponse.objects.count() == 1
    assert client.get(url).status_code == 404


def test_answer__expired_and_guessed_tokens_give_the_same_neutral_page(
    coach_actor: Actor, coach_client: Client, client
) -> None:
    token = _link(coach_actor, coach_client, timezone.now() - timedelta(days=15))  # expired

    expired = client.get(reverse("questionnaire:answer", args=[token]))
    guessed = client.get(reverse("questionnaire:answer", args=[token[:-1] + "A"]))

    assert expired.status_code == guessed.status_code == 404
    for page in (expired, guessed):
        assert "Linkki ei ole käytettävissä" in page.content.decode()
        assert "Hei " not in page.content.decode()
    assert client.post(reverse("questionnaire:answer", args=[token]), ANSWERS).status_code == 404
    assert not QuestionnaireResponse.objects.exists()


def test_link_answer__refuses_answers_outside_the_scale(
    coach_actor: Actor, coach_client: Client
) -> None:
    token = _link(coach_actor, coach_client, timezone.now())

    with pytest.raises(services.InvalidAnswers):
        services.link_answer(token=token, answers={**ANSWERS, "heard": 9}, now=timezone.now())

    assert OneTimeLink.objects.get().used_at is None  # still usable


def test_link_create__refuses_another_organisations_client(
    stranger_actor: Actor, coach_client: Client, now: datetime
) -> None:
    with pytest.raises(Http404):
        _link(stranger_actor, coach_client, now)


def test_questionnaire_record__saves_the_answers_given_with_a_worker(
    coach: User, coach_client: Client
) -> None:
    http = logged_in(coach)
    url = reverse("monitoring:questionnaire_record", args=[coach_client.pk])

    assert "Minua kuunneltiin." in http.get(url + "?selko=1").content.decode()
    response = http.post(url + "?kind=feedback&selko=1", ANSWERS)

    assert response.status_code == 302
    saved = QuestionnaireResponse.objects.get()
    assert (saved.channel, saved.plain_language, saved.recorded_by) == ("worker", True, coach)
    panel = http.get(reverse("clients:detail", args=[coach_client.pk])).content.decode()
    assert "pisteet ajan mittaan" in panel


def test_follow_up__records_the_situation_after_an_ended_service(
    coach: User, coach_client: Client
) -> None:
    episode = EpisodeFactory.create(
        client=coach_client, created_by=coach, ended_on=AT.date(), outcome="unemployed"
    )
    url = reverse("monitoring:follow_up", args=[coach_client.pk])
    http = logged_in(coach)

    response = http.post(url, {"episode": episode.pk, "months": 3, "situation": "work"})
    again = http.post(url, {"episode": episode.pk, "months": 3, "situation": "studies"})

    assert response.status_code == again.status_code == 302
    assert FollowUp.objects.get().situation == "studies"
    assert "Opiskelemaan" in http.get(url).content.decode()
    assert (
        ChangeLogEntry.objects.filter(
            event="reports.follow_up.recorded", client_id=coach_client.pk
        ).count()
        == 2
    )
