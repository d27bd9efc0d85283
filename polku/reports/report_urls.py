from django.urls import path

from polku.reports import goal_views, report_views

app_name = "monitoring"
urlpatterns = [
    path("monthly/", report_views.monthly, name="monthly"),
    path("monthly/pdf/", report_views.monthly_pdf, name="monthly_pdf"),
    path("monthly/xlsx/", report_views.monthly_xlsx, name="monthly_xlsx"),
    path("monthly/close/", report_views.monthly_close, name="monthly_close"),
    path("goals/", goal_views.goals, name="goals"),
    path("goals/new/", goal_views.goal_create, name="goal_create"),
    path("goals/<int:goal_id>/edit/", goal_views.goal_edit, name="goal_edit"),
    path("goals/<int:goal_id>/targets/new/", goal_views.target_create, name="target_create"),
    path("targets/<int:target_id>/edit/", goal_views.target_edit, name="target_edit"),
    path("figures/", goal_views.figures, name="figures"),
    path("figures/new/", goal_views.figure_create, name="figure_create"),
    path("figures/<int:figure_id>/edit/", goal_views.figure_edit, name="figure_edit"),
    path("partners/", goal_views.partners, name="partners"),
    path("partners/new/", goal_views.partner_create, name="partner_create"),
    path("partners/<int:agreement_id>/edit/", goal_views.partner_edit, name="partner_edit"),
    path(
        "partners/<int:agreement_id>/evaluate/",
        goal_views.partner_evaluate,
        name="partner_evaluate",
    ),
    path(
        "clients/<int:client_id>/questionnaire-link/",
        report_views.questionnaire_link,
        name="questionnaire_link",
    ),
    path(
        "clients/<int:client_id>/questionnaire/",
        report_views.questionnaire_record,
        name="questionnaire_record",
    ),
    path(
        "clients/<int:client_id>/follow-up/",
        report_views.follow_up,
        name="follow_up",
    ),
]
