"""The obligated-employment case's steps: dated fields, the latest decides the status."""

from typing import Any

from polku.employment.models import ObligatedEmployment

STEP_FIELDS = (
    "meeting_on",
    "employer_id",
    "job_title",
    "job_chosen_on",
    "subsidy_applied_on",
    "decision_on",
    "contract_start",
    "contract_end",
    "costs",
    "ktt_chosen_on",
    "ended_on",
)

# The latest step filled decides the status, in this order.
STATUS_BY_STEP = (
    ("ended_on", ObligatedEmployment.Status.ENDED),
    ("ktt_chosen_on", ObligatedEmployment.Status.KTT_CHOSEN),
    ("contract_start", ObligatedEmployment.Status.EMPLOYED),
    ("decision_on", ObligatedEmployment.Status.DECIDED),
    ("subsidy_applied_on", ObligatedEmployment.Status.SUBSIDY_APPLIED),
    ("job_chosen_on", ObligatedEmployment.Status.JOB_CHOSEN),
    ("meeting_on", ObligatedEmployment.Status.MEETING),
)


def status_for(steps: dict[str, Any]) -> str:
    for name, status in STATUS_BY_STEP:
        if steps.get(name):
            return status
    return ObligatedEmployment.Status.NOTICE
