"""Reads of questionnaires: the link's greeting, a client's scores over time."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from polku.clients.models import Client
from polku.reports.models import FollowUp, OneTimeLink, QuestionnaireKind, QuestionnaireResponse
from polku.reports.tokens import token_hash
from polku.service_episodes.models import ServiceEpisode

CHART_WIDTH = 600
CHART_HEIGHT = 160
CHART_MARGIN = 30


def link_usable(*, token: str, now: datetime) -> OneTimeLink | None:
    """The unused, unexpired link for ``token``, else None (whatever the reason)."""
    return (
        OneTimeLink.objects.select_related("version", "client")
        .filter(token_hash=token_hash(token), used_at=None, expires_at__gt=now)
        .first()
    )


def greeting_name(link: OneTimeLink) -> str:
    """At most the client's first given name: nothing else of the client is shown."""
    return (link.client.first_names.split() or [""])[0]


@dataclass(frozen=True)
class Point:
    answered_on: date
    score: Decimal
    channel: str
    x: int
    y: int


@dataclass(frozen=True)
class Series:
    kind: str
    title: str
    points: list[Point]

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x},{p.y}" for p in self.points)


def client_scores(*, client: Client) -> list[Series]:
    """Each questionnaire's scores over time for one client, with chart coordinates."""
    responses = list(
        QuestionnaireResponse.objects.filter(client=client)
        .select_related("version")
        .order_by("answered_on", "id")
    )
    series = []
    for kind, title in QuestionnaireKind.choices:
        own = [r for r in responses if r.version.kind == kind]
        step = (CHART_WIDTH - 2 * CHART_MARGIN) / max(len(own) - 1, 1)
        points = [
            Point(
                answered_on=r.answered_on,
                score=r.score,
                channel=r.get_channel_display(),
                x=int(CHART_MARGIN + index * step),
                y=int(
                    CHART_HEIGHT
                    - CHART_MARGIN
                    - (r.score - 1) / 4 * (CHART_HEIGHT - 2 * CHART_MARGIN)
                ),
            )
            for index, r in enumerate(own)
        ]
        series.append(Series(kind=kind, title=str(title), points=points))
    return series


def client_ended_episodes(*, client: Client) -> list[ServiceEpisode]:
    """The client's ended services with their follow-ups, newest first."""
    return list(
        ServiceEpisode.objects.filter(client=client, ended_on__isnull=False)
        .select_related("service_type")
        .prefetch_related("follow_ups")
        .order_by("-ended_on", "-id")
    )


def follow_ups_of(episodes: list[ServiceEpisode]) -> list[FollowUp]:
    return [
        follow_up
        for episode in episodes
        # The reverse accessor is typed only when mypy has seen both apps together.
        for follow_up in episode.follow_ups.all()  # type: ignore[attr-defined, unused-ignore]
    ]
