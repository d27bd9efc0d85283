"""Background jobs of the share-list import (django-tasks; ``manage.py db_worker`` runs them).

Jobs are the interface layer, like views: they read the clock and call one service.
"""

from django.utils import timezone
from django_tasks import task

from polku.sharelist import services


@task()
def share_list_check(job_id: int) -> None:
    """Check an uploaded list and prepare its preview."""
    services.import_check(job_id=job_id, now=timezone.now())


@task()
def share_list_apply(job_id: int) -> None:
    """Import a confirmed list."""
    services.import_apply(job_id=job_id, now=timezone.now())
