from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import logged_in
from polku.accounts.models import Organisation, User
from polku.audit.models import AccessLogEntry
from polku.clients.models import Client
from polku.clients.tests.factories import ClientFactory


def test_login_page_is_in_finnish(db: None) -> None:
    from django.test import Client as HttpClient

    response = HttpClient().get(reverse("accounts:login"))

    assert response.status_code == 200
    assert 'lang="fi"' in response.text
    assert "Kirjaudu sisään" in response.text


def test_client_list__requires_login(db: None) -> None:
    from django.test import Client as HttpClient

    response = HttpClient().get(reverse("clients:list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_client_detail__reading_a_record_writes_exactly_one_access_log_row(
    coach: User, coach_client: Client
) -> None:
    response = logged_in(coach).get(reverse("clients:detail", args=[coach_client.pk]))

    assert response.status_code == 200
    assert coach_client.hetu in response.text
    assert AccessLogEntry.objects.filter(client=coach_client, kind="record").count() == 1


def test_client_detail__of_another_organisation_is_404(
    stranger: User, coach_client: Client
) -> None:
    response = logged_in(stranger).get(reverse("clients:detail", args=[coach_client.pk]))

    assert response.status_code == 404
    assert coach_client.last_name not in response.text


def test_client_detail__without_relationship_offers_break_glass_and_shows_no_data(
    colleague: User, coach_client: Client
) -> None:
    response = logged_in(colleague).get(reverse("clients:detail", args=[coach_client.pk]))

    assert response.status_code == 403
    assert coach_client.last_name not in response.text
    assert "Avaa tiedot perustellusti" in response.text


def test_break_glass__without_reason_keeps_the_record_closed(
    colleague: User, coach_client: Client
) -> None:
    response = logged_in(colleague).post(
        reverse("clients:break_glass", args=[coach_client.pk]), {"reason": ""}
    )

    assert response.status_code == 403
    assert not AccessLogEntry.objects.exists()


def test_break_glass__with_reason_opens_the_record(colleague: User, coach_client: Client) -> None:
    http = logged_in(colleague)

    response = http.post(
        reverse("clients:break_glass", args=[coach_client.pk]),
        {"reason": "Asiakas asioi toimistolla, vastuutyöntekijä sairaana"},
        follow=True,
    )

    assert response.status_code == 200
    assert coach_client.hetu in response.text
    assert AccessLogEntry.objects.filter(break_glass=True).count() == 1


def test_client_list__search_by_name_logs_each_client_shown(
    coach: User, coach_client: Client
) -> None:
    response = logged_in(coach).get(reverse("clients:list"), {"q": coach_client.last_name})

    assert coach_client.last_name in response.text
    assert list(AccessLogEntry.objects.values_list("client_id", "kind")) == [
        (coach_client.pk, "list")
    ]


def test_client_list__exact_identity_code_finds_a_client_without_relationship(
    colleague: User, coach_client: Client
) -> None:
    response = logged_in(colleague).post(reverse("clients:list"), {"q": coach_client.hetu.lower()})

    assert coach_client.last_name in response.text
    assert "ei asiakassuhdetta" in response.text


def test_client_list__ignores_a_query_in_the_url_so_searches_never_travel_there(
    coach: User, coach_client: Client
) -> None:
    response = logged_in(coach).get(reverse("clients:list"), {"q": coach_client.hetu})

    assert response.status_code == 200
    assert f'value="{coach_client.hetu}"' not in response.text
    assert 'method="post" role="search"' in response.text


def test_client_list__an_identity_code_prefix_finds_nothing(
    colleague: User, coach_client: Client
) -> None:
    response = logged_in(colleague).post(reverse("clients:list"), {"q": coach_client.hetu[:6]})

    assert coach_client.last_name not in response.text


def test_client_list__query_count_does_not_grow_with_clients(
    coach: User, organisation: Organisation
) -> None:
    http = logged_in(coach)
    ClientFactory.create_batch(3, organisation=organisation, responsible_worker=coach)
    with CaptureQueriesContext(connection) as few:
        http.get(reverse("clients:list"))
    ClientFactory.create_batch(30, organisation=organisation, responsible_worker=coach)

    with CaptureQueriesContext(connection) as many:
        response = http.get(reverse("clients:list"))

    assert response.status_code == 200
    assert len(many) == len(few)


def test_client_create__keeps_what_was_typed_and_explains_the_error(coach: User) -> None:
    response = logged_in(coach).post(
        reverse("clients:create"),
        {
            "hetu": "010190Y999K",
            "first_names": "Aino",
            "last_name": "Virtanen",
            "language": "fi",
            "main_income": "other",
        },
    )

    assert response.status_code == 200
    assert "Tarkistusmerkki ei täsmää" in response.text
    assert 'value="Virtanen"' in response.text
    assert not Client.objects.exists()


def test_client_create__a_registered_identity_code_leads_to_the_registered_client(
    coach: User, coach_client: Client
) -> None:
    response = logged_in(coach).post(
        reverse("clients:create"),
        {
            "hetu": coach_client.hetu,
            "first_names": "Aino",
            "last_name": "Toinen",
            "language": "fi",
            "main_income": "other",
            "lms_days_total": "0",
            "lms_days_last_12_months": "0",
            "lms_days_after_max_period": "0",
            "social_assistance_months": "0",
        },
    )

    assert response.status_code == 200
    assert "Asiakas tällä henkilötunnuksella on jo rekisterissä." in response.text
    assert f'href="{reverse("clients:detail", args=[coach_client.pk])}"' in response.text
    assert 'value="Toinen"' in response.text
    assert Client.objects.count() == 1


def test_client_create__with_swedish_interface_parses_day_first_dates(coach: User) -> None:
    http = logged_in(coach)
    http.cookies["django_language"] = "sv"

    response = http.post(
        reverse("clients:create"),
        {
            "hetu": "010190Y999W",
            "first_names": "Aino",
            "last_name": "Virtanen",
            "language": "sv",
            "main_income": "other",
            "unemployment_started_on": "5.3.2026",
            "lms_days_total": "0",
            "lms_days_last_12_months": "0",
            "lms_days_after_max_period": "0",
            "social_assistance_months": "0",
        },
    )

    assert response.status_code == 302, response.text
    assert Client.objects.get().unemployment_started_on == date(2026, 3, 5)


def test_client_edit__a_concurrent_save_is_shown_not_overwritten(
    coach: User, coach_client: Client
) -> None:
    http = logged_in(coach)
    form = {
        "version": str(coach_client.version),
        "first_names": coach_client.first_names,
        "last_name": coach_client.last_name,
        "language": "fi",
        "main_income": "other",
        "lms_days_total": "0",
        "lms_days_last_12_months": "0",
        "lms_days_after_max_period": "0",
        "social_assistance_months": "0",
    }
    url = reverse("clients:edit", args=[coach_client.pk])
    assert http.post(url, {**form, "phone": "040 111"}).status_code == 302

    response = http.post(url, {**form, "phone": "040 222"})

    assert response.status_code == 200
    assert "Tiedot ovat muuttuneet sillä välin" in response.text
    assert 'value="040 222"' in response.text
    coach_client.refresh_from_db()
    assert coach_client.phone == "040 111"


def test_client_detail__shows_statutory_obligations_as_of_a_chosen_date(
    coach: User, coach_client: Client
) -> None:
    Client.objects.filter(pk=coach_client.pk).update(
        birth_date=date(1980, 1, 1),
        main_income="labour_market_subsidy",
        lms_days_total=520,
        has_employment_plan=True,
    )

    response = logged_in(coach).get(
        reverse("clients:detail", args=[coach_client.pk]), {"as_of": "1.6.2024"}
    )

    assert "Lakisääteiset velvoitteet" in response.text
    assert "Aktivointisuunnitelma: laadittava" in response.text
    assert "1.6.2024" in response.text
    assert "189/2001" in response.text


def test_assign_worker__a_page_of_its_own_keeps_the_client_page_free_of_the_worker_list(
    coach: User, colleague: User, coach_client: Client
) -> None:
    http = logged_in(coach)
    url = reverse("clients:assign_worker", args=[coach_client.pk])

    detail = http.get(reverse("clients:detail", args=[coach_client.pk]))
    page = http.get(url)
    response = http.post(url, {"worker": colleague.pk})

    assert f'href="{url}"' in detail.text
    assert 'name="worker"' not in detail.text
    assert page.status_code == 200
    assert f'value="{colleague.pk}"' in page.text
    assert response.status_code == 302
    coach_client.refresh_from_db()
    assert coach_client.responsible_worker == colleague


def test_assign_worker__an_unknown_worker_keeps_the_page_with_a_clear_error(
    coach: User, stranger: User, coach_client: Client
) -> None:
    response = logged_in(coach).post(
        reverse("clients:assign_worker", args=[coach_client.pk]), {"worker": stranger.pk}
    )

    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.text or "errorlist" in response.text
    coach_client.refresh_from_db()
    assert coach_client.responsible_worker == coach


def test_client_page_has_breadcrumbs_collapsible_parts_and_unbroken_identity_code(
    coach: User, coach_client: Client
) -> None:
    page = logged_in(coach).get(reverse("clients:detail", args=[coach_client.pk])).content.decode()

    assert 'class="breadcrumbs"' in page
    assert f'<li><a href="{reverse("clients:list")}">Asiakkaat</a></li>' in page
    assert page.count('<details class="page-part"') == 6
    assert f'<dd class="nowrap">{coach_client.hetu}</dd>' in page
