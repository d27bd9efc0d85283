from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from polku.accounts.views import home
from polku.api.urls import api
from polku.core.views import accessibility_statement, health

admin.site.site_header = "Polku"

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("polku.accounts.urls")),
    path("clients/", include("polku.clients.urls")),
    path("referrals/", include("polku.referrals.urls")),
    path("plans/", include("polku.plans.urls")),
    path("worklist/", include("polku.reports.urls")),
    path("reports/", include("polku.reports.report_urls")),
    path("q/", include("polku.reports.questionnaire_urls")),
    path("services/", include("polku.service_episodes.urls")),
    path("ktt/", include("polku.ktt.urls")),
    path("share-lists/", include("polku.sharelist.urls")),
    path("employment/", include("polku.employment.urls")),
    path("exports/", include("polku.exports.urls")),
    path("accessibility/", accessibility_statement, name="accessibility"),
    path("health/", health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
if settings.OIDC_ENABLED:  # single sign-on exists only when the identity provider is set
    urlpatterns.append(path("accounts/oidc/", include("polku.accounts.oidc_urls")))
