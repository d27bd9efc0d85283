"""Writes of the share-list work: imports, the monthly meeting's assignments, contacts."""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from polku.access import policy
from polku.accounts.models import Organisation, User
from polku.accounts.roles import Actor, Capability
from polku.audit import services as audit
from polku.audit.events import (
    SHARE_LIST_CHECKED,
    SHARE_LIST_CONTACT_OWNER_ASSIGNED,
    SHARE_LIST_CONTACT_RECORDED,
    SHARE_LIST_IMPORTED,
)
from polku.clients.models import CareAssignment, Client
from polku.clients.selectors import responsible_worker_candidates
from polku.clients.services import (
    NotAWorker,
    _assign_worker,  # the list gives the meeting the right to assign (SPEC C7)
    care_assignment_end,
    care_assignment_start,
)
from polku.sharelist import merge
from polku.sharelist.importer import validate
from polku.sharelist.models import (
    ColumnMapping,
    ContactAttempt,
    ContactOwner,
    ShareListImport,
    ShareListRow,
)
from polku.sharelist.selectors import UnknownMapping, mapping_get

DEFAULT_MAPPING = "polku"
LIST_NOTE = "kuntaosuuslista"


class ImportNotPending(ValueError):
    """The import was already confirmed or rejected."""


def _empty_summary(rows: int, errors: list[dict[str, Any]], rejected: bool) -> dict[str, Any]:
    return {
        "rows": rows,
        "imported": 0,
        "unchanged": 0,
        "new_clients": 0,
        "rejected": rejected,
        "errors": errors,
    }


def _run(
    *,
    organisation: Organisation,
    mapping: ColumnMapping,
    content: bytes,
    accept_valid: bool,
    dry_run: bool,
    job: ShareListImport | None,
    user: User | None,
    now: datetime,
) -> tuple[dict[str, Any], ShareListImport | None]:
    given_job = job
    with transaction.atomic():
        if job is None and not dry_run:  # rolled back with everything else if rejected
            job = ShareListImport.objects.create(
                organisation=organisation,
                mapping=mapping,
                filename="",
                sha256=hashlib.sha256(content).hexdigest(),
                accept_valid=accept_valid,
                created_by=user,
                created_at=now,
            )
        merger = merge.Merger(
            organisation_id=organisation.pk,
            import_id=None if dry_run or job is None else job.pk,
            actor_id=user.pk if user else None,
            now=now,
        )
        with merger:
            validated = validate(content, mapping.aliases, merger.add)
            errors = [error.as_dict() for error in validated.errors]
            rejected = validated.fatal or (bool(errors) and not accept_valid)
            if rejected:
                merger.stop()
            counts = merger.finish()
        summary = _empty_summary(validated.rows, errors, rejected)
        if rejected or dry_run:
            transaction.set_rollback(True)
        if rejected:
            return summary, given_job
    summary["imported"] = counts.imported
    summary["unchanged"] = validated.valid_rows - counts.imported
    summary["new_clients"] = counts.new_clients
    return summary, job


def _finish(
    *, job: ShareListImport, summary: dict[str, Any], user: User | None, now: datetime
) -> None:
    job.summary = summary
    job.status = ShareListImport.Status.DONE
    job.content = b""
    job.finished_at = now
    job.save(update_fields=["summary", "status", "content", "finished_at"])
    audit.record(
        event=SHARE_LIST_IMPORTED,
        at=now,
        actor=user,
        organisation=job.organisation,
        target=job,
        changes={
            key: [None, summary[key]] for key in ("rows", "imported", "unchanged", "new_clients")
        },
    )


@transaction.atomic
def share_list_import(
    *,
    organisation: Organisation,
    mapping_name: str,
    actor: Actor | None = None,
    content: bytes,
    filename: str,
    accept_valid: bool,
    dry_run: bool,
    now: datetime,
) -> dict[str, Any]:
    """Import a list file in one go (CONTRACTS.md §3); the summary as a dict.

    ``actor`` is None on the command line (the operator runs it for ``organisation``);
    through the API the actor's organisation and capability decide.

    All or nothing: a rejected file, a dry run or an interruption writes nothing, and
    a file whose rows are all unchanged leaves no trace either (not even a run record).

    Raises:
        UnknownMapping: no such column profile.
    """
    user = None
    if actor is not None:
        policy.require(actor, Capability.IMPORT_SHARE_LIST)
        organisation, user = actor.organisation, actor.user
    mapping = mapping_get(organisation=organisation, name=mapping_name)
    summary, job = _run(
        organisation=organisation,
        mapping=mapping,
        content=content,
        accept_valid=accept_valid,
        dry_run=dry_run,
        job=None,
        user=user,
        now=now,
    )
    if job is not None:
        if summary["imported"] or summary["new_clients"]:
            job.filename = filename[:200]
            _finish(job=job, summary=summary, user=user, now=now)
        else:
            job.delete()
    return summary


@transaction.atomic
def import_preview(
    *, actor: Actor, mapping_id: int, filename: str, content: bytes, now: datetime
) -> ShareListImport:
    """Keep the uploaded file and validate it with a dry run; nothing is imported yet."""
    policy.require(actor, Capability.IMPORT_SHARE_LIST)
    mapping = ColumnMapping.objects.filter(
        Q(organisation=actor.organisation) | Q(organisation__isnull=True), pk=mapping_id
    ).first()
    if mapping is None:
        raise UnknownMapping(_("Valitse sarakeprofiili luettelosta."))
    job = ShareListImport.objects.create(
        organisation=actor.organisation,
        mapping=mapping,
        filename=filename[:200],
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        created_by=actor.user,
        created_at=now,
    )
    summary, _job = _run(
        organisation=actor.organisation,
        mapping=mapping,
        content=content,
        accept_valid=True,
        dry_run=True,
        job=job,
        user=actor.user,
        now=now,
    )
    summary["rejected"] = bool(summary["errors"])  # as it would be without accepting
    job.summary = summary
    job.save(update_fields=["summary"])
    audit.record(
        event=SHARE_LIST_CHECKED,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=job,
        changes={"status": [None, job.status], "rows": [None, summary["rows"]]},
    )
    return job


@transaction.atomic
def import_confirm(
    *, actor: Actor, job_id: int, accept_valid: bool, now: datetime
) -> ShareListImport:
    """Import the previewed file, all or nothing (or only its valid rows if accepted).

    Raises:
        ImportNotPending: the import was confirmed or rejected earlier.
    """
    policy.require(actor, Capability.IMPORT_SHARE_LIST)
    job = (
        ShareListImport.objects.select_for_update(of=("self",))
        .select_related("mapping", "organisation")
        .filter(pk=job_id, organisation=actor.organisation)
        .first()
    )
    if job is None:
        raise Http404(_("Tuontia ei löydy."))
    if job.status != ShareListImport.Status.PREVIEW:
        raise ImportNotPending(_("Tämä tiedosto on jo käsitelty."))
    job.accept_valid = accept_valid
    summary, _job = _run(
        organisation=actor.organisation,
        mapping=job.mapping,
        content=bytes(job.content),
        accept_valid=accept_valid,
        dry_run=False,
        job=job,
        user=actor.user,
        now=now,
    )
    if summary["rejected"]:
        job.summary = summary
        job.status = ShareListImport.Status.REJECTED
        job.content = b""
        job.finished_at = now
        job.save(update_fields=["summary", "status", "content", "finished_at", "accept_valid"])
        audit.record(
            event=SHARE_LIST_IMPORTED,
            at=now,
            actor=actor.user,
            organisation=actor.organisation,
            target=job,
            changes={"status": [ShareListImport.Status.PREVIEW, job.status]},
        )
        return job
    job.save(update_fields=["accept_valid"])
    _finish(job=job, summary=summary, user=actor.user, now=now)
    return job


def _worker(actor: Actor, worker_id: int) -> User:
    worker = responsible_worker_candidates(actor=actor).filter(pk=worker_id).first()
    if worker is None:
        raise NotAWorker(_("Valittu henkilö ei voi olla vastuutyöntekijä tässä organisaatiossa."))
    return worker


def _set_contact_owner(*, actor: Actor, client: Client, owner: User, now: datetime) -> None:
    """Make ``owner`` the contact; the care relationship (basis list) moves with it."""
    current = ContactOwner.objects.filter(client=client).first()
    previous = current.worker_id if current else None
    if previous == owner.pk:
        return
    if current is None:
        ContactOwner.objects.create(
            client=client, worker=owner, assigned_by=actor.user, assigned_on=now.date()
        )
    else:
        ContactOwner.objects.filter(pk=current.pk).update(
            worker=owner, assigned_by=actor.user, assigned_on=now.date()
        )
    for assignment in CareAssignment.objects.filter(
        client=client,
        worker_id=previous,
        basis=CareAssignment.Basis.LIST,
        note=LIST_NOTE,
        ended_on__isnull=True,
    ):
        care_assignment_end(actor=actor, assignment=assignment, now=now)
    if not CareAssignment.objects.filter(
        client=client, worker=owner, basis=CareAssignment.Basis.LIST, ended_on__isnull=True
    ).exists():
        care_assignment_start(
            actor=actor,
            client=client,
            worker=owner,
            basis=CareAssignment.Basis.LIST,
            note=LIST_NOTE,
            now=now,
        )
    audit.record(
        event=SHARE_LIST_CONTACT_OWNER_ASSIGNED,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=client,
        client_id=client.pk,
        changes={"contact_owner": [previous, owner.pk]},
    )


@transaction.atomic
def review_assign(
    *,
    actor: Actor,
    client_ids: Sequence[int],
    worker_id: int | None,
    contact_owner_id: int | None,
    now: datetime,
) -> int:
    """The monthly meeting: give the chosen persons on the list a worker and/or a contact.

    Only persons on a list of the actor's organisation can be chosen; persons whose
    processing is restricted (GDPR art. 18) are skipped. Returns how many persons were
    handled.

    Raises:
        NotAWorker: a chosen worker holds no caseworker role in the organisation.
    """
    policy.require(actor, Capability.REVIEW_SHARE_LIST)
    if worker_id is not None:
        policy.require(actor, Capability.ASSIGN_RESPONSIBLE_WORKER)
    worker = _worker(actor, worker_id) if worker_id is not None else None
    owner = _worker(actor, contact_owner_id) if contact_owner_id is not None else None
    on_list = ShareListRow.objects.filter(organisation=actor.organisation).values("client_id")
    clients = list(
        policy.clients_in_organisation(actor)
        .filter(pk__in=client_ids)
        .filter(pk__in=on_list, processing_restricted_on__isnull=True)
        .select_for_update()
    )
    for client in clients:
        if worker is not None and client.responsible_worker_id != worker.pk:
            _assign_worker(actor=actor, client=client, worker=worker, now=now)
        if owner is not None:
            _set_contact_owner(actor=actor, client=client, owner=owner, now=now)
    return len(clients)


@dataclass(frozen=True)
class ContactData:
    method: str
    result: str
    made_on: date
    note: str


@transaction.atomic
def contact_attempt_record(
    *, actor: Actor, client_id: int, data: ContactData, now: datetime
) -> ContactAttempt:
    """Record a phone call, letter or meeting with a person on the list, and its result."""
    policy.require(actor, Capability.REVIEW_SHARE_LIST)
    client = policy.client_open(actor=actor, client_id=client_id, now=now, view="sharelist:contact")
    attempt = ContactAttempt.objects.create(
        client=client,
        method=data.method,
        result=data.result,
        made_on=data.made_on,
        note=data.note,
        made_by=actor.user,
        recorded_at=now,
    )
    audit.record(
        event=SHARE_LIST_CONTACT_RECORDED,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=attempt,
        client_id=client.pk,
        changes=audit.changes_between({}, data.__dict__),
    )
    return attempt
