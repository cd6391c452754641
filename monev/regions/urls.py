from django.urls import path

from monev.regions import views

app_name = "regions"
urlpatterns = [
    path("", views.national, name="national"),
    path("kanwil/<str:code>/", views.kanwil_detail, name="kanwil_detail"),
    path("wilayah/<str:code>/", views.region_detail, name="region_detail"),
]
