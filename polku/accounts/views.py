from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from polku.accounts.decorators import actor_view
from polku.accounts.middleware import SESSION_KEY
from polku.accounts.roles import Actor
from polku.accounts.selectors import actor_for


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@require_POST
@actor_view
def organisation_switch(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Act in another of the user's organisations for the rest of the session."""
    organisation_id = int(request.POST.get("organisation", "0") or 0)
    if actor_for(user=actor.user, organisation_id=organisation_id) is not None:
        request.session[SESSION_KEY] = organisation_id
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(next_url)
    return redirect("clients:list")
