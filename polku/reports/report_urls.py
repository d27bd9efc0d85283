from django.urls import path

from polku.reports import report_views

app_name = "monitoring"
urlpatterns = [
    path("monthly/", report_views.monthly, name="monthly"),
    path("monthly/pdf/", report_views.monthly_pdf, name="monthly_pdf"),
    path("monthly/xlsx/", report_views.monthly_xlsx, name="monthly_xlsx"),
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
