from django.urls import path

from polku.reports import report_views

app_name = "questionnaire"
urlpatterns = [
    path("<str:questionnaire_token>/", report_views.answer, name="answer"),
]
