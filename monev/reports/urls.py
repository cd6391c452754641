from django.urls import path

from monev.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("buat/", views.report_create, name="report_create"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/unduh/", views.report_download, name="report_download"),
    path("rapor/<str:code>/", views.scorecard, name="scorecard"),
    path("rapor/<str:code>/bagikan/", views.scorecard_share, name="scorecard_share"),
    path("tautan/<int:pk>/cabut/", views.scorecard_link_revoke_view, name="scorecard_link_revoke"),
    path("langganan/", views.subscription_list, name="subscription_list"),
    path("langganan/<int:pk>/hapus/", views.subscription_delete, name="subscription_delete"),
]
