import io
from datetime import date
from decimal import Decimal

from django.template.loader import render_to_string
from django.test import Client as HttpClient
from django.urls import reverse
from python_calamine import CalamineWorkbook

from conftest import logged_in
from polku.accounts.models import Organisation, User
from polku.accounts.roles import Role
from polku.accounts.tests.factories import UserFactory
from polku.clients.models import CareAssignment, Client
from polku.clients.tests.factories import ClientFactory
from polku.service_episodes import selectors
from polku.service_episodes.models import (
    Attendance,
    ClaimLine,
    GroupMember,
    KttContract,
    Placement,
    ReimbursementClaim,
    ServiceType,
)
from polku.service_episodes.tests.factories import (
    EpisodeFactory,
    GroupFactory,
    PlacementFactory,
    claim_of_one,
)

WEEK = "2026-11-23"
MONDAY = "20261123"
INITIALS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _group_of(organisation: Organisation, instructor: User, size: int) -> tuple[int, list[Client]]:
    group = GroupFactory.create(organisation=organisation, instructor=instructor)
    clients = [
        ClientFactory.create(organisation=organisation, last_name=f"{INITIALS[i % 26]}nen{i}")
        for i in range(size)
    ]
    GroupMember.objects.bulk_create(
        GroupMember(group=group, client=c, joined_on=date(2026, 9, 1)) for c in clients
    )
    CareAssignment.objects.bulk_create(
        CareAssignment(client=c, worker=instructor, basis="service", started_on=date(2026, 9, 1))
        for c in clients
    )
    return group.pk, clients


def _week_post(clients: list[Client], status: str = "present", **extra: str) -> dict[str, str]:
    data = {"week": "23.11.2026", **extra}
    for client in clients:
        for day in range(23, 28):
            key = f"{client.pk}_202611{day}"
            data[f"s_{key}"] = status
            data[f"v_{key}"] = "0"
    return data


def test_attendance_group__labels_every_cell_for_keyboard_and_screen_reader_users(
    organisation: Organisation, instructor: User
) -> None:
    group_id, clients = _group_of(organisation, instructor, 2)

    response = logged_in(instructor).get(
        reverse("services:attendance_group", args=[group_id]), {"week": WEEK}
    )

    first = clients[0]
    assert response.status_code == 200
    assert f'aria-label="Aino {first.last_name[0]}. ma 23.11."' in response.text
    assert 'name="mark_all_present" value="2026-11-23"' in response.text


def test_attendance_group__records_a_whole_week_for_30_people_in_one_request(
    organisation: Organisation, instructor: User, django_assert_max_num_queries: object
) -> None:
    group_id, clients = _group_of(organisation, instructor, 30)
    http = logged_in(instructor)

    with django_assert_max_num_queries(60):  # type: ignore[operator]
        response = http.post(
            reverse("services:attendance_group", args=[group_id]), _week_post(clients)
        )

    assert response.status_code == 302
    assert Attendance.objects.filter(status="present").count() == 150


def test_attendance_group__grid_page_runs_a_fixed_number_of_queries(
    organisation: Organisation, instructor: User, django_assert_max_num_queries: object
) -> None:
    group_id, _clients = _group_of(organisation, instructor, 30)
    http = logged_in(instructor)
    http.get(reverse("services:attendance_group", args=[group_id]), {"week": WEEK})

    with django_assert_max_num_queries(16):  # type: ignore[operator]
        http.get(reverse("services:attendance_group", args=[group_id]), {"week": WEEK})


def test_attendance_group__mark_all_present_fills_the_days_empty_cells(
    organisation: Organisation, instructor: User
) -> None:
    group_id, clients = _group_of(organisation, instructor, 3)

    logged_in(instructor).post(
        reverse("services:attendance_group", args=[group_id]),
        {
            "week": "23.11.2026",
            "mark_all_present": "2026-11-24",
            f"s_{clients[0].pk}_20261124": "sick",
        },
    )

    marks = dict(Attendance.objects.values_list("client_id", "status"))
    assert marks == {clients[0].pk: "sick", clients[1].pk: "present", clients[2].pk: "present"}


def test_attendance_group__lists_the_cells_another_instructor_changed_and_keeps_the_typed_values(
    organisation: Organisation, instructor: User
) -> None:
    group_id, clients = _group_of(organisation, instructor, 2)
    colleague = UserFactory.create(username="toinen", memberships=[(organisation, Role.WORK_COACH)])
    CareAssignment.objects.bulk_create(
        CareAssignment(client=c, worker=colleague, basis="service", started_on=date(2026, 9, 1))
        for c in clients
    )
    url = reverse("services:attendance_group", args=[group_id])
    logged_in(colleague).post(
        url,
        {
            "week": "23.11.2026",
            f"s_{clients[0].pk}_{MONDAY}": "sick",
            f"v_{clients[0].pk}_{MONDAY}": "0",
        },
    )

    response = logged_in(instructor).post(url, _week_post(clients))

    assert response.status_code == 409
    assert "Merkinnät ovat muuttuneet sillä välin" in response.text
    assert (
        f"Aino {clients[0].last_name[0]}. ma 23.11.: tallennettu Sairas, sinun merkintäsi Läsnä"
        in response.text
    )
    assert Attendance.objects.count() == 1
    assert f'name="v_{clients[0].pk}_{MONDAY}" value="1"' in response.text

    retry = logged_in(instructor).post(
        url, _week_post(clients) | {f"v_{clients[0].pk}_{MONDAY}": "1"}
    )

    assert retry.status_code == 302
    assert Attendance.objects.filter(status="present").count() == 10


def test_attendance_placement__shows_a_supervisor_only_the_clients_of_their_unit(
    organisation: Organisation, coach: User
) -> None:
    supervisor = UserFactory.create(
        username="ohjaaja", memberships=[(organisation, Role.PLACEMENT_SUPERVISOR)]
    )
    park = PlacementFactory.create(organisation=organisation, name="Puisto")
    park.supervisors.add(supervisor)
    placed = ClientFactory.create(organisation=organisation, last_name="Puistossa")
    elsewhere = ClientFactory.create(organisation=organisation, last_name="Muualla")
    episode = EpisodeFactory.create(client=placed, placement=park)
    EpisodeFactory.create(
        client=elsewhere, placement=park
    )  # placed, but the supervisor has no relationship yet
    CareAssignment.objects.create(
        client=placed,
        worker=supervisor,
        basis="service",
        note=f"episode:{episode.pk}",
        started_on=date(2026, 9, 1),
    )

    response = logged_in(supervisor).get(
        reverse("services:attendance_placement", args=[park.pk]), {"week": WEEK}
    )

    assert "Puistossa" not in response.text  # only the short name is shown
    assert "Aino P." in response.text
    assert "Aino M." not in response.text


def test_contract_create__refuses_a_company_placement_with_the_reason(
    organisation: Organisation, coach: User, coach_client: Client, ktt_service: ServiceType
) -> None:
    company = PlacementFactory.create(organisation=organisation, company=True, name="Yritys Oy")
    counsellor = UserFactory.create(
        username="sosiaali", memberships=[(organisation, Role.SOCIAL_COUNSELLOR)]
    )

    response = logged_in(coach).post(
        reverse("services:contract_create", args=[coach_client.pk]),
        {
            "placement": company.pk,
            "start": "1.12.2026",
            "end": "31.5.2027",
            "days_per_week": 3,
            "hours_per_day": "4",
            "coaching_content": "Varastotyöt",
            "referral_source": "self",
            "decider": counsellor.pk,
        },
    )

    assert response.status_code == 200
    assert "Kuntouttavaa työtoimintaa ei saa ostaa yritykseltä" in response.text
    assert not KttContract.objects.exists()


def test_contract_pages__take_a_contract_from_draft_through_the_counsellors_worklist_to_signed(
    organisation: Organisation,
    coach: User,
    coach_client: Client,
    ktt_service: ServiceType,
    workshop: Placement,
) -> None:
    counsellor = UserFactory.create(
        username="sosiaali",
        first_name="Sari",
        last_name="Sosiaaliohjaaja",
        memberships=[(organisation, Role.SOCIAL_COUNSELLOR)],
    )
    http, deciding = logged_in(coach), logged_in(counsellor)
    before = deciding.get(reverse("clients:detail", args=[coach_client.pk]))
    saved = http.post(
        reverse("services:contract_create", args=[coach_client.pk]),
        {
            "placement": workshop.pk,
            "start": "1.12.2026",
            "end": "31.5.2027",
            "days_per_week": 3,
            "hours_per_day": "4,5",
            "coaching_content": "Puutyöt",
            "referral_source": "self",
            "decider": counsellor.pk,
        },
        follow=True,
    )
    contract = KttContract.objects.get()
    args = [coach_client.pk, contract.pk]

    worklist = deciding.get(reverse("reports:worklist"))
    detail = deciding.get(reverse("services:contract_detail", args=args))
    refused = http.post(
        reverse("services:contract_decide", args=args), {"decision_text": "Myönnetään"}
    )
    decided = deciding.post(
        reverse("services:contract_decide", args=args), {"decision_text": "Myönnetään"}
    )
    after = deciding.get(reverse("services:contract_detail", args=args))
    unconfirmed = http.post(
        reverse("services:contract_sign", args=args), {"signed_on": "30.11.2026"}, follow=True
    )
    unsigned = KttContract.objects.get().status
    http.post(
        reverse("services:contract_sign", args=args),
        {"signed_on": "30.11.2026", "confirmed": "on"},
    )
    page = http.get(reverse("services:contract_detail", args=args))

    assert before.status_code == 403  # no relationship until the contract is sent to her
    assert "lähetetty päätettäväksi: Sari Sosiaaliohjaaja" in saved.text
    assert contract.hours_per_day == Decimal("4.5")
    assert "KTT-päätökset" in worklist.text
    assert reverse("services:contract_detail", args=args) in worklist.text
    assert detail.status_code == 200
    assert "Tee päätös" in detail.text
    assert refused.status_code == 403
    assert decided["Location"] == reverse("reports:worklist")
    assert after.status_code == 403  # the relationship was for the decision only
    assert unsigned == KttContract.Status.DECIDED
    assert "sopimuksen: rastita ruutu, kun sopimus on allekirjoitettu." in unconfirmed.text
    contract.refresh_from_db()
    assert contract.status == KttContract.Status.SIGNED
    assert contract.decided_by == contract.decider == counsellor
    assert "17.5.2027" in page.text  # the final evaluation, two weeks before the end
    client_page = http.get(reverse("clients:detail", args=[coach_client.pk]))
    assert "KTT-sopimus: Allekirjoitettu, käynnissä" in client_page.text


def test_claim_downloads__reconcile_to_the_cent_in_pdf_and_xlsx(
    organisation: Organisation, coach_client: Client
) -> None:
    clerk = UserFactory.create(username="toimisto", memberships=[(organisation, Role.OFFICE_CLERK)])
    claim = claim_of_one(organisation, clerk, coach_client)
    http = logged_in(clerk)

    pdf = http.get(reverse("services:claim_pdf", args=[claim.pk]))
    xlsx = http.get(reverse("services:claim_xlsx", args=[claim.pk]))

    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(xlsx.content)).get_sheet_by_index(0).to_python()
    )
    assert rows[1][0] == coach_client.hetu
    assert rows[1][5] == rows[-1][5] == 40.36
    assert "tilityshakemus-20261001-20261031.xlsx" in xlsx["Content-Disposition"]


def test_claim_list__creates_a_claim_for_the_chosen_period(organisation: Organisation) -> None:
    clerk = UserFactory.create(username="toimisto", memberships=[(organisation, Role.OFFICE_CLERK)])

    response = logged_in(clerk).post(
        reverse("services:claim_list"), {"period_start": "1.10.2026", "period_end": "31.10.2026"}
    )

    claim = ReimbursementClaim.objects.get()
    assert response["Location"] == reverse("services:claim_detail", args=[claim.pk])
    assert claim.amount == Decimal("0.00")


def test_client_services__requires_login(db: None) -> None:
    response = HttpClient().get(reverse("services:index"))

    assert response.status_code == 302


def test_attendance_group__tells_apart_clients_with_the_same_short_name(
    organisation: Organisation, instructor: User
) -> None:
    group_id, clients = _group_of(organisation, instructor, 27)  # the 27th is "Aino A." again

    response = logged_in(instructor).get(
        reverse("services:attendance_group", args=[group_id]), {"week": WEEK}
    )

    assert f'aria-label="Aino A. ({clients[26].birth_date:%Y}) ma 23.11."' in response.text


def test_claim_document__shows_the_daily_rate_and_the_total_once_after_the_list_then_signatures(
    organisation: Organisation, coach_client: Client
) -> None:
    clerk = UserFactory.create(username="toimisto", memberships=[(organisation, Role.OFFICE_CLERK)])
    claim = claim_of_one(organisation, clerk, coach_client)
    second = ClientFactory.create(organisation=organisation, last_name="Toinen")
    ClaimLine.objects.create(
        claim=claim, client=second, attended_days=3, reimbursable_days=3, amount=Decimal("30.27")
    )
    ReimbursementClaim.objects.filter(pk=claim.pk).update(amount=Decimal("1070.63"))
    claim.refresh_from_db()

    html = render_to_string(
        "service_episodes/claim_pdf.html",
        {
            "claim": claim,
            "lines": list(claim.lines.select_related("client")),
            "rates": selectors.claim_rates(claim=claim),
            "organisation": organisation,
        },
    )

    list_ends = html.index("</table>")
    assert "<tfoot" not in html  # a table footer repeats on every printed page
    assert "10,09 € päivältä, enintään 4 päivää viikossa" in html[:list_ends]
    assert html.count("1\xa0070,63") == 1
    assert html.index("1\xa0070,63") > list_ends
    assert html.index("Allekirjoitus") > html.index("1\xa0070,63")
    assert "Paikka ja päiväys" in html


def test_certificate__is_not_found_for_a_group_the_client_never_joined(
    organisation: Organisation, instructor: User
) -> None:
    group_id, (member,) = _group_of(organisation, instructor, 1)
    other_group = GroupFactory.create(organisation=organisation, instructor=instructor)
    http = logged_in(instructor)

    joined = http.get(reverse("services:certificate", args=[member.pk, group_id]))
    never_joined = http.get(reverse("services:certificate", args=[member.pk, other_group.pk]))

    assert joined.status_code == 200
    assert never_joined.status_code == 404
