from datetime import date

from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from conftest import logged_in
from polku.accounts.models import Organisation, User
from polku.accounts.roles import Role
from polku.accounts.services import api_token_create
from polku.accounts.tests.factories import UserFactory
from polku.clients.tests.factories import ClientFactory
from polku.core.worklist import WorklistItem, WorklistSection
from polku.reports.selectors import Worklist, worklist_by_due


def test_worklist_page__shows_the_reason_and_links_to_the_place_to_act(
    organisation: Organisation, coach: User
) -> None:
    client = ClientFactory.create(
        organisation=organisation, responsible_worker=coach, contact_verified_on=date(2020, 2, 3)
    )

    response = logged_in(coach).get(reverse("reports:worklist"))

    page = response.content.decode()
    assert "Yhteystiedot tarkistettu viimeksi 3.2.2020." in page
    assert reverse("clients:edit", kwargs={"client_id": client.pk}) in page


def test_team_worklist_page__filters_by_worker(
    organisation: Organisation, coach: User, colleague: User
) -> None:
    ClientFactory.create(organisation=organisation, responsible_worker=coach, last_name="Omanen")
    ClientFactory.create(
        organisation=organisation, responsible_worker=colleague, last_name="Toisenen"
    )
    lead = UserFactory.create(username="lead", memberships=[(organisation, Role.LEAD_COACH)])

    page = logged_in(lead).get(reverse("reports:team_worklist"), {"worker": colleague.pk})

    assert "Toisenen" in page.content.decode()
    assert "Omanen" not in page.content.decode()


def test_worklist_page__query_count_does_not_grow_with_items(
    organisation: Organisation, coach: User, django_assert_max_num_queries: object
) -> None:
    ClientFactory.create_batch(
        30, organisation=organisation, responsible_worker=coach, contact_verified_on=None
    )
    http = logged_in(coach)

    with django_assert_max_num_queries(20):  # type: ignore[operator]
        response = http.get(reverse("reports:worklist"))

    assert response.status_code == 200


def test_worklist_api__gives_sections_with_items(organisation: Organisation, coach: User) -> None:
    ClientFactory.create(organisation=organisation, responsible_worker=coach)
    token = api_token_create(user=coach, organisation=organisation, now=timezone.now())

    body = HttpClient(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/v1/worklist/").json()

    stale = next(s for s in body["sections"] if s["key"] == "contacts_not_verified")
    assert stale["total"] == 1
    assert stale["items"][0]["reason"] == "Yhteystietoja ei ole koskaan tarkistettu."


def test_worklist_groups_items_by_due_state_and_pages_long_groups(
    organisation: Organisation, coach: User
) -> None:
    for number in range(12):  # contacts checked long ago: overdue, not dated this week
        ClientFactory.create(
            organisation=organisation,
            responsible_worker=coach,
            last_name=f"Asiakas{number:02d}",
            contact_verified_on=date(2020, 2, 3),
        )

    page = logged_in(coach).get(reverse("reports:worklist")).content.decode()

    assert '<details class="page-part" id="' in page
    assert "Näytä loput 2 riviä" in page  # ten rows shown, the rest behind a disclosure


def test_worklist_by_due_splits_overdue_this_week_and_later() -> None:
    monday = date(2026, 11, 23)

    def item(due: date, overdue: bool = False) -> WorklistItem:
        return WorklistItem(1, "A", None, due, "syy", "/", overdue)

    section = WorklistSection(
        key="k",
        title="T",
        items=(
            item(date(2026, 11, 20), overdue=True),
            item(date(2026, 11, 29)),  # Sunday: still this week
            item(date(2026, 11, 30)),
            item(date(2026, 12, 1)),
        ),
        total=4,
    )

    (part,) = worklist_by_due(Worklist(sections=[section], workers=[]), today=monday, page_size=1)

    assert [(group.key, group.count) for group in part.groups] == [
        ("overdue", 1),
        ("this_week", 1),
        ("later", 2),
    ]
    assert len(part.groups[2].more) == 1
    assert part.urgent
