from datetime import date, timedelta

from django.utils import timezone

from polku.accounts.roles import Capability
from polku.reports.models import (
    AgreementGoal,
    EnteredFigure,
    Goal,
    OneTimeLink,
    PartnerAgreement,
    QuestionnaireKind,
    Target,
)
from polku.reports.services import questionnaire_version_current
from polku.reports.tokens import token_hash
from tests.matrix import ANYONE, Page, World

# The matrix passes integer ids, so the test link's token is a number (real ones are 256 bits).
MATRIX_TOKEN = 4242424242

PAGES = {
    "reports:worklist": Page(Capability.VIEW_WORKLIST),
    "reports:team_worklist": Page(Capability.VIEW_TEAM_WORKLIST),
    "monitoring:monthly": Page(Capability.VIEW_REPORTS),
    "monitoring:monthly_pdf": Page(Capability.VIEW_REPORTS),
    "monitoring:monthly_xlsx": Page(Capability.VIEW_REPORTS),
    "monitoring:monthly_close": Page(
        Capability.MANAGE_GOALS, method="post", data=lambda world: {"month": "2026-10"}
    ),
    "monitoring:goals": Page(Capability.VIEW_REPORTS),
    "monitoring:goal_create": Page(Capability.MANAGE_GOALS),
    "monitoring:goal_edit": Page(Capability.MANAGE_GOALS, kwargs=("goal_id",)),
    "monitoring:target_create": Page(Capability.MANAGE_GOALS, kwargs=("goal_id",)),
    "monitoring:target_edit": Page(Capability.MANAGE_GOALS, kwargs=("target_id=goal_target_id",)),
    "monitoring:figures": Page(Capability.VIEW_REPORTS),
    "monitoring:figure_create": Page(Capability.MANAGE_GOALS),
    "monitoring:figure_edit": Page(
        Capability.MANAGE_GOALS, kwargs=("figure_id=entered_figure_id",)
    ),
    "monitoring:partners": Page(Capability.VIEW_REPORTS),
    "monitoring:partner_create": Page(Capability.MANAGE_GOALS),
    "monitoring:partner_edit": Page(
        Capability.MANAGE_GOALS, kwargs=("agreement_id=partner_agreement_id",)
    ),
    "monitoring:partner_evaluate": Page(
        Capability.MANAGE_GOALS, kwargs=("agreement_id=partner_agreement_id",)
    ),
    "monitoring:questionnaire_link": Page(Capability.MANAGE_PLANS, client_specific=True),
    "monitoring:questionnaire_record": Page(Capability.MANAGE_PLANS, client_specific=True),
    "monitoring:follow_up": Page(Capability.MANAGE_PLANS, client_specific=True),
    "questionnaire:answer": Page(
        ANYONE, kwargs=("questionnaire_token",)
    ),  # the client's link, no sign-in
}
API_OPERATIONS = {
    ("get", "/api/v1/worklist/"): Page(Capability.VIEW_WORKLIST),
    ("get", "/api/v1/reports/indicators"): Page(
        Capability.VIEW_REPORTS, query=lambda world: {"start": "2026-10-01", "end": "2026-10-31"}
    ),
    ("get", "/api/v1/reports/monthly"): Page(
        Capability.VIEW_REPORTS, query=lambda world: {"month": "2026-10"}
    ),
    ("get", "/api/v1/reports/goals"): Page(Capability.VIEW_REPORTS),
    ("get", "/api/v1/reports/partner-agreements"): Page(Capability.VIEW_REPORTS),
}


def objects(world: World) -> dict[str, int]:
    now = timezone.now()
    version = questionnaire_version_current(
        organisation=world.organisation, kind=QuestionnaireKind.FEEDBACK, now=now
    )
    OneTimeLink.objects.create(
        version=version,
        client=world.client,
        token_hash=token_hash(str(MATRIX_TOKEN)),
        created_at=now,
        expires_at=now + timedelta(days=14),
        created_by=world.worker,
    )
    goal = Goal.objects.create(organisation=world.organisation, title="Matriisitavoite")
    target = Target.objects.create(goal=goal, indicator="plans_up_to_date", year=2026, value=90)
    figure = EnteredFigure.objects.create(
        organisation=world.organisation,
        kind=EnteredFigure.Kind.UNEMPLOYMENT_RATE,
        month=date(2026, 10, 1),
        value=8,
    )
    agreement = PartnerAgreement.objects.create(
        organisation=world.organisation, partner="Esimerkkilän Seurakunta", year=2026
    )
    AgreementGoal.objects.create(agreement=agreement, order=0, text="Kaksi työkokeilupaikkaa")
    return {
        "questionnaire_token": MATRIX_TOKEN,
        "goal_id": goal.pk,
        "goal_target_id": target.pk,
        "entered_figure_id": figure.pk,
        "partner_agreement_id": agreement.pk,
    }
