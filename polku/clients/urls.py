from django.urls import path

from polku.clients import views

app_name = "clients"
urlpatterns = [
    path("", views.client_list, name="list"),
    path("new/", views.client_create, name="create"),
    path("<int:client_id>/", views.client_detail, name="detail"),
    path("<int:client_id>/edit/", views.client_edit, name="edit"),
    path("<int:client_id>/break-glass/", views.client_break_glass, name="break_glass"),
    path("<int:client_id>/worker/", views.client_assign_worker, name="assign_worker"),
    path("<int:client_id>/consents/new/", views.consent_add, name="consent_add"),
    path("<int:client_id>/access-report.pdf", views.client_access_report, name="access_report"),
    path("<int:client_id>/data-export/", views.client_data_export, name="data_export"),
    path("<int:client_id>/restriction/", views.client_restriction, name="restriction"),
    path(
        "<int:client_id>/consents/<int:consent_id>/withdraw/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
]
