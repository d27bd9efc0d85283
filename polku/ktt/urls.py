from django.urls import path

from polku.ktt import views

app_name = "ktt"
evaluation = "clients/<int:client_id>/evaluations/<int:evaluation_id>/"
urlpatterns = [
    path("providers/", views.providers, name="providers"),
    path("providers/new/", views.provider_create, name="provider_create"),
    path("providers/<int:provider_id>/", views.provider_detail, name="provider_detail"),
    path("providers/<int:provider_id>/edit/", views.provider_edit, name="provider_edit"),
    path(
        "placements/<int:placement_id>/provider/",
        views.placement_provider,
        name="placement_provider",
    ),
    path("allocation/", views.allocation, name="allocation"),
    path("allocation/pdf/", views.allocation_pdf, name="allocation_pdf"),
    path("allocation/xlsx/", views.allocation_xlsx, name="allocation_xlsx"),
    path(
        "clients/<int:client_id>/evaluations/new/",
        views.evaluation_create,
        name="evaluation_create",
    ),
    path(evaluation, views.evaluation_detail, name="evaluation_detail"),
    path(evaluation + "edit/", views.evaluation_edit, name="evaluation_edit"),
    path(evaluation + "pdf/", views.evaluation_pdf, name="evaluation_pdf"),
    path(evaluation + "send/", views.evaluation_send, name="evaluation_send"),
]
