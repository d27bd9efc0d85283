from django.urls import path

from polku.exports import views

app_name = "exports"
urlpatterns = [
    path("", views.export_list, name="list"),
    path("start/", views.start, name="start"),
    path("<int:job_id>/", views.detail, name="detail"),
    path("<int:job_id>/progress/", views.progress, name="progress"),
    path("<int:job_id>/file/", views.download, name="download"),
]
