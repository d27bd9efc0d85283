from datetime import date

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from polku.api.auth import actor_of
from polku.api.errors import ApiError
from polku.clients import selectors, services
from polku.clients.models import Client, Language, MainIncome
from polku.core import hetu as hetu_codes

router = Router(tags=["clients"])


class ClientSummary(Schema):
    id: int
    hetu_masked: str
    first_names: str
    last_name: str
    birth_date: date
    responsible_worker_id: int | None
    has_care_relationship: bool


class ClientFields(Schema):
    language: Language = Language.FINNISH
    phone: str = ""
    email: str = ""
    street_address: str = ""
    postal_code: str = Field("", max_length=5)
    post_office: str = ""
    contact_verified_on: date | None = None
    home_municipality: str = ""
    main_income: MainIncome = MainIncome.OTHER
    unemployment_started_on: date | None = None
    lms_days_total: int = Field(0, ge=0)
    lms_days_last_12_months: int = Field(0, ge=0, le=366)
    lms_days_after_max_period: int = Field(0, ge=0)
    daily_allowance_max_period_exhausted: bool = False
    social_assistance_months: int = Field(0, ge=0)
    has_employment_plan: bool = False
    job_search_discussion_held: bool = False
    benefit_counters_on: date | None = None


class ClientDetail(ClientFields):
    id: int
    hetu: str
    first_names: str
    last_name: str
    birth_date: date
    responsible_worker_id: int | None
    needs_review: bool
    processing_restricted_on: date | None  # GDPR art. 18: readable, not changeable
    version: int


class ClientCreate(ClientFields):
    hetu: str = Field(max_length=11)
    first_names: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)


class ClientUpdate(ClientFields):
    """A partial update: only the fields sent change (the defaults are never written)."""

    version: int
    # Optional to send, never null: a default of None is not validated, a sent null is refused.
    first_names: str = Field(None, min_length=1, max_length=100)  # type: ignore[assignment]
    last_name: str = Field(None, min_length=1, max_length=100)  # type: ignore[assignment]


def _detail(client: Client) -> ClientDetail:
    return ClientDetail.model_validate(client, from_attributes=True)


class ClientSearch(Schema):
    q: str = Field("", max_length=100)
    page: int = Field(1, ge=1)


def _search(request: HttpRequest, query: str, page: int) -> list[ClientSummary]:
    result = selectors.client_search(
        actor=actor_of(request),
        query=query,
        worker_id=None,
        page=page,
        now=timezone.now(),
        view="api:clients",
    )
    return [
        ClientSummary(
            id=client.pk,
            hetu_masked=client.hetu_masked,
            first_names=client.first_names,
            last_name=client.last_name,
            birth_date=client.birth_date,
            responsible_worker_id=client.responsible_worker_id,
            has_care_relationship=client.pk not in result.without_relationship,
        )
        for client in result.clients
    ]


@router.get("/", response=list[ClientSummary])
def list_clients(request: HttpRequest, q: str = "", page: int = 1) -> list[ClientSummary]:
    """The caller's clients (care relationship), or a name search among them.

    An identity code is refused here: URLs end up in server and proxy logs. Use
    ``POST /clients/search``.
    """
    if hetu_codes.is_valid(q.strip()):
        raise ApiError(
            400,
            "hetu_in_url",
            _("Henkilötunnusta ei lähetetä osoitteessa. Käytä hakua POST /clients/search."),
        )
    return _search(request, q, page)


@router.post("/search", response=list[ClientSummary])
def search_clients(request: HttpRequest, payload: ClientSearch) -> list[ClientSummary]:
    """Search by name among the caller's clients, or by exact identity code across the
    organisation (never a prefix); the query travels in the body, not the URL."""
    return _search(request, payload.q, payload.page)


@router.get("/{client_id}", response=ClientDetail)
def get_client(request: HttpRequest, client_id: int) -> ClientDetail:
    client = selectors.client_get(
        actor=actor_of(request), client_id=client_id, now=timezone.now(), view="api:client"
    )
    return _detail(client)


@router.post("/", response={201: ClientDetail})
def create_client(request: HttpRequest, payload: ClientCreate) -> Status:
    fields = payload.model_dump(exclude={"hetu", "first_names", "last_name"})
    try:
        client = services.client_create(
            actor=actor_of(request),
            data=services.ClientData(
                hetu=payload.hetu,
                first_names=payload.first_names,
                last_name=payload.last_name,
                fields=fields,
            ),
            now=timezone.now(),
        )
    except hetu_codes.InvalidHetu as invalid:
        message = str(hetu_codes.ERROR_MESSAGES[invalid.code])
        raise ApiError(422, "invalid_hetu", message, {"hetu": [message]}) from invalid
    except services.DuplicateClient as duplicate:
        raise ApiError(
            409, "duplicate_client", str(duplicate), {"hetu": [str(duplicate)]}
        ) from duplicate
    return Status(201, _detail(client))


@router.patch("/{client_id}", response=ClientDetail)
def update_client(request: HttpRequest, client_id: int, payload: ClientUpdate) -> ClientDetail:
    """Change a client's details; ``version`` must be the one read, else 409 with both versions."""
    actor = actor_of(request)
    try:
        client = services.client_update(
            actor=actor,
            client_id=client_id,
            version=payload.version,
            fields=payload.model_dump(exclude={"version"}, exclude_unset=True),
            now=timezone.now(),
        )
    except services.EditConflict as clash:
        # The answer shows the saved record: read it through the policy, which logs it
        # (the service's own read was rolled back with the refused change).
        current = selectors.client_get(
            actor=actor, client_id=client_id, now=timezone.now(), view="api:client"
        )
        raise ApiError(
            409,
            "edit_conflict",
            str(clash),
            {
                "current": _detail(current).model_dump(mode="json"),
                "attempted": payload.model_dump(mode="json"),
            },
        ) from clash
    return _detail(client)


class RestrictionChange(Schema):
    restricted: bool
    reason: str = Field("", max_length=1000)


@router.put("/{client_id}/restriction", response=ClientDetail)
def set_restriction(
    request: HttpRequest, client_id: int, payload: RestrictionChange
) -> ClientDetail:
    """Restrict the processing of the client's data (GDPR art. 18) with a reason, or lift it
    (``restricted: false``). While restricted every change is refused with 403."""
    actor, now = actor_of(request), timezone.now()
    try:
        if payload.restricted:
            client = services.client_restrict_processing(
                actor=actor, client_id=client_id, reason=payload.reason, now=now
            )
        else:
            client = services.client_lift_restriction(actor=actor, client_id=client_id, now=now)
    except services.RestrictionStateError as unchanged:
        raise ApiError(409, "restriction_unchanged", str(unchanged)) from unchanged
    except ValueError as invalid:
        raise ApiError(422, "invalid", str(invalid), {"reason": [str(invalid)]}) from invalid
    return _detail(client)
