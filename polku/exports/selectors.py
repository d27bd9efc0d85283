"""An export is seen only by the person who asked for it, in the organisation they asked in."""

from django.db.models import QuerySet
from django.http import Http404

from polku.accounts.roles import Actor
from polku.exports.models import ExportJob

RECENT = 20


def _own(actor: Actor) -> QuerySet[ExportJob]:
    return ExportJob.objects.filter(organisation=actor.organisation, requested_by=actor.user)


def export_get(*, actor: Actor, job_id: int) -> ExportJob:
    job = _own(actor).defer("content").filter(pk=job_id).first()
    if job is None:
        raise Http404
    return job


def export_content(*, actor: Actor, job_id: int) -> ExportJob:
    """A finished export with its file."""
    job = _own(actor).filter(pk=job_id, status=ExportJob.Status.DONE).first()
    if job is None:
        raise Http404
    return job


def export_list(*, actor: Actor) -> list[ExportJob]:
    return list(_own(actor).defer("content")[:RECENT])
