"""The questionnaire panel on the client page: scores over time, links to answer."""

from datetime import date

from polku.accounts.roles import Actor, Capability
from polku.clients.models import Client
from polku.clients.panels import Panel
from polku.reports.models import QuestionnaireKind
from polku.reports.questionnaire_selectors import CHART_HEIGHT, CHART_WIDTH, client_scores


def questionnaires_panel(client: Client, actor: Actor, today: date) -> Panel:
    return Panel(
        template="reports/panel.html",
        context={
            "client_id": client.pk,
            "series": client_scores(client=client),
            "kinds": QuestionnaireKind.choices,
            "can_send": actor.can(Capability.MANAGE_PLANS),
            "width": CHART_WIDTH,
            "height": CHART_HEIGHT,
        },
    )
