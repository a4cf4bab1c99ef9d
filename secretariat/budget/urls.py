from django.urls import path

from secretariat.budget import views

app_name = "budget"

urlpatterns = [
    path("", views.section_list, name="section_list"),
    path("sections/<int:pk>/", views.section_detail, name="section_detail"),
    path("sections/<int:pk>/tables/", views.section_tables, name="section_tables"),
    path("sections/<int:pk>/tables.xlsx", views.section_tables_xlsx, name="section_tables_xlsx"),
    path("sections/<int:pk>/tables.pdf", views.section_tables_pdf, name="section_tables_pdf"),
    path("sections/<int:pk>/versions/", views.section_versions, name="section_versions"),
    path("sections/<int:pk>/performance/", views.performance_dashboard, name="performance_dashboard"),
    path("control/", views.control, name="control"),
    path("allotments/<int:pk>/", views.allotment_detail, name="allotment_detail"),
    path("appropriations/<int:pk>/obligations/", views.obligations, name="obligations"),
    path("budget-actual/", views.budget_actual, name="budget_actual"),
]
