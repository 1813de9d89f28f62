from django.contrib import admin
from django.urls import path

from placeworks.web import allocation_views, views

urlpatterns = [
    path("", views.index, name="index"),
    path("icb/<str:code>/", views.icb, name="icb"),
    path("icb/<str:code>/allocation/", allocation_views.allocation, name="allocation"),
    path(
        "icb/<str:code>/allocation.xlsx",
        allocation_views.allocation_workbook,
        name="allocation_workbook",
    ),
    path(
        "icb/<str:code>/allocation/baselines/",
        allocation_views.upload_baseline,
        name="allocation_upload_baseline",
    ),
    path("admin/", admin.site.urls),
]

handler404 = "placeworks.web.views.not_found"
