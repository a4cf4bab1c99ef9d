from django.urls import path

from secretariat.web.views import access, auth, pages, saved_views

app_name = "web"

urlpatterns = [
    path("", pages.home, name="home"),
    path("inbox/", pages.inbox, name="inbox"),
    path("lists/views/", saved_views.save_view, name="save_list_view"),
    path("lists/views/<int:pk>/delete/", saved_views.delete_view, name="delete_list_view"),
    path("login/", auth.login_view, name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("account/two-factor/", auth.two_factor, name="two_factor"),
    path("organisation/entities/", pages.entity_list, name="entity_list"),
    path("organisation/entities/<str:code>/", pages.entity_detail, name="entity_detail"),
    path("organisation/duty-stations/", pages.duty_station_list, name="duty_station_list"),
    path("organisation/duty-stations/<str:code>/", pages.duty_station_detail, name="duty_station_detail"),
    path("organisation/people/", pages.people_list, name="people_list"),
    path("organisation/people/<int:pk>/", pages.person_detail, name="person_detail"),
    path("access/roles/", access.role_assignments, name="role_assignments"),
    path("access/roles/<int:pk>/revoke/", access.revoke_role_assignment, name="revoke_role_assignment"),
    path("access/roles/<int:pk>/approve/", access.approve_role_grant, name="approve_role_grant"),
    path("access/roles/<int:pk>/reject/", access.reject_role_grant, name="reject_role_grant"),
    path("access/delegations/", access.delegations, name="delegations"),
    path("access/delegations/<int:pk>/revoke/", access.revoke_delegation, name="revoke_delegation"),
    path("audit/", access.audit_trail, name="audit_trail"),
    path("audit/export.csv", access.export_audit_trail, name="export_audit_trail"),
]
