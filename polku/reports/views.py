from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from polku.accounts.decorators import actor_view
from polku.accounts.roles import Actor
from polku.reports import selectors
from polku.reports.forms import TeamWorklistForm


@actor_view
def worklist(request: HttpRequest, actor: Actor) -> HttpResponse:
    today = timezone.localdate()
    result = selectors.worklist_get(
        actor=actor,
        worker_ids=(actor.user.pk,),
        today=today,
        now=timezone.now(),
        view="reports:worklist",
    )
    context = {
        "worklist": result,
        "sections": selectors.worklist_by_due(result, today=today),
        "team": False,
    }
    return render(request, "reports/worklist.html", context)


@actor_view
def team_worklist(request: HttpRequest, actor: Actor) -> HttpResponse:
    members = selectors.team_members(actor=actor)
    form = TeamWorklistForm(request.GET or None)
    form.fields["worker"].queryset = members  # type: ignore[attr-defined]
    chosen = form.cleaned_data.get("worker") if form.is_valid() else None
    worker_ids = (chosen.pk,) if chosen else tuple(member.pk for member in members)
    today = timezone.localdate()
    result = selectors.worklist_get(
        actor=actor,
        worker_ids=worker_ids,
        today=today,
        now=timezone.now(),
        view="reports:team_worklist",
    )
    sections = selectors.worklist_by_due(result, today=today)
    context = {"worklist": result, "sections": sections, "team": True, "form": form}
    return render(request, "reports/worklist.html", context)
