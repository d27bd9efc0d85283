"""Rate limits on the API (per user) and the public one-time links (per address)."""

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings

from polku.accounts.models import Organisation, User
from polku.accounts.services import api_token_create
from polku.core.rate_limit import Rate, count_request

START = 1_800_000_000.0  # a minute boundary: 1800000000 = 30000000 × 60


@pytest.mark.parametrize(
    ("text", "rate"),
    [("600/min", Rate(600, 60)), ("5/s", Rate(5, 1)), ("1000/hour", Rate(1000, 3600))],
)
def test_rate_parse__reads_count_and_period(text: str, rate: Rate) -> None:
    assert Rate.parse(text) == rate


@pytest.mark.parametrize("text", ["lots", "10", "0/min", "10/week", "-1/s", "/min"])
def test_rate_parse__refuses_anything_else(text: str) -> None:
    with pytest.raises(ValueError, match="COUNT/PERIOD"):
        Rate.parse(text)


def test_count_request__allows_the_rate_in_a_window_and_starts_again_in_the_next() -> None:
    rate = Rate(3, 60)

    def hit(now: float, caller: str = "7") -> bool:
        return count_request(scope="test", caller=caller, rate=rate, now=now)

    assert [hit(START + second) for second in (0, 1, 2, 3, 59)] == [True, True, True, False, False]
    assert hit(START + 3, caller="8")  # another caller counts alone
    assert hit(START + 60)
    assert rate.retry_after(START + 45.5) == 15


def _token(user: User, organisation: Organisation) -> str:
    return api_token_create(user=user, organisation=organisation, now=timezone.now())


def test_api__answers_429_with_retry_after_past_the_users_rate(
    organisation: Organisation, coach: User, colleague: User, settings: Settings
) -> None:
    settings.POLKU_API_RATE = "2/min"
    http = HttpClient(
        HTTP_AUTHORIZATION=f"Bearer {_token(coach, organisation)}", HTTP_ACCEPT_LANGUAGE="en"
    )

    statuses = [http.get("/api/v1/clients/").status_code for _ in range(3)]
    refused = http.get("/api/v1/clients/")
    other = HttpClient(HTTP_AUTHORIZATION=f"Bearer {_token(colleague, organisation)}")

    assert statuses == [200, 200, 429]
    assert refused.json() == {
        "code": "throttled",
        "message": "Too many requests. Wait a moment and try again.",
        "fields": {},
    }
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert other.get("/api/v1/clients/").status_code == 200


def test_api__a_users_second_token_shares_the_rate(
    organisation: Organisation, coach: User, settings: Settings
) -> None:
    settings.POLKU_API_RATE = "2/min"
    first, second = (
        HttpClient(HTTP_AUTHORIZATION=f"Bearer {_token(coach, organisation)}") for _ in range(2)
    )

    assert [first.get("/api/v1/clients/").status_code for _ in range(2)] == [200, 200]
    assert second.get("/api/v1/clients/").status_code == 429


def test_one_time_link__answers_429_to_an_address_asking_too_often(
    db: None, settings: Settings
) -> None:
    settings.POLKU_PUBLIC_LINK_RATE = "2/min"
    url = reverse("questionnaire:answer", args=["no-such-token"])
    guesser = HttpClient(REMOTE_ADDR="198.51.100.7")

    statuses = [guesser.get(url).status_code for _ in range(3)]
    refused = guesser.get(url, HTTP_ACCEPT_LANGUAGE="sv")

    assert statuses == [404, 404, 429]
    assert "För många förfrågningar" in refused.content.decode()
    assert refused["Retry-After"]
    assert HttpClient(REMOTE_ADDR="203.0.113.9").get(url).status_code == 404
