from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from polku.access import policy
from polku.accounts.decorators import actor_view
from polku.accounts.roles import Actor, Capability
from polku.clients import selectors as client_selectors
from polku.clients.models import Client
from polku.core.documents import PDF_MIME, download, pdf_render
from polku.core.forms import keep_typed
from polku.exports.registry import no_progress
from polku.ktt import selectors as ktt_selectors
from polku.service_episodes import exports, selectors, services
from polku.service_episodes.forms import (
    AllowanceForm,
    DatedForm,
    DecisionForm,
    EpisodeEndForm,
    EpisodeForm,
    EvaluationForm,
    ExtendForm,
    GroupForm,
    GroupMemberForm,
    GroupSessionForm,
    InterruptForm,
    KttContractForm,
    PeriodForm,
    PlacementForm,
    ServiceTypeForm,
    SignForm,
    WeekForm,
    grid_cells,
)
from polku.service_episodes.models import AttendanceStatus, Group, Placement


def _limit(form: forms.Form, name: str, queryset: QuerySet[Any]) -> None:
    form.fields[name].queryset = queryset  # type: ignore[attr-defined]


def _client(actor: Actor, client_id: int, view: str) -> Client:
    return client_selectors.client_get(
        actor=actor, client_id=client_id, now=timezone.now(), view=view
    )


def _to_client(client_id: int) -> HttpResponse:
    return redirect("services:client", client_id=client_id)


def _form_page(
    request: HttpRequest, form: object, title: str, client: Client | None = None, **extra: object
) -> HttpResponse:
    return render(
        request,
        "service_episodes/form.html",
        {"form": form, "title": title, "client": client, **extra},
    )


# ---------------------------------------------------------------- overview, catalogue, placements


@actor_view
def index(request: HttpRequest, actor: Actor) -> HttpResponse:
    policy.require(actor, Capability.VIEW_CLIENTS)
    today = timezone.localdate()
    context = {
        "placements": selectors.placement_list(actor=actor, today=today),
        "groups": selectors.group_list(actor=actor),
        "today": today,
    }
    return render(request, "service_episodes/index.html", context)


@require_http_methods(["GET", "POST"])
@actor_view
def catalogue(request: HttpRequest, actor: Actor) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_PLACEMENTS)
    form = ServiceTypeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.service_type_create(actor=actor, now=timezone.now(), **form.cleaned_data)
        messages.success(request, _("Palvelu lisätty."))
        return redirect("services:catalogue")
    return render(
        request,
        "service_episodes/catalogue.html",
        {"form": form, "service_types": selectors.service_types(actor=actor)},
    )


@require_http_methods(["GET", "POST"])
@actor_view
def placement_create(request: HttpRequest, actor: Actor) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_PLACEMENTS)
    form = PlacementForm(request.POST or None)
    _limit(form, "supervisors", selectors.organisation_users(actor=actor))
    _limit(form, "provider", ktt_selectors.provider_choices(actor=actor))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        supervisors = data.pop("supervisors")
        provider = data.pop("provider")
        placement = services.placement_create(
            actor=actor,
            data=services.PlacementData(
                **data,
                supervisor_ids=tuple(user.pk for user in supervisors),
                provider_id=provider.pk,
            ),
            now=timezone.now(),
        )
        messages.success(request, _("Työtoimintapaikka lisätty."))
        return redirect("services:placement_detail", placement_id=placement.pk)
    return _form_page(request, form, _("Uusi työtoimintapaikka"))


@actor_view
def placement_detail(request: HttpRequest, actor: Actor, placement_id: int) -> HttpResponse:
    policy.require(actor, Capability.VIEW_CLIENTS)
    today, now = timezone.localdate(), timezone.now()
    placement = selectors.placement_get(actor=actor, placement_id=placement_id, today=today)
    context = {
        "placement": placement,
        "episodes": selectors.placement_episodes(
            actor=actor, placement=placement, today=today, now=now
        ),
        "can_record": actor.can(Capability.RECORD_ATTENDANCE),
    }
    return render(request, "service_episodes/placement_detail.html", context)


# ---------------------------------------------------------------- a client's services


@actor_view
def client_services(request: HttpRequest, actor: Actor, client_id: int) -> HttpResponse:
    client = _client(actor, client_id, "services:client")
    today = timezone.localdate()
    start = today - timedelta(days=90)
    context = {
        "client": client,
        "episodes": selectors.client_episodes(client=client),
        "summary": selectors.attendance_summary(client=client, start=start, end=today),
        "history": selectors.attendance_history(client=client, start=start, end=today),
        "statements": selectors.allowance_statements(client=client),
        "groups": selectors.group_list(actor=actor),
        "memberships": selectors.client_groups(client=client),
        "member_form": GroupMemberForm(initial={"client_id": client.pk, "joined_on": today}),
        "actor_can": {
            "services": actor.can(Capability.MANAGE_SERVICES),
            "claims": actor.can(Capability.MANAGE_CLAIMS),
        },
    }
    return render(request, "service_episodes/client.html", context)


@require_http_methods(["GET", "POST"])
@actor_view
def episode_create(request: HttpRequest, actor: Actor, client_id: int) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_SERVICES)
    client = _client(actor, client_id, "services:episode_create")
    form = EpisodeForm(request.POST or None, initial={"started_on": timezone.localdate()})
    services_offered = selectors.service_types(actor=actor).filter(active=True)
    _limit(form, "service_type", services_offered.exclude(kind="ktt"))
    _limit(form, "placement", selectors.placement_list(actor=actor, today=timezone.localdate()))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.episode_start(
                actor=actor,
                client_id=client.pk,
                data=services.EpisodeData(
                    service_type_id=data["service_type"].pk,
                    referral_source=data["referral_source"],
                    started_on=data["started_on"],
                    provider=data["provider"],
                    placement_id=data["placement"].pk if data["placement"] else None,
                ),
                now=timezone.now(),
            )
        except services.PlacementFull as full:
            form.add_error("placement", str(full))
        else:
            messages.success(request, _("Palvelu aloitettu."))
            return _to_client(client.pk)
    return _form_page(request, form, _("Uusi palvelujakso"), client)


@require_http_methods(["GET", "POST"])
@actor_view
def episode_end(
    request: HttpRequest, actor: Actor, client_id: int, episode_id: int
) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_SERVICES)
    client = _client(actor, client_id, "services:episode_end")
    episode = selectors.episode_get(client=client, episode_id=episode_id)
    form = EpisodeEndForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.episode_end(
                actor=actor,
                client_id=client.pk,
                episode_id=episode.pk,
                now=timezone.now(),
                **form.cleaned_data,
            )
        except ValueError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Palvelujakso päätetty."))
            return _to_client(client.pk)
    return _form_page(
        request,
        form,
        _("Päätä palvelujakso: %(name)s") % {"name": episode.service_type.name},
        client,
    )


# ---------------------------------------------------------------- KTT contracts


@require_http_methods(["GET", "POST"])
@actor_view
def contract_create(request: HttpRequest, actor: Actor, client_id: int) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_SERVICES)
    client = _client(actor, client_id, "services:contract_create")
    counsellors = selectors.notice_recipients(actor=actor)
    initial: dict[str, object] = {"days_per_week": 3, "hours_per_day": 4}
    if actor.user in counsellors or len(counsellors) == 1:
        initial["decider"] = actor.user if actor.user in counsellors else counsellors[0]
    form = KttContractForm(request.POST or None, initial=initial)
    places = selectors.placement_list(actor=actor, today=timezone.localdate())
    _limit(form, "placement", places.filter(active=True))
    _limit(
        form,
        "decider",
        selectors.organisation_users(actor=actor).filter(pk__in=[u.pk for u in counsellors]),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        placement: Placement = data.pop("placement")
        decider = data.pop("decider")
        try:
            contract = services.ktt_contract_create(
                actor=actor,
                client_id=client.pk,
                data=services.KttContractData(
                    placement_id=placement.pk, decider_id=decider.pk, **data
                ),
                now=timezone.now(),
            )
        except services.ContractInvalid as invalid:
            for error in invalid.errors:
                field = "placement" if error.code.startswith("company") else None
                form.add_error(field, error.message)
        except (services.PlacementFull, ValueError) as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                _("Sopimus laadittu ja lähetetty päätettäväksi: %(name)s.") % {"name": decider},
            )
            return redirect(
                "services:contract_detail", client_id=client.pk, contract_id=contract.pk
            )
    return _form_page(request, form, _("Uusi kuntouttavan työtoiminnan sopimus"), client)


@actor_view
def contract_detail(
    request: HttpRequest, actor: Actor, client_id: int, contract_id: int
) -> HttpResponse:
    client = _client(actor, client_id, "services:contract_detail")
    contract = selectors.contract_get(client=client, contract_id=contract_id)
    today = timezone.localdate()
    context = {
        "client": client,
        "contract": contract,
        "decision_form": DecisionForm(),
        "sign_form": SignForm(initial={"signed_on": today}),
        "evaluation_form": EvaluationForm(initial={"evaluated_on": today}),
        "can_decide": actor.can(Capability.DECIDE_KTT),
        "can_manage": actor.can(Capability.MANAGE_SERVICES),
    }
    return render(request, "service_episodes/contract_detail.html", context)


def _contract_step(
    request: HttpRequest, client_id: int, contract_id: int, step: object, done: str
) -> HttpResponse:
    try:
        step()  # type: ignore[operator]
    except services.ContractInvalid as invalid:
        for error in invalid.errors:
            messages.error(request, error.message)
    except ValueError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, done)
    return redirect("services:contract_detail", client_id=client_id, contract_id=contract_id)


@require_POST
@actor_view
def contract_decide(
    request: HttpRequest, actor: Actor, client_id: int, contract_id: int
) -> HttpResponse:
    policy.ensure_reachable(actor=actor, client_id=client_id, now=timezone.now())
    policy.require(actor, Capability.DECIDE_KTT)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kirjoita päätöksen perustelut."))
        return redirect("services:contract_detail", client_id=client_id, contract_id=contract_id)
    response = _contract_step(
        request,
        client_id,
        contract_id,
        lambda: services.ktt_contract_decide(
            actor=actor,
            client_id=client_id,
            contract_id=contract_id,
            decision_text=form.cleaned_data["decision_text"],
            now=timezone.now(),
        ),
        _("Päätös tehty. Sopimus palaa valmentajalle allekirjoitettavaksi."),
    )
    if not policy.reachable(actor=actor, client_id=client_id, now=timezone.now()):
        # The relationship was for the decision only: back to the worklist it came from.
        return redirect("reports:worklist")
    return response


def _dated_step(
    request: HttpRequest,
    actor: Actor,
    client_id: int,
    contract_id: int,
    form: DatedForm,
    step: Callable[..., object],
    done: str,
) -> HttpResponse:
    """A POST that records one dated step of a contract (signing, the final evaluation).

    The step's date is the form's first field; an invalid form records nothing and says why.
    """
    policy.require(actor, Capability.MANAGE_SERVICES)
    policy.ensure_reachable(actor=actor, client_id=client_id, now=timezone.now())
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{form.fields[field].label}: {error}")
        return redirect("services:contract_detail", client_id=client_id, contract_id=contract_id)
    name = next(iter(form.fields))
    return _contract_step(
        request,
        client_id,
        contract_id,
        lambda: step(
            actor=actor,
            client_id=client_id,
            contract_id=contract_id,
            now=timezone.now(),
            **{name: form.cleaned_data[name]},
        ),
        done,
    )


@require_POST
@actor_view
def contract_sign(
    request: HttpRequest, actor: Actor, client_id: int, contract_id: int
) -> HttpResponse:
    return _dated_step(
        request,
        actor,
        client_id,
        contract_id,
        SignForm(request.POST),
        services.ktt_contract_sign,
        _("Sopimus allekirjoitettu; seurantatapaamiset ja loppuarviointi on aikataulutettu."),
    )


@require_POST
@actor_view
def contract_evaluate(
    request: HttpRequest, actor: Actor, client_id: int, contract_id: int
) -> HttpResponse:
    return _dated_step(
        request,
        actor,
        client_id,
        contract_id,
        EvaluationForm(request.POST),
        services.ktt_final_evaluation_record,
        _("Loppuarviointi kirjattu."),
    )


@require_http_methods(["GET", "POST"])
@actor_view
def contract_extend(
    request: HttpRequest, actor: Actor, client_id: int, contract_id: int
) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_SERVICES)
    client = _client(actor, client_id, "services:contract_extend")
    contract = selectors.contract_get(client=client, contract_id=contract_id)
    form = ExtendForm(
        request.POST or None, initial={"version": contract.version, "new_end": contract.end}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.ktt_contract_extend(
                actor=actor,
                client_id=client.pk,
                contract_id=contract.pk,
                version=form.cleaned_data["version"],
                new_end=form.cleaned_data["new_end"],
                now=timezone.now(),
            )
        except services.EditConflict as clash:
            keep_typed(form, clash.current.version)
            form.add_error(None, str(clash))
        except services.ContractInvalid as invalid:
            for error in invalid.errors:
                form.add_error("new_end", error.message)
        except ValueError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Sopimusta jatkettu."))
            return redirect(
                "services:contract_detail", client_id=client.pk, contract_id=contract.pk
            )
    return _form_page(request, form, _("Jatka sopimusta"), client, contract=contract)


@require_http_methods(["GET", "POST"])
@actor_view
def contract_interrupt(
    request: HttpRequest, actor: Actor, client_id: int, contract_id: int
) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_SERVICES)
    client = _client(actor, client_id, "services:contract_interrupt")
    contract = selectors.contract_get(client=client, contract_id=contract_id)
    form = InterruptForm(
        request.POST or None,
        initial={
            "version": contract.version,
            "interrupted_on": timezone.localdate(),
            "recipient": contract.decided_by_id,
        },
    )
    recipients = [user.pk for user in selectors.notice_recipients(actor=actor)]
    _limit(form, "recipient", selectors.organisation_users(actor=actor).filter(pk__in=recipients))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        data["recipient_id"] = data.pop("recipient").pk
        try:
            services.ktt_contract_interrupt(
                actor=actor,
                client_id=client.pk,
                contract_id=contract.pk,
                version=version,
                data=services.InterruptionData(**data),
                now=timezone.now(),
            )
        except services.EditConflict as clash:
            keep_typed(form, clash.current.version)
            form.add_error(None, str(clash))
        except ValueError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Työtoiminta keskeytetty ja ilmoitus lähetetty."))
            return redirect(
                "services:contract_detail", client_id=client.pk, contract_id=contract.pk
            )
    return _form_page(
        request, form, _("Keskeytä kuntouttava työtoiminta"), client, contract=contract
    )


# ---------------------------------------------------------------- attendance


def _week(request: HttpRequest) -> date:
    form = WeekForm(request.POST if request.method == "POST" else request.GET)
    return (form.cleaned_data["week"] if form.is_valid() else None) or timezone.localdate()


@dataclass(frozen=True)
class _WeekNotSaved:
    """A week grid that was not saved: the marks as typed and why."""

    submitted: dict[str, services.Cell]
    conflicts: tuple[services.CellConflict, ...] = ()
    refused: services.AttendanceRefused | None = None


def _as_typed(
    cells: list[services.Cell], versions: dict[tuple[int, date], int]
) -> dict[str, services.Cell]:
    return {
        f"{cell.client_id}_{cell.day:%Y%m%d}": services.Cell(
            cell.client_id,
            cell.day,
            cell.status,
            cell.reason,
            versions.get((cell.client_id, cell.day), cell.version),
        )
        for cell in cells
    }


def _save_week(
    request: HttpRequest,
    actor: Actor,
    grid: selectors.AttendanceGrid,
    now: datetime,
    placement: Placement | None,
    group: Group | None,
) -> HttpResponse | _WeekNotSaved:
    cells, full = grid_cells(grid, request.POST)
    try:
        changed = services.attendance_record(
            actor=actor,
            cells=cells,
            now=now,
            placement_id=placement.pk if placement else None,
            group_id=group.pk if group else None,
        )
    except services.AttendanceConflict as clash:
        # Keep what was typed; the shown versions become the saved ones, so saving
        # again knowingly replaces the other instructor's marks.
        saved = {(c.client_id, c.day): c.saved_version for c in clash.conflicts}
        return _WeekNotSaved(_as_typed(cells, saved), conflicts=clash.conflicts)
    except services.AttendanceRefused as refused:
        return _WeekNotSaved(_as_typed(cells, {}), refused=refused)
    messages.success(request, _("Läsnäolot tallennettu (%(count)d muutosta).") % {"count": changed})
    if full:
        messages.warning(
            request,
            _(
                "Kaikki läsnä jätti merkitsemättä nämä, koska sopimuksen mukaiset päivät "
                "viikossa on jo merkitty: %(names)s"
            )
            % {"names": ", ".join(full)},
        )
    return redirect(f"{request.path}?week={grid.week_start.isoformat()}")


def _refusals(refused: services.AttendanceRefused | None, names: dict[int, str]) -> list[str]:
    if refused is None:
        return []
    future = [
        _("%(name)s %(day)s: päivä ei ole vielä tullut. Läsnäolo merkitään päivän jälkeen.")
        % {"name": names.get(cell.client_id, ""), "day": selectors.day_label(cell.day)}
        for cell in refused.future
    ]
    over = [
        _(
            "%(name)s: sopimuksen mukaan %(allowed)d päivää viikossa, mutta läsnäolopäiviä "
            "olisi %(marked)d viikolla %(start)s–%(end)s. Merkitse ylimääräinen päivä "
            "poissaoloksi tai tyhjäksi, tai muuta sopimusta."
        )
        % {
            "name": names.get(week.client_id, ""),
            "allowed": week.allowed,
            "marked": week.marked,
            "start": f"{week.week_start.day}.{week.week_start.month}.",
            "end": selectors.format_day(week.week_start + timedelta(days=4)),
        }
        for week in refused.over_limit
    ]
    return future + over


def _attendance(
    request: HttpRequest,
    actor: Actor,
    *,
    placement: Placement | None = None,
    group: Group | None = None,
) -> HttpResponse:
    now = timezone.now()
    week = _week(request)
    grid = selectors.attendance_grid(
        actor=actor, week=week, now=now, placement=placement, group=group
    )
    not_saved = _WeekNotSaved({})
    if request.method == "POST":
        outcome = _save_week(request, actor, grid, now, placement, group)
        if isinstance(outcome, HttpResponse):
            return outcome
        not_saved = outcome
    submitted = not_saved.submitted
    names = {row.client.pk: row.label for row in grid.rows}
    rows = [
        {
            "label": row.label,
            "client": row.client,
            "days_allowed": row.days_allowed,
            "cells": [
                {
                    "key": cell.key,
                    "label": f"{row.label} {selectors.day_label(cell.day)}",
                    "future": cell.future,
                    "status": submitted[cell.key].status if cell.key in submitted else cell.status,
                    "reason": submitted[cell.key].reason if cell.key in submitted else cell.reason,
                    "version": submitted[cell.key].version
                    if cell.key in submitted
                    else cell.version,
                }
                for cell in row.cells
            ],
        }
        for row in grid.rows
    ]
    context = {
        "grid": grid,
        "rows": rows,
        "placement": placement,
        "group": group,
        "statuses": AttendanceStatus.choices,
        "conflicts": [
            {
                "name": names.get(c.client_id, ""),
                "day": selectors.day_label(c.day),
                "saved": dict(AttendanceStatus.choices).get(c.saved_status, "–"),
                "reason": c.saved_reason,
                "attempted": dict(AttendanceStatus.choices).get(c.attempted_status, "–"),
            }
            for c in not_saved.conflicts
        ],
        "refusals": _refusals(not_saved.refused, names),
        "today": grid.today,
        "day_labels": [(day, selectors.day_label(day), day > grid.today) for day in grid.days],
    }
    status = 409 if not_saved.conflicts else 422 if not_saved.refused else 200
    return render(request, "service_episodes/attendance.html", context, status=status)


@require_http_methods(["GET", "POST"])
@actor_view
def attendance_placement(request: HttpRequest, actor: Actor, placement_id: int) -> HttpResponse:
    policy.require(actor, Capability.RECORD_ATTENDANCE)
    placement = selectors.placement_get(
        actor=actor, placement_id=placement_id, today=timezone.localdate()
    )
    return _attendance(request, actor, placement=placement)


@require_http_methods(["GET", "POST"])
@actor_view
def attendance_group(request: HttpRequest, actor: Actor, group_id: int) -> HttpResponse:
    policy.require(actor, Capability.RECORD_ATTENDANCE)
    return _attendance(request, actor, group=selectors.group_get(actor=actor, group_id=group_id))


# ---------------------------------------------------------------- groups


@require_http_methods(["GET", "POST"])
@actor_view
def group_create(request: HttpRequest, actor: Actor) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_SERVICES)
    form = GroupForm(request.POST or None, initial={"started_on": timezone.localdate()})
    _limit(form, "service_type", selectors.service_types(actor=actor).filter(active=True))
    _limit(form, "instructor", selectors.organisation_users(actor=actor))
    _limit(form, "placement", selectors.placement_list(actor=actor, today=timezone.localdate()))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        group = services.group_create(
            actor=actor,
            data=services.GroupData(
                name=data["name"],
                service_type_id=data["service_type"].pk,
                instructor_id=data["instructor"].pk,
                started_on=data["started_on"],
                placement_id=data["placement"].pk if data["placement"] else None,
                description=data["description"],
            ),
            now=timezone.now(),
        )
        messages.success(request, _("Ryhmä perustettu."))
        return redirect("services:group_detail", group_id=group.pk)
    return _form_page(request, form, _("Uusi ryhmä"))


@actor_view
def group_detail(request: HttpRequest, actor: Actor, group_id: int) -> HttpResponse:
    policy.require(actor, Capability.VIEW_CLIENTS)
    group = selectors.group_get(actor=actor, group_id=group_id)
    context = {
        "group": group,
        "members": selectors.group_members(actor=actor, group=group, now=timezone.now()),
        "session_form": GroupSessionForm(initial={"day": timezone.localdate()}),
        "can_record": actor.can(Capability.RECORD_ATTENDANCE),
    }
    return render(request, "service_episodes/group_detail.html", context)


@require_POST
@actor_view
def group_session_add(request: HttpRequest, actor: Actor, group_id: int) -> HttpResponse:
    policy.require(actor, Capability.RECORD_ATTENDANCE)
    form = GroupSessionForm(request.POST)
    if form.is_valid():
        services.group_session_add(
            actor=actor, group_id=group_id, now=timezone.now(), **form.cleaned_data
        )
        messages.success(request, _("Kokoontuminen kirjattu."))
    else:
        messages.error(request, _("Anna päivä ja aihe."))
    return redirect("services:group_detail", group_id=group_id)


@require_POST
@actor_view
def group_member_add(request: HttpRequest, actor: Actor, client_id: int) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_SERVICES)
    policy.ensure_reachable(actor=actor, client_id=client_id, now=timezone.now())
    group_id = request.POST.get("group", "")
    form = GroupMemberForm({**request.POST.dict(), "client_id": client_id})
    if form.is_valid() and group_id.isdigit():
        try:
            services.group_member_add(
                actor=actor,
                group_id=int(group_id),
                client_id=client_id,
                joined_on=form.cleaned_data["joined_on"],
                now=timezone.now(),
            )
        except ValueError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("Asiakas liitetty ryhmään."))
    else:
        messages.error(request, _("Valitse ryhmä ja liittymispäivä."))
    return _to_client(client_id)


@actor_view
def certificate(request: HttpRequest, actor: Actor, client_id: int, group_id: int) -> HttpResponse:
    """The competence certificate (osaamistodistus) of a group participant as PDF."""
    client = _client(actor, client_id, "services:certificate")
    group = selectors.group_get_joined(actor=actor, group_id=group_id, client=client)
    summary = selectors.attendance_summary(
        client=client, start=group.started_on, end=group.ended_on or timezone.localdate()
    )
    content = pdf_render(
        "service_episodes/certificate_pdf.html",
        {"client": client, "group": group, "summary": summary, "today": timezone.localdate()},
    )
    return download(content, filename=f"osaamistodistus-{group.pk}-{client.pk}.pdf", mime=PDF_MIME)


# ---------------------------------------------------------------- money


def _period(request: HttpRequest) -> tuple[PeriodForm, dict[str, date] | None]:
    """The period in the address (``?period_start=1.10.2026&period_end=31.10.2026``) or,
    when none is given, last month (allowances are computed afterwards)."""
    if "period_start" not in request.GET:
        previous = PeriodForm.previous_month(timezone.localdate())
        return PeriodForm(initial=previous), previous
    form = PeriodForm(request.GET)
    return form, (form.cleaned_data if form.is_valid() else None)


def _period_query(start: date, end: date) -> str:
    return urlencode(
        {"period_start": selectors.format_day(start), "period_end": selectors.format_day(end)}
    )


@actor_view
def allowance_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The clerk's expense allowances: every KTT participant of a period, from attendance."""
    policy.require(actor, Capability.MANAGE_CLAIMS)
    form, period = _period(request)
    rows = (
        selectors.allowance_participants(
            actor=actor, start=period["period_start"], end=period["period_end"], now=timezone.now()
        )
        if period
        else []
    )
    context = {
        "form": form,
        "rows": rows,
        "period": period,
        "query": _period_query(period["period_start"], period["period_end"]) if period else "",
    }
    return render(request, "service_episodes/allowance_list.html", context)


@require_http_methods(["GET", "POST"])
@actor_view
def allowance_create(request: HttpRequest, actor: Actor, client_id: int) -> HttpResponse:
    """One participant's kulukorvaus or toimintaraha for a period, with travel costs.

    Another organisation's client is 404 before the role is checked, as everywhere.
    """
    client = selectors.allowance_client_get(actor=actor, client_id=client_id, now=timezone.now())
    _form, period = _period(request)
    period = period or PeriodForm.previous_month(timezone.localdate())
    form = AllowanceForm(request.POST or None, initial=period)
    if request.method == "POST" and form.is_valid():
        try:
            statement = services.allowance_record(
                actor=actor, client_id=client.pk, now=timezone.now(), **form.cleaned_data
            )
        except ValueError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                _("%(kind)s laskettu: %(name)s, %(days)d pv, yhteensä %(total)s €.")
                % {
                    "kind": statement.get_kind_display(),
                    "name": client.full_name,
                    "days": statement.days,
                    "total": formats.number_format(statement.total, 2, force_grouping=True),
                },
            )
            query = _period_query(statement.period_start, statement.period_end)
            return redirect(f"{reverse('services:allowance_list')}?{query}")
    context = {
        "form": form,
        "client": client,
        "period": period,
        "days": selectors.allowance_days(
            client=client, start=period["period_start"], end=period["period_end"]
        ),
        "back": f"{reverse('services:allowance_list')}?"
        + _period_query(period["period_start"], period["period_end"]),
    }
    return render(request, "service_episodes/allowance_form.html", context)


@require_http_methods(["GET", "POST"])
@actor_view
def claim_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_CLAIMS)
    form = PeriodForm(request.POST or None, initial=PeriodForm.previous_month(timezone.localdate()))
    if request.method == "POST" and form.is_valid():
        try:
            claim = services.claim_create(actor=actor, now=timezone.now(), **form.cleaned_data)
        except ValueError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Tilityshakemus laadittu."))
            return redirect("services:claim_detail", claim_id=claim.pk)
    return render(
        request,
        "service_episodes/claim_list.html",
        {"form": form, "claims": selectors.claim_list(actor=actor)},
    )


@actor_view
def claim_detail(request: HttpRequest, actor: Actor, claim_id: int) -> HttpResponse:
    claim, lines = selectors.claim_get(
        actor=actor, claim_id=claim_id, now=timezone.now(), view="services:claim_detail"
    )
    context = {"claim": claim, "lines": lines, "rates": selectors.claim_rates(claim=claim)}
    return render(request, "service_episodes/claim_detail.html", context)


@actor_view
def claim_pdf(request: HttpRequest, actor: Actor, claim_id: int) -> HttpResponse:
    return exports.ktt_claim_pdf(actor, {"claim": str(claim_id)}, no_progress).response()


@actor_view
def claim_xlsx(request: HttpRequest, actor: Actor, claim_id: int) -> HttpResponse:
    return exports.ktt_claim_xlsx(actor, {"claim": str(claim_id)}, no_progress).response()
