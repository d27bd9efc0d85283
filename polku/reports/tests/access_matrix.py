from datetime import timedelta

from django.utils import timezone

from polku.accounts.roles import Capability
from polku.reports.models import OneTimeLink, QuestionnaireKind
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
    return {"questionnaire_token": MATRIX_TOKEN}
