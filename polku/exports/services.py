"""Start and run background exports (issue 19.4). The job runs as the user who asked, with
the roles they hold when it runs, so the access policy and the access log see the same
reads as a direct download."""

import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from polku.access import policy
from polku.accounts.roles import Actor
from polku.accounts.selectors import actor_for
from polku.audit import services as audit
from polku.audit.events import EXPORT_FINISHED, EXPORT_REQUESTED
from polku.core.documents import Document
from polku.exports.models import ExportJob
from polku.exports.registry import KINDS

logger = logging.getLogger(__name__)

PARAM_MAX_LENGTH = 40  # a month, a date or an id; nothing longer is a real value


class UnknownExport(Exception):
    """No document of that name is registered."""


def export_start(*, actor: Actor, kind: str, values: Mapping[str, str], now: datetime) -> ExportJob:
    """Queue the document ``kind`` made from the request's ``values``; the worker makes it."""
    spec = KINDS.get(kind)
    if spec is None:
        raise UnknownExport(_("Tällaista tulostetta ei ole."))
    policy.require(actor, spec.capability)
    params = {name: _clean(values.get(name, "")) for name in spec.params}
    job = ExportJob.objects.create(
        organisation=actor.organisation,
        requested_by=actor.user,
        kind=kind,
        params=params,
        language=translation.get_language() or "fi",
        created_at=now,
    )
    audit.record(
        event=EXPORT_REQUESTED,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=job,
        changes={"kind": [None, kind], "params": [None, params]},
    )
    logger.info("export queued", extra={"export_job": job.pk, "kind": kind})
    transaction.on_commit(partial(_enqueue, job.pk))
    return job


def _clean(value: str) -> str:
    return str(value).replace("\x00", "")[:PARAM_MAX_LENGTH]


def _enqueue(job_id: int) -> None:
    from polku.exports import tasks  # the task calls export_run back

    tasks.export_run.enqueue(job_id=job_id)


def export_run(*, job_id: int, clock: Callable[[], datetime]) -> None:
    """Make the document of a queued job once; a job already taken is left alone."""
    taken = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.RUNNING, progress=5
    )
    if not taken:
        return
    job = ExportJob.objects.select_related("requested_by", "organisation").get(pk=job_id)
    try:
        document = _render(job)
    except (PermissionDenied, Http404, ValidationError, ValueError):
        outcome = _failed(_("Tulostetta ei voitu muodostaa näillä tiedoilla tai oikeuksilla."))
    except Exception:
        logger.exception("export failed", extra={"export_job": job_id, "kind": job.kind})
        outcome = _failed(_("Tulosteen muodostaminen epäonnistui. Yritä uudelleen."))
    else:
        outcome = {
            "status": ExportJob.Status.DONE,
            "progress": 100,
            "content": document.content,
            "filename": document.filename,
            "mime": document.mime,
        }
    finished_at = clock()
    ExportJob.objects.filter(pk=job_id).update(**outcome, finished_at=finished_at)
    audit.record(
        event=EXPORT_FINISHED,
        at=finished_at,
        actor=job.requested_by,
        organisation=job.organisation,
        target=job,
        changes={"status": [ExportJob.Status.RUNNING, outcome["status"]]},
    )


def _failed(message: str) -> dict[str, object]:
    return {"status": ExportJob.Status.FAILED, "error": message}


def _render(job: ExportJob) -> Document:
    user = job.requested_by
    actor = actor_for(user=user, organisation_id=job.organisation_id) if user.is_active else None
    if actor is None:
        raise PermissionDenied
    with translation.override(job.language):
        return KINDS[job.kind].render(actor, job.params, partial(_progress, job.pk))


def _progress(job_id: int, percent: int) -> None:
    ExportJob.objects.filter(pk=job_id).update(progress=max(5, min(percent, 99)))
