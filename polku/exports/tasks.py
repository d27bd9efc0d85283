"""Background jobs of the exports (django-tasks; ``manage.py db_worker`` runs them)."""

from django.utils import timezone
from django_tasks import task

from polku.exports import services


@task()
def export_run(job_id: int) -> None:
    """Make one queued document."""
    services.export_run(job_id=job_id, clock=timezone.now)
