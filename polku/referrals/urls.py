from django.urls import path

from polku.referrals import views

app_name = "referrals"
urlpatterns = [
    path("received/", views.referral_inbox, name="inbox"),
    path("<int:referral_id>/acknowledge/", views.referral_acknowledge, name="acknowledge"),
    path("clients/<int:client_id>/new/", views.referral_create, name="create"),
    path("clients/<int:client_id>/<int:referral_id>/", views.referral_detail, name="detail"),
    path("clients/<int:client_id>/bookings/new/", views.booking_create, name="booking_create"),
    path(
        "clients/<int:client_id>/bookings/<int:booking_id>/",
        views.booking_edit,
        name="booking_edit",
    ),
    path("clients/<int:client_id>/meetings/new/", views.meeting_create, name="meeting_create"),
    path(
        "clients/<int:client_id>/meetings/<int:meeting_id>/",
        views.meeting_edit,
        name="meeting_edit",
    ),
    path("clients/<int:client_id>/summaries/new/", views.summary_create, name="summary_create"),
    path(
        "clients/<int:client_id>/summaries/<int:summary_id>/",
        views.summary_edit,
        name="summary_edit",
    ),
    path(
        "clients/<int:client_id>/summaries/<int:summary_id>/pdf/",
        views.summary_pdf,
        name="summary_pdf",
    ),
    path(
        "clients/<int:client_id>/summaries/<int:summary_id>/disclose/",
        views.summary_disclose,
        name="summary_disclose",
    ),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/tapaamiset.ics", views.calendar_ics, name="calendar_ics"),
    path("calendar/subscription/", views.feed_create, name="feed_create"),
    path("calendar/subscription/revoke/", views.feed_revoke, name="feed_revoke"),
    path("calendar/feed/<str:token>.ics", views.feed, name="feed"),
]
