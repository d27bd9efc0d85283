import json
from datetime import UTC, datetime

from django.urls import reverse

from conftest import logged_in
from polku.accounts.models import Organisation, User
from polku.audit import services as audit
from polku.audit.models import AccessLogEntry
from polku.audit.selectors import access_report
from polku.clients.models import Client
from polku.clients.tests.factories import ConsentFactory


def _read(
    user: User, organisation: Organisation, client: Client, at: datetime, **extra: str
) -> None:
    audit.access_record_many(
        at=at,
        user=user,
        organisation=organisation,
        client_ids=[client.pk],
        kind=extra.pop("kind", AccessLogEntry.Kind.RECORD),
        channel="ui",
        view="clients:detail",
        **extra,  # type: ignore[arg-type]
    )


def test_access_report__one_line_per_user_day_and_kind_with_break_glass_reasons(
    organisation: Organisation, coach: User, colleague: User, coach_client: Client
) -> None:
    _read(coach, organisation, coach_client, datetime(2026, 11, 2, 8, 0, tzinfo=UTC))
    _read(coach, organisation, coach_client, datetime(2026, 11, 2, 12, 0, tzinfo=UTC))
    _read(
        colleague,
        organisation,
        coach_client,
        datetime(2026, 11, 3, 9, 0, tzinfo=UTC),
        reason="Asiakas soitti, vastuutyöntekijä lomalla",
    )

    lines = access_report(client=coach_client)

    assert [(line.day.day, line.times) for line in lines] == [(3, 1), (2, 2)]
    assert lines[0].reason == "Asiakas soitti, vastuutyöntekijä lomalla"
    assert lines[1].kind_label == "Asiakastiedon avaus"


def test_access_report_page__is_a_pdf_and_itself_logged(coach: User, coach_client: Client) -> None:
    response = logged_in(coach).get(
        reverse("clients:access_report", kwargs={"client_id": coach_client.pk})
    )

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert AccessLogEntry.objects.filter(client=coach_client, view="clients:access_report").exists()


def test_data_export__holds_the_record_and_everything_that_refers_to_it(
    coach: User, coach_client: Client
) -> None:
    consent = ConsentFactory.create(client=coach_client, purpose="Kuntoutusselvitys")
    http = logged_in(coach)
    url = reverse("clients:data_export", kwargs={"client_id": coach_client.pk})

    exported = json.loads(http.get(url).content)
    pdf = http.get(url, {"format": "pdf"})

    assert exported["clients.Client"][0]["henkilötunnus"] == coach_client.hetu
    assert [row["käyttötarkoitus"] for row in exported["clients.Consent"]] == [consent.purpose]
    assert "audit.AccessLogEntry" not in exported  # summarised in the access-log report
    assert pdf.content.startswith(b"%PDF")
