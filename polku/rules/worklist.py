"""Worklist section from the engine's batch run: clients who now meet the activation criteria."""

from itertools import islice

from django.urls import reverse
from django.utils.translation import gettext as _

from polku.clients.models import Client
from polku.core.worklist import WorklistItem, WorklistScope, WorklistSection, listed_name
from polku.plans.models import PlanType
from polku.plans.selectors import active_plan_exists
from polku.rules.engine.batch import activation_plan_required_many
from polku.rules.facts import activation_plan_facts_of


def activation_criteria_without_plan(scope: WorklistScope) -> WorklistSection:
    """Clients for whom the law now requires an activation plan that nobody has started.

    One streamed query over the workers' clients without an active activation or
    multi-sector plan, screened by the engine's batch path (no explanations built); the
    client page shows the full explanation.
    """
    clients = (
        Client.objects.filter(
            organisation_id=scope.organisation_id, responsible_worker_id__in=scope.worker_ids
        )
        # A multi-sector plan replaces the activation plan, so either settles the duty.
        .exclude(active_plan_exists([PlanType.ACTIVATION, PlanType.MULTISECTOR]))
        .order_by("last_name", "first_names", "pk")
    )
    keys = activation_plan_facts_of(clients, "first_names", "last_name", "responsible_worker_id")
    required = [key for key, needed in activation_plan_required_many(keys, scope.today) if needed]
    items = tuple(
        WorklistItem(
            client_id=pk,
            client_name=listed_name(first_names, last_name),
            worker_id=worker_id,
            due_on=None,
            reason=_(
                "Täyttää aktivointisuunnitelman laatimisen edellytykset, eikä suunnitelmaa ole."
            ),
            url=reverse("clients:detail", kwargs={"client_id": pk}) + "#obligations",
            overdue=True,
        )
        for pk, first_names, last_name, worker_id in islice(required, scope.limit)
    )
    return WorklistSection(
        key="activation_criteria_without_plan",
        title=_("Aktivointisuunnitelma laatimatta"),
        items=items,
        total=len(required),
    )
