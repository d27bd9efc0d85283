"""Writes of the share-list work: imports, the monthly meeting's assignments, contacts."""

import hashlib
import tempfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import IO, Any

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
    SHARE_LIST_PREVIEW_EXPIRED,
    SHARE_LIST_REVIEW_ASSIGNED,
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
from polku.sharelist.importer import RowError, Unreadable, Validated, header_check, validate
from polku.sharelist.models import (
    ColumnMapping,
    ContactAttempt,
    ContactOwner,
    ShareListImport,
    ShareListImportPart,
    ShareListRow,
)
from polku.sharelist.selectors import UnknownMapping, mapping_get

DEFAULT_MAPPING = "polku"
LIST_NOTE = "kuntaosuuslista"


class AssignRefused(ValueError):
    """The monthly meeting's assignment is not the actor's to make (nothing changed)."""


class ImportNotPending(ValueError):
    """The import is not waiting for a confirmation (running, confirmed or gone)."""


class UploadRefused(ValueError):
    """The upload is not a share list at all (a PDF, an image) or too large."""


class ConfirmationNeeded(ValueError):
    """Confirming needs a tick the user did not give; nothing changed, the preview stays."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


# A list with fewer persons than this share of the previous month's is probably cut
# short (a partial export): the preview warns and confirming needs a tick.
SMALL_LIST_SHARE = 0.5
PART_BYTES = 1024 * 1024


def _summary(
    validated: Validated,
    *,
    rejected: bool,
    imported: int = 0,
    unchanged: int = 0,
    new_clients: int = 0,
) -> dict[str, Any]:
    """CONTRACTS.md §3's summary; ``errors`` holds the first 1,000, ``error_count`` and
    ``error_counts`` (by code) count them all."""
    errors = validated.errors
    return {
        "rows": validated.rows,
        "imported": imported,
        "unchanged": unchanged,
        "new_clients": new_clients,
        "rejected": rejected,
        "errors": [error.as_dict() for error in errors.kept],
        "error_count": errors.total,
        "error_counts": dict(sorted(errors.counts.items())),
    }


def _remove_duplicates(validated: Validated) -> None:
    found, count = merge.duplicates_remove(validated.repeats)
    if count:
        validated.errors.merge_sorted(
            [
                RowError(
                    duplicate.row,
                    None,
                    "duplicate_row",
                    _("Sama maksu on jo rivillä %(row)d.") % {"row": duplicate.first_row},
                )
                for duplicate in found
            ],
            {"duplicate_row": count},
        )
        validated.valid_rows -= count


def _filename(name: str) -> str:
    """The file's own name as shown in lists: no path, no control characters (PostgreSQL
    cannot store NUL), at most 200 characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(character for character in base if character.isprintable())[:200]


def _lock_imports(organisation_id: int) -> None:
    """One import at a time per organisation (two would race for the same new clients).
    ``no_key``: rows that only refer to the organisation are not held up."""
    list(
        Organisation.objects.select_for_update(no_key=True)
        .filter(pk=organisation_id)
        .values_list("pk")
    )


def _finish(
    *, job: ShareListImport, summary: dict[str, Any], user: User | None, now: datetime
) -> None:
    job.summary = summary
    job.status = ShareListImport.Status.DONE
    job.progress = 100
    job.finished_at = now
    job.save(update_fields=["summary", "status", "progress", "finished_at"])
    job.parts.all().delete()
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
    source: IO[bytes] | bytes,
    filename: str,
    accept_valid: bool,
    dry_run: bool,
    now: datetime,
) -> dict[str, Any]:
    """Import a list file in one go (CONTRACTS.md §3); the summary as a dict.

    ``actor`` is None on the command line (the operator runs it for ``organisation``);
    through the API the actor's organisation and capability decide. ``source`` is read
    as a stream (a file or bytes).

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
    _lock_imports(organisation.pk)
    with merge.staging(stream=True) as stage:
        validated = validate(source, mapping.aliases, stage.add)
    if not validated.fatal:
        _remove_duplicates(validated)
    if validated.fatal or (validated.errors.total and not accept_valid):
        merge.drop()
        return _summary(validated, rejected=True)
    if dry_run:
        outlook = merge.outlook(organisation_id=organisation.pk, months=sorted(validated.months))
        merge.drop()
        return _summary(
            validated,
            rejected=False,
            imported=outlook.imported,
            unchanged=validated.valid_rows - outlook.imported,
            new_clients=outlook.new_clients,
        )
    job = ShareListImport.objects.create(
        organisation=organisation,
        mapping=mapping,
        filename=_filename(filename),
        sha256="",
        status=ShareListImport.Status.IMPORTING,
        accept_valid=accept_valid,
        created_by=user,
        created_at=now,
    )
    counts = merge.merge(
        organisation_id=organisation.pk,
        months=sorted(validated.months),
        import_id=job.pk,
        actor_id=user.pk if user else None,
        now=now,
    )
    merge.drop()
    summary = _summary(
        validated,
        rejected=False,
        imported=counts.imported,
        unchanged=validated.valid_rows - counts.imported,
        new_clients=counts.new_clients,
    )
    if counts.imported or counts.new_clients:
        _finish(job=job, summary=summary, user=user, now=now)
    else:
        job.delete()
    return summary


def _mapping_for(actor: Actor, mapping_id: int) -> ColumnMapping:
    mapping = ColumnMapping.objects.filter(
        Q(organisation=actor.organisation) | Q(organisation__isnull=True), pk=mapping_id
    ).first()
    if mapping is None:
        raise UnknownMapping(_("Valitse sarakeprofiili luettelosta."))
    return mapping


@transaction.atomic
def import_upload(
    *, actor: Actor, mapping_id: int, filename: str, upload: IO[bytes], now: datetime
) -> ShareListImport:
    """Keep an uploaded list for checking in the background (``share_list_check``).

    The file is refused at once when it is plainly not a share list (a PDF, an image,
    a Word document), before any preview. It is stored in the database in parts, read
    1 MB at a time; unless imported, retention purges it (``share_list_previews_purge``).

    Raises:
        UploadRefused: not a share list.
        UnknownMapping: not a column profile of the organisation.
    """
    policy.require(actor, Capability.IMPORT_SHARE_LIST)
    mapping = _mapping_for(actor, mapping_id)
    try:
        header_check(upload, mapping.aliases)
    except Unreadable as refused:
        raise UploadRefused(str(refused)) from refused
    job = ShareListImport.objects.create(
        organisation=actor.organisation,
        mapping=mapping,
        filename=_filename(filename),
        sha256="",
        status=ShareListImport.Status.CHECKING,
        created_by=actor.user,
        created_at=now,
    )
    digest = hashlib.sha256()
    upload.seek(0)
    index = 0
    while data := upload.read(PART_BYTES):
        digest.update(data)
        ShareListImportPart.objects.create(
            job=job, kind=ShareListImportPart.Kind.UPLOAD, index=index, data=data
        )
        index += 1
    job.sha256 = digest.hexdigest()
    job.save(update_fields=["sha256"])
    audit.record(
        event=SHARE_LIST_CHECKED,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=job,
        changes={"status": [None, job.status], "sha256": [None, job.sha256]},
    )
    transaction.on_commit(partial(_enqueue, "share_list_check", job.pk))
    return job


def _enqueue(task_name: str, job_id: int) -> None:
    from polku.sharelist import tasks  # the tasks call these services back

    getattr(tasks, task_name).enqueue(job_id=job_id)


def _progress(job_id: int, percent: int) -> None:
    ShareListImport.objects.filter(pk=job_id).update(progress=percent)


def _uploaded_file(job: ShareListImport) -> IO[bytes]:
    """The upload reassembled in a temporary file, one part in memory at a time."""
    file = tempfile.TemporaryFile()  # noqa: SIM115 - the caller closes it
    parts = job.parts.filter(kind=ShareListImportPart.Kind.UPLOAD).order_by("index")
    for part_id in parts.values_list("pk", flat=True):
        file.write(
            bytes(ShareListImportPart.objects.values_list("data", flat=True).get(pk=part_id))
        )
    file.seek(0)
    return file


class _RowParts:
    """Keeps the valid rows as compressed CSV parts of the import, for the confirmation."""

    def __init__(self, job: ShareListImport, stage: merge.Stage) -> None:
        self.job = job
        self.stage = stage
        self.index = 0

    def add(self, frame: Any) -> None:
        self.stage.add(frame)
        ShareListImportPart.objects.create(
            job=self.job,
            kind=ShareListImportPart.Kind.ROWS,
            index=self.index,
            data=zlib.compress(merge.csv_bytes(frame), 1),
        )
        self.index += 1


def import_check(*, job_id: int, now: datetime) -> None:
    """The background check of an upload: read and validate it, keep its valid rows, and
    work out what confirming would do (new clients, rows to write, a list much smaller
    than last month's). Progress is written as it goes (autocommit, so the page sees it).
    """
    job = (
        ShareListImport.objects.select_related("mapping", "organisation", "created_by")
        .filter(pk=job_id, status=ShareListImport.Status.CHECKING)
        .first()
    )
    if job is None:
        return
    try:
        validated, outlook = _check_upload(job)
    except Exception:
        ShareListImport.objects.filter(pk=job.pk).update(status=ShareListImport.Status.FAILED)
        job.parts.all().delete()
        raise
    summary = _summary(
        validated,
        rejected=validated.fatal or bool(validated.errors.total),
        imported=outlook.imported if outlook else 0,
        unchanged=validated.valid_rows - outlook.imported if outlook else 0,
        new_clients=outlook.new_clients if outlook else 0,
    )
    summary.update(
        columns=validated.columns,
        preview=validated.preview,
        fatal=validated.fatal,
        months=[month.isoformat() for month in sorted(validated.months)],
    )
    if outlook is not None:
        summary.update(
            month=outlook.month.isoformat() if outlook.month else None,
            persons=outlook.persons,
            previous_persons=outlook.previous_persons,
            small=outlook.persons < SMALL_LIST_SHARE * outlook.previous_persons,
        )
    with transaction.atomic():
        job.summary = summary
        job.status = ShareListImport.Status.PREVIEW
        job.progress = 100
        job.save(update_fields=["summary", "status", "progress"])
        job.parts.filter(kind=ShareListImportPart.Kind.UPLOAD).delete()
        if validated.fatal:
            job.parts.all().delete()
        audit.record(
            event=SHARE_LIST_CHECKED,
            at=now,
            actor=job.created_by,
            organisation=job.organisation,
            target=job,
            changes={
                "status": [ShareListImport.Status.CHECKING, job.status],
                "rows": [None, summary["rows"]],
            },
        )


def _check_upload(job: ShareListImport) -> tuple[Validated, merge.Outlook | None]:
    with _uploaded_file(job) as file, merge.staging(stream=False) as stage:
        parts = _RowParts(job, stage)
        validated = validate(
            file,
            job.mapping.aliases,
            parts.add,
            progress=lambda share: _progress(job.pk, int(90 * share)),
        )
    outlook = None
    if not validated.fatal:
        with transaction.atomic():
            _remove_duplicates(validated)
            outlook = merge.outlook(
                organisation_id=job.organisation_id, months=sorted(validated.months)
            )
    merge.drop()
    return validated, outlook


@transaction.atomic
def import_confirm(
    *, actor: Actor, job_id: int, accept_valid: bool, small_list_checked: bool, now: datetime
) -> ShareListImport:
    """Start importing a checked file (``share_list_apply``): all of it, or only its
    valid rows when ``accept_valid``.

    Nothing changes when a needed tick is missing: the preview stays for another try.

    Raises:
        ImportNotPending: the import is not waiting for a confirmation.
        ConfirmationNeeded: the file has errors and the valid rows were not accepted, or
            the list is much smaller than last month's and that was not acknowledged.
    """
    policy.require(actor, Capability.IMPORT_SHARE_LIST)
    job = (
        ShareListImport.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .filter(pk=job_id, organisation=actor.organisation)
        .first()
    )
    if job is None:
        raise Http404(_("Tuontia ei löydy."))
    if job.status != ShareListImport.Status.PREVIEW:
        raise ImportNotPending(_("Tämä tiedosto on jo käsitelty tai käsittely on kesken."))
    if job.summary.get("fatal"):
        raise ImportNotPending(_("Tiedostoa ei voi tuoda: lataa korjattu tiedosto."))
    if job.summary.get("error_count") and not accept_valid:
        raise ConfirmationNeeded(
            _(
                "Tiedostossa on virheellisiä rivejä. Valitse ”Tuo kelvolliset rivit” tai lataa "
                "korjattu tiedosto."
            ),
            field="accept_valid",
        )
    if job.summary.get("small") and not small_list_checked:
        raise ConfirmationNeeded(
            _(
                "Lista on paljon edellistä kuukautta lyhyempi. Vahvista, että tiedosto on "
                "koko lista."
            ),
            field="small_list_checked",
        )
    job.accept_valid = accept_valid
    job.status = ShareListImport.Status.IMPORTING
    job.progress = 0
    job.save(update_fields=["accept_valid", "status", "progress"])
    audit.record(
        event=SHARE_LIST_IMPORTED,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=job,
        changes={"status": [ShareListImport.Status.PREVIEW, job.status]},
    )
    transaction.on_commit(partial(_enqueue, "share_list_apply", job.pk))
    return job


def import_apply(*, job_id: int, now: datetime) -> None:
    """The background import of a confirmed file: its checked rows, all or nothing.

    Loading the rows into the staging table reports progress; the merge itself is one
    transaction. If it fails, nothing was written and the preview waits again.
    """
    job = (
        ShareListImport.objects.select_related("organisation", "created_by")
        .filter(pk=job_id, status=ShareListImport.Status.IMPORTING)
        .first()
    )
    if job is None:
        return
    try:
        counts = _apply(job, now)
    except Exception:
        ShareListImport.objects.filter(pk=job.pk).update(
            status=ShareListImport.Status.PREVIEW, progress=0
        )
        raise
    finally:
        merge.drop()
    summary = dict(job.summary)
    summary.update(
        imported=counts.imported,
        unchanged=max(summary["imported"] + summary["unchanged"] - counts.imported, 0),
        new_clients=counts.new_clients,
        rejected=False,
    )
    summary.pop("preview", None)
    with transaction.atomic():
        _finish(job=job, summary=summary, user=job.created_by, now=now)


def _apply(job: ShareListImport, now: datetime) -> merge.MergeCounts:
    """Stage the checked rows part by part (progress to 60 %), then merge them."""
    parts = job.parts.filter(kind=ShareListImportPart.Kind.ROWS).order_by("index")
    part_ids = list(parts.values_list("pk", flat=True))
    with merge.staging(stream=False) as stage:
        for done, part_id in enumerate(part_ids, start=1):
            data = ShareListImportPart.objects.values_list("data", flat=True).get(pk=part_id)
            stage.add_csv(zlib.decompress(bytes(data)))
            _progress(job.pk, 60 * done // len(part_ids))
    with transaction.atomic():
        _lock_imports(job.organisation_id)
        if job.summary["error_counts"].get("duplicate_row"):
            merge.duplicates_remove(None)  # the parts were kept before repeats were known
        return merge.merge(
            organisation_id=job.organisation_id,
            months=[date.fromisoformat(month) for month in job.summary["months"]],
            import_id=job.pk,
            actor_id=job.created_by_id,
            now=now,
        )


@transaction.atomic
def share_list_previews_purge(
    *, organisation: Organisation, uploaded_before: datetime, now: datetime, dry_run: bool = False
) -> int:
    """Retention of unfinished imports (``apply_retention``, period ``import_preview``): an
    import uploaded before ``uploaded_before`` and still being checked, previewed, refused,
    failed or stuck loses its stored file, rows and first rows (identity codes and names)
    and is marked expired; the import itself stays in the list. Idempotent.
    Returns how many were (``dry_run``: would be) purged."""
    expired = list(
        ShareListImport.objects.select_for_update()
        .filter(organisation=organisation, created_at__lt=uploaded_before)
        .exclude(status__in=[ShareListImport.Status.DONE, ShareListImport.Status.EXPIRED])
        .defer("summary")
    )
    if dry_run:
        return len(expired)
    for job in expired:
        previous = job.status
        job.parts.all().delete()
        ShareListImport.objects.filter(pk=job.pk).update(
            status=ShareListImport.Status.EXPIRED, summary={}
        )
        audit.record(
            event=SHARE_LIST_PREVIEW_EXPIRED,
            at=now,
            actor=None,
            organisation=organisation,
            target=job,
            changes={"status": [previous, ShareListImport.Status.EXPIRED]},
        )
    return len(expired)


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
    reassign: bool = False,
) -> int:
    """The monthly meeting: give the chosen persons on the list a worker and/or a contact.

    Only persons on a list of the actor's organisation can be chosen; persons whose
    processing is restricted (GDPR art. 18) are skipped. The lead of the meeting
    (``ASSIGN_FROM_SHARE_LIST``) may assign anyone on the list; another worker only
    persons they already work with (no break-glass). Nobody silently pushes out another
    worker: replacing someone else's assignment needs the lead and an explicit
    ``reassign``. One history row per person says who decided and what it replaced.
    Returns how many persons were handled.

    Raises:
        NotAWorker: a chosen worker holds no caseworker role in the organisation.
        AssignRefused: a chosen person is not the actor's to assign, or another worker
            already holds the assignment and no lead reassigns it; nothing changed.
    """
    policy.require(actor, Capability.REVIEW_SHARE_LIST)
    if worker_id is not None:
        policy.require(actor, Capability.ASSIGN_RESPONSIBLE_WORKER)
    leads = actor.can(Capability.ASSIGN_FROM_SHARE_LIST)
    worker = _worker(actor, worker_id) if worker_id is not None else None
    owner = _worker(actor, contact_owner_id) if contact_owner_id is not None else None
    on_list = ShareListRow.objects.filter(organisation=actor.organisation).values("client_id")
    clients = list(
        policy.clients_in_organisation(actor)
        .filter(pk__in=client_ids)
        .filter(pk__in=on_list, processing_restricted_on__isnull=True)
        .select_for_update()
    )
    owners = dict(
        ContactOwner.objects.filter(client__in=clients).values_list("client_id", "worker_id")
    )
    for client in clients:
        if not leads and not policy.works_with(actor, client):
            raise AssignRefused(
                _(
                    "Voit sopia vastuutyöntekijän tai yhteydenottajan vain henkilölle, jonka "
                    "asiakassuhteessa olet. Muille sen sopii vastaava työ- ja yksilövalmentaja."
                )
            )
        replaces = _replaces_other(client.responsible_worker_id, worker, actor) or (
            _replaces_other(owners.get(client.pk), owner, actor)
        )
        if replaces and not (leads and reassign):
            raise AssignRefused(
                _(
                    "Valitulla henkilöllä on jo toinen vastuutyöntekijä tai yhteydenottaja. "
                    "Vain vastaava työ- ja yksilövalmentaja voi vaihtaa sen, ja vain "
                    "valitsemalla nimenomaan nykyisen vaihtamisen."
                )
            )
        before = {
            "responsible_worker": client.responsible_worker_id,
            "contact_owner": owners.get(client.pk),
        }
        if worker is not None and client.responsible_worker_id != worker.pk:
            _assign_worker(actor=actor, client=client, worker=worker, now=now)
        if owner is not None:
            _set_contact_owner(actor=actor, client=client, owner=owner, now=now)
        after = {
            "responsible_worker": client.responsible_worker_id,
            "contact_owner": owner.pk if owner is not None else owners.get(client.pk),
        }
        changes = audit.changes_between(before, after)
        if changes:
            reason = "reassigned_by_lead" if replaces else "monthly_review"
            audit.record(
                event=SHARE_LIST_REVIEW_ASSIGNED,
                at=now,
                actor=actor.user,
                organisation=actor.organisation,
                target=client,
                client_id=client.pk,
                changes={**changes, "reason": [None, reason]},
            )
    return len(clients)


def _replaces_other(current: int | None, chosen: User | None, actor: Actor) -> bool:
    """Would choosing ``chosen`` end another worker's (not the actor's own) assignment?"""
    return chosen is not None and current not in (None, chosen.pk, actor.user.pk)


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
