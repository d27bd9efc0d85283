"""``/api/v1/share-lists/``: months and costs, importing a list, the review list, contacts."""

import base64
import binascii
import io
from datetime import date
from typing import IO, Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status, UploadedFile
from pydantic import Field

from polku.access import policy
from polku.accounts.roles import Capability
from polku.api.auth import actor_of
from polku.api.errors import ApiError
from polku.sharelist import selectors, services
from polku.sharelist.models import ContactAttempt

router = Router(tags=["share-lists"])


def _money(value: Any) -> str:
    return f"{value:.2f}"


class MonthOut(Schema):
    month: date
    persons: int
    paid: str
    share: str


class ImportIn(Schema):
    filename: str = Field(max_length=200)
    content_base64: str
    mapping: str = services.DEFAULT_MAPPING
    accept_valid: bool = False
    dry_run: bool = False


class ImportErrorOut(Schema):
    row: int
    column: str | None
    code: str
    message: str


class SummaryOut(Schema):
    rows: int
    imported: int
    unchanged: int
    new_clients: int
    rejected: bool
    errors: list[ImportErrorOut] = Field(description="the first 1,000 errors by row")
    error_count: int = Field(0, description="all errors, also those past the first 1,000")
    error_counts: dict[str, int] = Field(default_factory=dict, description="errors by code")


class PersonOut(Schema):
    client_id: int
    hetu_masked: str
    first_names: str
    last_name: str
    share: str
    previous_share: str | None
    trend: str
    days: int
    accumulated_days: int | None
    has_active_plan: bool
    responsible_worker_id: int | None
    contact_owner: str
    last_contact_on: date | None


class ContactIn(Schema):
    client_id: int
    method: ContactAttempt.Method
    result: ContactAttempt.Result
    made_on: date
    note: str = Field("", max_length=300)


class ContactOut(Schema):
    id: int
    client_id: int
    method: str
    result: str
    made_on: date


@router.get("/", response=list[MonthOut])
def list_months(request: HttpRequest) -> list[MonthOut]:
    """The municipal share per list month (aggregates only; needs the cost right)."""
    lines = selectors.costs_by_month(actor=actor_of(request))
    return [
        MonthOut(
            month=line.start, persons=line.persons, paid=_money(line.paid), share=_money(line.share)
        )
        for line in lines
    ]


def _import(
    request: HttpRequest,
    *,
    source: IO[bytes],
    filename: str,
    mapping: str,
    accept_valid: bool,
    dry_run: bool,
) -> Status:
    actor = actor_of(request)
    try:
        summary = services.share_list_import(
            organisation=actor.organisation,
            actor=actor,
            mapping_name=mapping,
            source=source,
            filename=filename,
            accept_valid=accept_valid,
            dry_run=dry_run,
            now=timezone.now(),
        )
    except selectors.UnknownMapping as unknown:
        raise ApiError(
            422, "unknown_mapping", str(unknown), {"mapping": [str(unknown)]}
        ) from unknown
    return Status(422 if summary["rejected"] else 201, SummaryOut.model_validate(summary))


@router.post("/", response={201: SummaryOut, 422: SummaryOut}, url_name="import_list")
def import_list(request: HttpRequest, payload: ImportIn) -> Status:
    """Import a list file (CSV or XLSX, base64 in JSON): the summary of CONTRACTS.md §3.

    A rejected file (any invalid row without ``accept_valid``) writes nothing: 422.
    The body may be up to ``POLKU_SHARE_LIST_MAX_JSON_BYTES`` (32 MB; a larger one gets
    413 ``too_large`` before it is read); larger files go to ``/upload`` as multipart.
    """
    try:
        content = base64.b64decode(payload.content_base64, validate=True)
    except (binascii.Error, ValueError) as error:
        raise ApiError(
            422, "invalid", _("Tiedoston sisältö ei ole base64-muotoista."), {"content_base64": []}
        ) from error
    return _import(
        request,
        source=io.BytesIO(content),
        filename=payload.filename,
        mapping=payload.mapping,
        accept_valid=payload.accept_valid,
        dry_run=payload.dry_run,
    )


@router.post("/upload", response={201: SummaryOut, 422: SummaryOut}, url_name="import_list_upload")
def import_list_upload(
    request: HttpRequest,
    file: File[UploadedFile],
    mapping: Form[str] = services.DEFAULT_MAPPING,
    accept_valid: Form[bool] = False,
    dry_run: Form[bool] = False,
) -> Status:
    """Import a list file sent as ``multipart/form-data`` (field ``file``): a real monthly
    list, up to ``POLKU_SHARE_LIST_MAX_BYTES`` (100 MB; a larger request gets 413
    ``too_large`` before its body is read). The file is read as a stream from disk.
    Same summary and status codes as ``POST /share-lists/``.
    """
    if file.size is not None and file.size > settings.POLKU_SHARE_LIST_MAX_BYTES:
        raise ApiError(413, "too_large", _("Tiedosto on liian suuri."), {"file": []})
    return _import(
        request,
        source=file,
        filename=file.name or "lista",
        mapping=mapping,
        accept_valid=accept_valid,
        dry_run=dry_run,
    )


@router.get("/persons", response=list[PersonOut])
def list_persons(request: HttpRequest, month: date | None = None, page: int = 1) -> list[PersonOut]:
    """Everyone on the month's list (default: the latest), 50 a page; each row is logged."""
    actor = actor_of(request)
    policy.require(actor, Capability.REVIEW_SHARE_LIST)
    if month is None:
        latest = selectors.months(organisation_id=actor.organisation.pk, limit=1)
        if not latest:
            return []
        month = latest[0]
    result = selectors.review_page(
        actor=actor,
        month=month.replace(day=1),
        filters=selectors.ReviewFilters(),
        page=page,
        now=timezone.now(),
        view="api:share_list_persons",
    )
    return [
        PersonOut(
            client_id=row.client.pk,
            hetu_masked=row.client.hetu_masked,
            first_names=row.client.first_names,
            last_name=row.client.last_name,
            share=_money(row.share),
            previous_share=None if row.previous_share is None else _money(row.previous_share),
            trend=row.trend,
            days=row.days,
            accumulated_days=row.accumulated_days,
            has_active_plan=row.has_active_plan,
            responsible_worker_id=row.client.responsible_worker_id,
            contact_owner=row.contact_owner_name,
            last_contact_on=row.last_contact_on,
        )
        for row in result.rows
    ]


@router.post("/contacts", response={201: ContactOut})
def record_contact(request: HttpRequest, payload: ContactIn) -> Status:
    """Record a contact attempt with a person on the list (needs a care relationship)."""
    attempt = services.contact_attempt_record(
        actor=actor_of(request),
        client_id=payload.client_id,
        data=services.ContactData(
            method=payload.method, result=payload.result, made_on=payload.made_on, note=payload.note
        ),
        now=timezone.now(),
    )
    return Status(
        201,
        ContactOut(
            id=attempt.pk,
            client_id=attempt.client_id,
            method=attempt.method,
            result=attempt.result,
            made_on=attempt.made_on,
        ),
    )
