"""Restriction of processing (GDPR art. 18): readable, not changeable, skipped in bulk."""

import json
from datetime import datetime
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from conftest import logged_in
from polku.access.policy import CapabilityMissing
from polku.accounts.models import Organisation, User
from polku.accounts.roles import Actor, Role
from polku.accounts.services import api_token_create
from polku.accounts.tests.factories import UserFactory, actor_of
from polku.audit.models import AccessLogEntry, ChangeLogEntry
from polku.audit.services import ProcessingRestricted
from polku.clients import services
from polku.clients.models import Client
from polku.clients.tests.factories import ClientFactory
from polku.sharelist.models import ContactOwner
from polku.sharelist.tests.factories import ShareListRowFactory

REASON = "Asiakas kiistää tietojen paikkansapitävyyden."


@pytest.fixture
def restricted(coach_actor: Actor, coach_client: Client, now: datetime) -> Client:
    return services.client_restrict_processing(
        actor=coach_actor, client_id=coach_client.pk, reason=REASON, now=now
    )


def test_client_restrict_processing__records_reason_date_and_who_with_a_history_row(
    coach_actor: Actor, restricted: Client, now: datetime
) -> None:
    assert restricted.processing_restricted_on == now.date()
    assert restricted.processing_restriction_reason == REASON
    assert restricted.processing_restricted_by == coach_actor.user
    entry = ChangeLogEntry.objects.get(event="clients.processing.restricted")
    assert entry.client_id == restricted.pk
    assert entry.changes["processing_restriction_reason"] == ["", REASON]


def test_client_restrict_processing__needs_the_data_request_capability(
    organisation: Organisation, coach_client: Client, now: datetime
) -> None:
    clerk = UserFactory.create(memberships=[(organisation, Role.OFFICE_CLERK)])

    with pytest.raises(CapabilityMissing):
        services.client_restrict_processing(
            actor=actor_of(clerk, organisation), client_id=coach_client.pk, reason=REASON, now=now
        )


def test_client_update__is_refused_while_restricted_and_nothing_changes(
    coach_actor: Actor, restricted: Client, now: datetime
) -> None:
    with pytest.raises(ProcessingRestricted, match="rajoitettu"):
        services.client_update(
            actor=coach_actor,
            client_id=restricted.pk,
            version=restricted.version,
            fields={"phone": "050 1"},
            now=now,
        )

    restricted.refresh_from_db()
    assert restricted.phone == ""
    assert not ChangeLogEntry.objects.filter(event="clients.client.updated").exists()


def test_consent_give__is_refused_while_restricted(
    coach_actor: Actor, restricted: Client, now: datetime
) -> None:
    data = services.ConsentData("kela", "", "Kuntoutus", now.date(), None)

    with pytest.raises(ProcessingRestricted):
        services.consent_give(actor=coach_actor, client_id=restricted.pk, data=data, now=now)

    assert not restricted.consents.exists()


def test_client_lift_restriction__allows_changes_again_and_keeps_both_history_rows(
    coach_actor: Actor, restricted: Client, now: datetime
) -> None:
    lifted = services.client_lift_restriction(actor=coach_actor, client_id=restricted.pk, now=now)
    services.client_update(
        actor=coach_actor,
        client_id=lifted.pk,
        version=lifted.version,
        fields={"phone": "050 1"},
        now=now,
    )

    assert lifted.processing_restricted_on is None
    assert lifted.processing_restricted_by is None
    events = ChangeLogEntry.objects.filter(client=restricted).order_by("id")
    assert list(events.values_list("event", flat=True)) == [
        "clients.processing.restricted",
        "clients.processing.restriction_lifted",
        "clients.client.updated",
    ]
    assert events[1].changes["processing_restriction_reason"] == [REASON, ""]


def test_client_lift_restriction__refuses_when_nothing_is_restricted(
    coach_actor: Actor, coach_client: Client, now: datetime
) -> None:
    with pytest.raises(services.RestrictionStateError):
        services.client_lift_restriction(actor=coach_actor, client_id=coach_client.pk, now=now)


def test_client_page_and_edit_form__show_the_banner_and_the_read_is_logged(
    coach: User, restricted: Client
) -> None:
    response = logged_in(coach).get(reverse("clients:detail", args=[restricted.pk]))

    assert response.status_code == 200
    assert "restriction-banner" in response.content.decode()
    assert REASON in response.content.decode()
    assert AccessLogEntry.objects.filter(client=restricted, view="clients:detail").exists()
    edit_form = logged_in(coach).get(reverse("clients:edit", args=[restricted.pk]))
    assert "restriction-banner" in edit_form.content.decode()


def test_edit_page__a_save_while_restricted_gets_the_finnish_refusal(
    coach: User, restricted: Client
) -> None:
    response = logged_in(coach).post(
        reverse("clients:edit", args=[restricted.pk]),
        {
            "first_names": "Uusi",
            "last_name": restricted.last_name,
            "language": "fi",
            "main_income": "other",
            "lms_days_total": 0,
            "lms_days_last_12_months": 0,
            "lms_days_after_max_period": 0,
            "social_assistance_months": 0,
            "version": restricted.version,
        },
    )

    assert response.status_code == 403
    assert "Asiakkaan tietojen käsittelyä on rajoitettu" in response.content.decode()
    restricted.refresh_from_db()
    assert restricted.first_names != "Uusi"


def test_restriction_page__sets_and_lifts(coach: User, coach_client: Client) -> None:
    http = logged_in(coach)
    url = reverse("clients:restriction", args=[coach_client.pk])

    assert http.get(url).status_code == 200
    http.post(url, {"reason": REASON})
    coach_client.refresh_from_db()
    assert coach_client.processing_restriction_reason == REASON
    assert "Poista rajoitus" in http.get(url).content.decode()

    http.post(url)
    coach_client.refresh_from_db()
    assert coach_client.processing_restricted_on is None


def test_share_list_bulk_assign__skips_restricted_clients(
    organisation: Organisation, coach: User, coach_actor: Actor, now: datetime
) -> None:
    lead = UserFactory.create(memberships=[(organisation, Role.LEAD_COACH)])
    open_client, restricted = ClientFactory.create_batch(2, organisation=organisation)
    for person in (open_client, restricted):
        ShareListRowFactory.create(client=person)
    restricted.responsible_worker = coach
    restricted.save()
    services.client_restrict_processing(
        actor=coach_actor, client_id=restricted.pk, reason=REASON, now=now
    )

    response = logged_in(lead).post(
        reverse("sharelist:review_assign"),
        {"client": [open_client.pk, restricted.pk], "contact_owner": coach.pk},
    )

    assert response.status_code == 302
    assert ContactOwner.objects.filter(client=open_client).exists()
    assert not ContactOwner.objects.filter(client=restricted).exists()


def _api(user: User, organisation: Organisation) -> HttpClient:
    token = api_token_create(user=user, organisation=organisation, now=timezone.now())
    return HttpClient(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="fi")


def test_api_restriction__sets_lifts_and_says_409_when_nothing_changes(
    coach: User, organisation: Organisation, coach_client: Client
) -> None:
    http = _api(coach, organisation)
    url = f"/api/v1/clients/{coach_client.pk}/restriction"

    def put(body: dict[str, object]) -> Any:
        return http.put(url, json.dumps(body), content_type="application/json")

    restricted = put({"restricted": True, "reason": REASON})
    again = put({"restricted": True, "reason": REASON})
    lifted = put({"restricted": False})

    assert restricted.json()["processing_restricted_on"] is not None
    assert again.status_code == 409
    assert again.json()["code"] == "restriction_unchanged"
    assert lifted.json()["processing_restricted_on"] is None


def test_api_update__is_refused_with_403_and_the_finnish_message(
    coach: User, organisation: Organisation, restricted: Client
) -> None:
    http = _api(coach, organisation)

    response = http.patch(
        f"/api/v1/clients/{restricted.pk}",
        json.dumps({"version": restricted.version, "first_names": "A", "last_name": "Uusi"}),
        content_type="application/json",
    )

    assert response.status_code == 403
    assert "käsittelyä on rajoitettu" in response.json()["message"]
