from django.urls import path

from polku.sharelist import views

app_name = "sharelist"
urlpatterns = [
    path("", views.review, name="review"),
    path("assign/", views.review_assign, name="review_assign"),
    path("import/", views.import_start, name="import"),
    path("import/<int:job_id>/", views.import_detail, name="import_detail"),
    path("import/<int:job_id>/progress/", views.import_progress, name="import_progress"),
    path("import/<int:job_id>/confirm/", views.import_confirm, name="import_confirm"),
    path("import/<int:job_id>/report.xlsx", views.import_report, name="import_report"),
    path("clients/<int:client_id>/contact/", views.contact, name="contact"),
    path("clients/<int:client_id>/letter.pdf", views.letter, name="letter"),
    path("costs/", views.costs, name="costs"),
    path("costs/people/", views.costs_people, name="costs_people"),
]
