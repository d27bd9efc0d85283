"""Single sign-on URLs; config/urls.py includes them only when OIDC is configured."""

from django.urls import path
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from polku.accounts import views

app_name = "oidc"
urlpatterns = [
    path("login/", OIDCAuthenticationRequestView.as_view(), name="login"),
    path("callback/", views.OIDCCallbackView.as_view(), name="callback"),
    path("failed/", views.oidc_failed, name="failed"),
]
