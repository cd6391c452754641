from django.urls import path

from monev.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("buat/", views.report_create, name="report_create"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/unduh/", views.report_download, name="report_download"),
    path("langganan/", views.subscription_list, name="subscription_list"),
    path("langganan/<int:pk>/hapus/", views.subscription_delete, name="subscription_delete"),
]
