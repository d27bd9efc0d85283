from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from polku.accounts.decorators import actor_view
from polku.accounts.roles import Actor
from polku.reports import selectors
from polku.reports.forms import TeamWorklistForm


@actor_view
def worklist(request: HttpRequest, actor: Actor) -> HttpResponse:
    result = selectors.worklist_get(
        actor=actor,
        worker_ids=(actor.user.pk,),
        today=timezone.localdate(),
        now=timezone.now(),
        view="reports:worklist",
    )
    return render(request, "reports/worklist.html", {"worklist": result, "team": False})


@actor_view
def team_worklist(request: HttpRequest, actor: Actor) -> HttpResponse:
    members = selectors.team_members(actor=actor)
    form = TeamWorklistForm(request.GET or None)
    form.fields["worker"].queryset = members  # type: ignore[attr-defined]
    chosen = form.cleaned_data.get("worker") if form.is_valid() else None
    worker_ids = (chosen.pk,) if chosen else tuple(member.pk for member in members)
    result = selectors.worklist_get(
        actor=actor,
        worker_ids=worker_ids,
        today=timezone.localdate(),
        now=timezone.now(),
        view="reports:team_worklist",
    )
    context = {"worklist": result, "team": True, "form": form}
    return render(request, "reports/worklist.html", context)
