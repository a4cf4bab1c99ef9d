from django.urls import path

from secretariat.servicedesk import views

app_name = "servicedesk"

urlpatterns = [
    path("", views.portal, name="portal"),
    path("new/", views.raise_ticket, name="raise_ticket"),
    path("tickets/<int:ticket_id>/", views.ticket_detail, name="ticket_detail"),
    path("tickets/<int:ticket_id>/<slug:action>/", views.ticket_action, name="ticket_action"),
    path("tickets/<int:ticket_id>/attachments/<int:attachment_id>/", views.attachment_download,
         name="attachment_download"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/publish/", views.publish_service, name="publish_service"),
    path("catalogue/levels/", views.define_service_level, name="define_service_level"),
    path("configuration-items/", views.configuration_items, name="configuration_items"),
    path("configuration-items/<slug:code>/", views.configuration_item_detail, name="configuration_item_detail"),
    path("changes/", views.changes, name="changes"),
    path("changes/<int:change_id>/<slug:action>/", views.change_action, name="change_action"),
    path("problems/", views.problems, name="problems"),
    path("problems/<int:problem_id>/<slug:action>/", views.problem_action, name="problem_action"),
    path("queue/", views.agent_queue, name="agent_queue"),
    path("reports/", views.reports, name="reports"),
    path("reports/chargeback.csv", views.chargeback, name="chargeback"),
    path("reports/chargeback/post/", views.post_chargeback, name="post_chargeback"),
    path("reports/chargeback/reverse/", views.reverse_chargeback, name="reverse_chargeback"),
]
