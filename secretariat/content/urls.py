from django.urls import path

from secretariat.content import views

app_name = "content"

urlpatterns = [
    path("documents/", views.document_list, name="document_list"),
    path("documents/<int:pk>/", views.document_detail, name="document_detail"),
    path("documents/<int:pk>/check-out/", views.check_out, name="check_out"),
    path("documents/<int:pk>/cancel-check-out/", views.cancel_check_out, name="cancel_check_out"),
    path("documents/<int:pk>/check-in/", views.check_in, name="check_in"),
    path("documents/<int:pk>/declare/", views.declare_record, name="declare_record"),
    path("versions/<int:pk>/download/", views.version_download, name="version_download"),
    path("versions/<int:pk>/preview/", views.version_preview, name="version_preview"),
    path("versions/<int:pk>/restore/", views.restore_file, name="restore_file"),
    path("versions/<int:pk>/accept-fixity/", views.accept_changed_file, name="accept_changed_file"),
    path("search/", views.search, name="search"),
    path("official/", views.official_list, name="official_list"),
    path("official/<int:pk>/", views.official_detail, name="official_detail"),
    path("official/<int:pk>/move/", views.official_move, name="official_move"),
    path("official/<int:pk>/versions/<int:document_pk>/final/", views.official_finalise, name="official_finalise"),
    path("official/<int:pk>/issue/", views.official_issue, name="official_issue"),
    path("official/<int:pk>/release/", views.official_release_subset, name="official_release_subset"),
    path("official/<int:pk>/schedule/", views.official_schedule_release, name="official_schedule_release"),
    path("official/<int:pk>/schedule/cancel/", views.official_cancel_release, name="official_cancel_release"),
    path("public/", views.public_official_search, name="public_search"),
    path("records/", views.records, name="records"),
    path("records/disposition/<int:pk>/<str:step>/", views.disposition_step, name="disposition_step"),
    path("records/holds/<int:pk>/release/", views.release_hold, name="release_hold"),
    path("workspaces/", views.workspace_list, name="workspace_list"),
    path("workspaces/<int:pk>/", views.workspace_detail, name="workspace_detail"),
]
