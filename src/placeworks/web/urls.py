from django.contrib import admin
from django.urls import path

from placeworks.web import views

urlpatterns = [
    path("", views.index, name="index"),
    path("icb/<str:code>/", views.icb, name="icb"),
    path("admin/", admin.site.urls),
]

handler404 = "placeworks.web.views.not_found"
