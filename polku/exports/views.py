"""Background exports: ask for a document, watch its progress, download it."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from polku.accounts.decorators import actor_view
from polku.accounts.roles import Actor
from polku.core.documents import Document
from polku.exports import selectors, services
from polku.exports.models import ExportJob
from polku.exports.registry import KINDS


def _title(job: ExportJob) -> str:
    spec = KINDS.get(job.kind)
    return str(spec.title) if spec else job.kind


@require_POST
@actor_view
def start(request: HttpRequest, actor: Actor) -> HttpResponse:
    try:
        job = services.export_start(
            actor=actor,
            kind=request.POST.get("kind", ""),
            values=request.POST.dict(),
            now=timezone.now(),
        )
    except services.UnknownExport as unknown:
        messages.error(request, str(unknown))
        return redirect("exports:list")
    return redirect("exports:detail", job_id=job.pk)


@require_GET
@actor_view
def export_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    jobs = [(job, _title(job)) for job in selectors.export_list(actor=actor)]
    return render(request, "exports/list.html", {"jobs": jobs})


@require_GET
@actor_view
def detail(request: HttpRequest, actor: Actor, job_id: int) -> HttpResponse:
    job = selectors.export_get(actor=actor, job_id=job_id)
    return render(request, "exports/detail.html", {"job": job, "title": _title(job)})


@require_GET
@actor_view
def progress(request: HttpRequest, actor: Actor, job_id: int) -> HttpResponse:
    """The progress bar while the job runs (polled by htmx); the whole page once it is done."""
    job = selectors.export_get(actor=actor, job_id=job_id)
    if not request.htmx:  # type: ignore[attr-defined]  # opened as a page
        return redirect("exports:detail", job_id=job_id)
    response = render(request, "exports/_progress.html", {"job": job})
    if not job.running:
        response["HX-Refresh"] = "true"
    return response


@require_GET
@actor_view
def download(request: HttpRequest, actor: Actor, job_id: int) -> HttpResponse:
    job = selectors.export_content(actor=actor, job_id=job_id)
    return Document(
        content=bytes(job.content or b""), filename=job.filename, mime=job.mime
    ).response()
