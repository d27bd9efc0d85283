from datetime import date

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from polku.api.auth import actor_of
from polku.reports import selectors

router = Router(tags=["worklist"])


class ItemOut(Schema):
    client_id: int
    client_name: str
    worker_id: int | None
    due_on: date | None
    reason: str
    url: str
    overdue: bool


class SectionOut(Schema):
    key: str
    title: str
    total: int
    items: list[ItemOut]


class WorklistOut(Schema):
    total: int
    sections: list[SectionOut]


@router.get("/", response=WorklistOut)
def worklist(request: HttpRequest, worker_id: int | None = None) -> WorklistOut:
    """The caller's worklist; ``worker_id`` of a colleague needs the team worklist right."""
    actor = actor_of(request)
    result = selectors.worklist_get(
        actor=actor,
        worker_ids=(worker_id or actor.user.pk,),
        today=timezone.localdate(),
        now=timezone.now(),
        view="api:worklist",
    )
    return WorklistOut.model_validate(
        {"total": result.total, "sections": result.sections}, from_attributes=True
    )
