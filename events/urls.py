from django.urls import path

from talenthub.core.page_cache import cache_public_page

from . import alert_views, checkin_views, transfer_views, views

app_name = "events"
urlpatterns = [
    path("", cache_public_page(views.EventListView.as_view()), name="index"),
    path("past/", views.EventListView.as_view(past=True), name="past"),
    path("my-bookings/", views.MyBookingsView.as_view(), name="my_bookings"),
    path("calendar/reset/", views.CalendarFeedResetView.as_view(), name="calendar_feed_reset"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("manage/demand/", views.DemandReportView.as_view(), name="demand_report"),
    path("manage/<slug:slug>/door/", checkin_views.DoorListView.as_view(), name="door_list"),
    path(
        "manage/<slug:slug>/door/<int:pk>/check-in/",
        checkin_views.CheckInView.as_view(),
        name="check_in",
    ),
    path("bookings/<int:pk>/cancel/", views.BookingCancelView.as_view(), name="booking_cancel"),
    path("bookings/<int:pk>/accept/", views.OfferAcceptView.as_view(), name="offer_accept"),
    path("bookings/<int:pk>/decline/", views.OfferDeclineView.as_view(), name="offer_decline"),
    path(
        "bookings/<int:pk>/transfer/",
        transfer_views.TransferOfferView.as_view(),
        name="transfer_offer",
    ),
    path(
        "transfers/<int:pk>/", transfer_views.TransferRespondView.as_view(), name="transfer_respond"
    ),
    path(
        "transfers/<int:pk>/decline/",
        transfer_views.TransferDeclineView.as_view(),
        name="transfer_decline",
    ),
    path(
        "transfers/<int:pk>/withdraw/",
        transfer_views.TransferWithdrawView.as_view(),
        name="transfer_withdraw",
    ),
    path("<slug:slug>/", cache_public_page(views.EventDetailView.as_view()), name="detail"),
    path("<slug:slug>/book/", views.BookView.as_view(), name="book"),
    path(
        "<slug:slug>/booking-alert/", alert_views.BookingAlertView.as_view(), name="booking_alert"
    ),
    path(
        "<slug:slug>/booking-alert/stop/",
        alert_views.BookingAlertView.as_view(stop=True),
        name="booking_alert_stop",
    ),
    path("<slug:slug>/event.ics", views.event_ics, name="ics"),
    path("<slug:slug>/check-in/", checkin_views.SelfCheckInView.as_view(), name="self_check_in"),
]
