"""What ``apply_retention`` deletes of the exports: a document made in the background holds
client data and is kept only for the retention period ``export_file`` (the retention run
records the count in its own history row)."""

from datetime import datetime

from polku.exports.models import ExportJob


def export_files_purge(*, organisation_id: int, requested_before: datetime, dry_run: bool) -> int:
    """Delete the organisation's exports requested before the retention period began."""
    jobs = ExportJob.objects.filter(
        organisation_id=organisation_id, created_at__lt=requested_before
    )
    if dry_run:
        return jobs.count()
    deleted, _counts = jobs.delete()
    return deleted
