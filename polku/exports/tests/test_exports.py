"""Large documents made in the background (issue 19.4): queued by whoever may see them,
made as that person with the roles they hold when the job runs, downloaded only by them."""

import io
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from conftest import logged_in
from polku.accounts.models import Membership, Organisation, User
from polku.accounts.roles import Role
from polku.accounts.tests.factories import UserFactory, actor_of
from polku.audit.models import AccessLogEntry, ChangeLogEntry
from polku.clients.models import Client
from polku.clients.retention import retention_apply
from polku.exports import services
from polku.exports.models import ExportJob
from polku.service_episodes.tests.factories import claim_of_one

Capture = Callable[[], AbstractContextManager[Any]]


@pytest.fixture
def run_jobs(django_capture_on_commit_callbacks: Callable[..., Any]) -> Capture:
    """The jobs queued inside the block run when it ends, as after a real commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def manager(organisation: Organisation) -> User:
    return UserFactory.create(username="esihenkilo", memberships=[(organisation, Role.MANAGER)])


@pytest.fixture
def clerk(organisation: Organisation) -> User:
    return UserFactory.create(username="toimisto", memberships=[(organisation, Role.OFFICE_CLERK)])


def _start(http: HttpClient, run_jobs: Capture, **values: object) -> Any:
    with run_jobs():
        return http.post(reverse("exports:start"), values)


def test_the_monthly_report_is_made_in_the_background_and_downloaded_from_its_page(
    manager: User, run_jobs: Capture
) -> None:
    http = logged_in(manager)

    started = _start(http, run_jobs, kind="monthly_report_pdf", month="2026-10")
    job = ExportJob.objects.get()
    page = http.get(started["Location"])
    file = http.get(reverse("exports:download", args=[job.pk]))

    assert started["Location"] == reverse("exports:detail", args=[job.pk])
    assert (job.status, job.progress, job.filename) == ("done", 100, "seuranta-2026-10.pdf")
    assert reverse("exports:download", args=[job.pk]) in page.text
    assert file["Content-Type"] == "application/pdf"
    assert file["Content-Disposition"] == 'attachment; filename="seuranta-2026-10.pdf"'
    assert file.content.startswith(b"%PDF")
    assert "Kuukausiseuranta (PDF)" in http.get(reverse("exports:list")).text
    history = ChangeLogEntry.objects.filter(object_id=str(job.pk)).order_by("pk")
    assert [(entry.event, entry.actor) for entry in history] == [
        ("exports.export.requested", manager),
        ("exports.export.finished", manager),
    ]


def test_the_report_page_offers_the_background_downloads(manager: User) -> None:
    text = logged_in(manager).get(reverse("monitoring:monthly") + "?month=2026-10").text

    assert reverse("exports:start") in text
    assert 'name="kind" value="monthly_report_xlsx"' in text
    assert 'name="month" value="2026-10"' in text


def test_a_job_is_made_in_the_language_it_was_asked_in(manager: User, run_jobs: Capture) -> None:
    http = logged_in(manager)
    http.post(reverse("set_language"), {"language": "sv"})

    _start(http, run_jobs, kind="monthly_report_xlsx", month="2026-10")
    job = ExportJob.objects.get()
    book = CalamineWorkbook.from_filelike(io.BytesIO(bytes(job.content or b"")))

    assert job.language == "sv"
    assert book.get_sheet_by_index(0).to_python()[0][0] == "Indikator"


def test_a_claim_export_reads_through_the_access_log_as_the_direct_download_does(
    organisation: Organisation, clerk: User, coach_client: Client, run_jobs: Capture
) -> None:
    claim = claim_of_one(organisation, clerk, coach_client)
    http = logged_in(clerk)

    _start(http, run_jobs, kind="ktt_claim_xlsx", claim=str(claim.pk))
    job = ExportJob.objects.get()
    rows = CalamineWorkbook.from_filelike(io.BytesIO(bytes(job.content or b"")))
    logged = AccessLogEntry.objects.filter(
        user=clerk, client=coach_client, view="services:claim_xlsx"
    )

    assert rows.get_sheet_by_index(0).to_python()[1][0] == coach_client.hetu
    assert logged.count() == 1


def test_only_whoever_asked_sees_or_downloads_the_export(
    manager: User, organisation: Organisation, stranger: User, run_jobs: Capture
) -> None:
    _start(logged_in(manager), run_jobs, kind="monthly_report_pdf", month="2026-10")
    job = ExportJob.objects.get()
    other_manager = UserFactory.create(
        username="toinen", memberships=[(organisation, Role.MANAGER)]
    )

    for user in (other_manager, stranger):
        http = logged_in(user)
        for name in ("exports:detail", "exports:progress", "exports:download"):
            assert http.get(reverse(name, args=[job.pk])).status_code == 404, (user, name)
        assert (
            reverse("exports:detail", args=[job.pk]) not in http.get(reverse("exports:list")).text
        )


def test_queuing_asks_for_the_kinds_capability_and_knows_its_kinds(
    coach: User, manager: User
) -> None:
    refused = logged_in(coach).post(
        reverse("exports:start"), {"kind": "monthly_report_pdf", "month": "2026-10"}
    )
    unknown = logged_in(manager).post(reverse("exports:start"), {"kind": "everything"}, follow=True)

    assert refused.status_code == 403
    assert "Tällaista tulostetta ei ole." in unknown.text
    assert not ExportJob.objects.exists()


def test_a_claim_of_another_organisation_fails_the_job_without_a_file(
    organisation: Organisation,
    other_organisation: Organisation,
    clerk: User,
    foreign_client: Client,
    run_jobs: Capture,
) -> None:
    foreign = claim_of_one(other_organisation, clerk, foreign_client)
    http = logged_in(clerk)

    started = _start(http, run_jobs, kind="ktt_claim_pdf", claim=str(foreign.pk))
    job = ExportJob.objects.get()
    page = http.get(started["Location"])

    assert (job.status, job.content) == ("failed", None)
    assert "Tulostetta ei voitu muodostaa" in page.text
    assert http.get(reverse("exports:download", args=[job.pk])).status_code == 404


def test_a_queued_job_runs_once_with_the_roles_held_when_it_runs(
    manager: User, organisation: Organisation
) -> None:
    actor = actor_of(manager, organisation)
    kept = services.export_start(
        actor=actor, kind="monthly_report_pdf", values={"month": "2026-10"}, now=timezone.now()
    )
    revoked = services.export_start(
        actor=actor, kind="monthly_report_xlsx", values={"month": "2026-10"}, now=timezone.now()
    )
    assert kept.status == revoked.status == "queued"  # nothing runs before the commit

    services.export_run(job_id=kept.pk, clock=timezone.now)
    first = ExportJob.objects.get(pk=kept.pk)
    services.export_run(job_id=kept.pk, clock=timezone.now)
    Membership.objects.filter(user=manager).delete()
    services.export_run(job_id=revoked.pk, clock=timezone.now)

    assert ExportJob.objects.get(pk=kept.pk).finished_at == first.finished_at
    assert ExportJob.objects.get(pk=revoked.pk).status == "failed"


def test_request_values_are_cut_to_what_a_month_or_an_id_can_be(
    manager: User, organisation: Organisation
) -> None:
    job = services.export_start(
        actor=actor_of(manager, organisation),
        kind="monthly_report_pdf",
        values={"month": "2026-10\x00" + "9" * 500, "other": "x"},
        now=timezone.now(),
    )

    assert job.params == {"month": "2026-10" + "9" * 33}


def test_exports_are_deleted_after_their_retention_period(
    manager: User, organisation: Organisation
) -> None:
    now = timezone.now()
    actor = actor_of(manager, organisation)
    old = services.export_start(actor=actor, kind="monthly_report_pdf", values={}, now=now)
    new = services.export_start(actor=actor, kind="monthly_report_pdf", values={}, now=now)
    ExportJob.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=3))

    result = retention_apply(today=timezone.localdate(), now=now, dry_run=False)

    assert result.counts.export_files_deleted == 1
    assert list(ExportJob.objects.values_list("pk", flat=True)) == [new.pk]
