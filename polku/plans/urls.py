from django.urls import path

from polku.plans import views

app_name = "plans"
urlpatterns = [
    path("<int:client_id>/new/", views.plan_create, name="create"),
    path("<int:client_id>/<int:plan_id>/", views.plan_detail, name="detail"),
    path("<int:client_id>/<int:plan_id>/edit/", views.plan_edit, name="edit"),
    path("<int:client_id>/<int:plan_id>/review/", views.plan_review, name="review"),
    path("<int:client_id>/<int:plan_id>/interrupt/", views.plan_interrupt, name="interrupt"),
    path(
        "<int:client_id>/<int:plan_id>/participants/new/",
        views.participant_add,
        name="participant_add",
    ),
    path(
        "<int:client_id>/<int:plan_id>/participants/<int:participant_id>/remove/",
        views.participant_remove,
        name="participant_remove",
    ),
    path(
        "<int:client_id>/<int:plan_id>/participants/<int:participant_id>/sign/",
        views.plan_sign,
        name="sign",
    ),
    path("<int:client_id>/<int:plan_id>/print/", views.plan_print, name="print"),
]
