from django.urls import path

from polku.service_episodes import views

app_name = "services"
client = "clients/<int:client_id>/"
contract = client + "ktt/<int:contract_id>/"
urlpatterns = [
    path("", views.index, name="index"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("placements/new/", views.placement_create, name="placement_create"),
    path("placements/<int:placement_id>/", views.placement_detail, name="placement_detail"),
    path(
        "placements/<int:placement_id>/attendance/",
        views.attendance_placement,
        name="attendance_placement",
    ),
    path("groups/new/", views.group_create, name="group_create"),
    path("groups/<int:group_id>/", views.group_detail, name="group_detail"),
    path("groups/<int:group_id>/attendance/", views.attendance_group, name="attendance_group"),
    path("groups/<int:group_id>/sessions/", views.group_session_add, name="group_session_add"),
    path("allowances/", views.allowance_list, name="allowance_list"),
    path("claims/", views.claim_list, name="claim_list"),
    path("claims/<int:claim_id>/", views.claim_detail, name="claim_detail"),
    path("claims/<int:claim_id>/pdf/", views.claim_pdf, name="claim_pdf"),
    path("claims/<int:claim_id>/xlsx/", views.claim_xlsx, name="claim_xlsx"),
    path(client, views.client_services, name="client"),
    path(client + "episodes/new/", views.episode_create, name="episode_create"),
    path(client + "episodes/<int:episode_id>/end/", views.episode_end, name="episode_end"),
    path(client + "groups/", views.group_member_add, name="group_member_add"),
    path(client + "groups/<int:group_id>/certificate/", views.certificate, name="certificate"),
    path(client + "allowances/new/", views.allowance_create, name="allowance_create"),
    path(client + "ktt/new/", views.contract_create, name="contract_create"),
    path(contract, views.contract_detail, name="contract_detail"),
    path(contract + "decide/", views.contract_decide, name="contract_decide"),
    path(contract + "sign/", views.contract_sign, name="contract_sign"),
    path(contract + "evaluate/", views.contract_evaluate, name="contract_evaluate"),
    path(contract + "extend/", views.contract_extend, name="contract_extend"),
    path(contract + "interrupt/", views.contract_interrupt, name="contract_interrupt"),
]
