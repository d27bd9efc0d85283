from django.utils import timezone

from polku.accounts.models import User
from polku.accounts.roles import Capability
from polku.exports.models import ExportJob
from tests.matrix import ANYONE, Page, World


def _own_export(world: World, user: User) -> dict[str, int]:
    job = ExportJob.objects.create(
        organisation=world.organisation,
        requested_by=user,
        kind="monthly_report_pdf",
        language="fi",
        status=ExportJob.Status.DONE,
        content=b"%PDF-1.7",
        filename="seuranta-2026-10.pdf",
        mime="application/pdf",
        created_at=timezone.now(),
    )
    return {"job_id": job.pk}


PAGES = {
    "exports:list": Page(ANYONE),
    # Queuing a document asks for the capability its kind names.
    "exports:start": Page(
        Capability.VIEW_REPORTS,
        method="post",
        data=lambda world: {"kind": "monthly_report_pdf", "month": "2026-10"},
    ),
    "exports:detail": Page(ANYONE, own=_own_export),
    "exports:progress": Page(ANYONE, own=_own_export),
    "exports:download": Page(ANYONE, own=_own_export),
}
