from django.urls import path

from polku.employment import views

app_name = "employment"
client = "clients/<int:client_id>/"
case = client + "obligations/<int:case_id>/"
subsidy = client + "subsidies/<int:subsidy_id>/"
urlpatterns = [
    path("", views.index, name="index"),
    path("employers/", views.employer_list, name="employer_list"),
    path("employers/new/", views.employer_create, name="employer_create"),
    path("employers/<int:employer_id>/", views.employer_detail, name="employer_detail"),
    path("employers/<int:employer_id>/edit/", views.employer_edit, name="employer_edit"),
    path("employers/<int:employer_id>/contacts/", views.contact_add, name="contact_add"),
    path("claims/", views.claim_list, name="claim_list"),
    path("claims/<int:claim_id>/", views.claim_detail, name="claim_detail"),
    path("claims/<int:claim_id>/pdf/", views.claim_pdf, name="claim_pdf"),
    path("claims/<int:claim_id>/xlsx/", views.claim_xlsx, name="claim_xlsx"),
    path("budget/", views.budget, name="budget"),
    path("budget/set/", views.budget_set, name="budget_set"),
    path(client, views.client_employment, name="client"),
    path(client + "obligations/new/", views.obligation_create, name="obligation_create"),
    path(case, views.obligation_detail, name="obligation_detail"),
    path(case + "edit/", views.obligation_edit, name="obligation_edit"),
    path(client + "subsidies/new/", views.subsidy_create, name="subsidy_create"),
    path(subsidy, views.subsidy_detail, name="subsidy_detail"),
    path(subsidy + "decide/", views.subsidy_decide, name="subsidy_decide"),
]
