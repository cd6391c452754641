from django.urls import URLPattern, URLResolver, path

from monev.budgets import views

app_name = "budgets"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.budget_index, name="budget_index"),
    path("impor/", views.budget_import, name="budget_import"),
    path("pemda/<str:code>/<int:year>/", views.budget_detail, name="budget_detail"),
    path("pemda/<str:code>/<int:year>/baris/", views.budget_line_add, name="budget_line_add"),
    path("iuran/", views.contribution_page, name="contribution"),
    path("tarif/", views.rate_list, name="rate_list"),
    path("tarif/baru/", views.rate_edit, name="rate_add"),
    path("tarif/<slug:key>/", views.rate_edit, name="rate_edit"),
    path("regulasi/", views.regulation_list, name="regulation_list"),
    path("pemda/<str:code>/regulasi/baru/", views.regulation_add, name="regulation_add"),
    path("regulasi/<int:pk>/dokumen/", views.regulation_document, name="regulation_document"),
]
