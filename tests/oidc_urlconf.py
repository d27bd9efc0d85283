"""The project's URLs with single sign-on switched on, as config/urls.py does when the
identity provider is configured (settings are read once, at import)."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *project_urlpatterns,
    path("accounts/oidc/", include("polku.accounts.oidc_urls")),
]
