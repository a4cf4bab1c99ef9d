from django.urls import path

from secretariat.continuity import views

app_name = "continuity"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("processes/", views.processes, name="processes"),
    path("analyses/", views.analyses, name="analyses"),
    path("analyses/<int:pk>/", views.analysis, name="analysis"),
    path("analyses/<int:pk>/sign-off/", views.sign_off_analysis, name="sign_off_analysis"),
    path("plans/", views.plans, name="plans"),
]
