from django.urls import path

from secretariat.servicedesk import views

app_name = "servicedesk"

urlpatterns = [
    path("", views.portal, name="portal"),
    path("new/", views.raise_ticket, name="raise_ticket"),
    path("tickets/<int:ticket_id>/", views.ticket_detail, name="ticket_detail"),
    path("tickets/<int:ticket_id>/<slug:action>/", views.ticket_action, name="ticket_action"),
    path("queue/", views.agent_queue, name="agent_queue"),
    path("reports/", views.reports, name="reports"),
    path("reports/chargeback.csv", views.chargeback, name="chargeback"),
]
