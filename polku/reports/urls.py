from django.urls import path

from polku.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("team/", views.team_worklist, name="team_worklist"),
]
