from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest


@pytest.fixture
def run_jobs(
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[Any]],
) -> Callable[[], AbstractContextManager[Any]]:
    """Run the background jobs a request queues, as they run once its transaction commits:
    the tests use django-tasks' immediate backend, so the real job runs right there."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
