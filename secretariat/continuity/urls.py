from django.urls import path

from secretariat.continuity import views

app_name = "continuity"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("processes/", views.processes, name="processes"),
    path("applications/", views.applications, name="applications"),
    path("processes/<int:pk>/", views.change_process, name="change_process"),
    path("applications/<int:pk>/", views.application, name="application"),
    path("applications/<int:pk>/change/", views.change_application, name="change_application"),
    path("data-centres/", views.data_centres, name="data_centres"),
    path("infrastructure/", views.infrastructure, name="infrastructure"),
    path("analyses/", views.analyses, name="analyses"),
    path("analyses/<int:pk>/", views.analysis, name="analysis"),
    path("analyses/<int:pk>/sign-off/", views.sign_off_analysis, name="sign_off_analysis"),
    path("conflicts/<int:pk>/resolve/", views.resolve_conflict, name="resolve_conflict"),
    path("plans/", views.plans, name="plans"),
    path("plans/<int:pk>/", views.plan, name="plan"),
    path("plans/<int:pk>/plan.pdf", views.plan_pdf, name="plan_pdf"),
    path("plans/export.zip", views.plans_bundle, name="plans_bundle"),
    path("exercises/<int:pk>/", views.exercise, name="exercise"),
]
