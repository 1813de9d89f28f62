from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from placeworks.web import (
    allocation_views,
    deal_views,
    register_views,
    role_views,
    variation_views,
    views,
)

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
    path("icb/<str:code>/variation/", variation_views.variation, name="variation"),
    path("icb/<str:code>/variation.csv", variation_views.variation_csv, name="variation_csv"),
    path(
        "accounts/sign-in/",
        auth_views.LoginView.as_view(
            template_name="sign_in.jinja", redirect_authenticated_user=True
        ),
        name="sign_in",
    ),
    path("accounts/sign-out/", auth_views.LogoutView.as_view(), name="sign_out"),
    path("accounts/home/", deal_views.home, name="home"),
    path("place/<str:code>/", deal_views.place, name="place"),
    path("place/<str:code>/delegations/<int:pk>/", deal_views.delegation, name="delegation"),
    path(
        "place/<str:code>/delegations/<int:pk>/decision/",
        deal_views.delegation_decision,
        name="delegation_decision",
    ),
    path("place/<str:code>/roles/", role_views.roles, name="roles"),
    path("place/<str:code>/roles/<int:pk>/revoke/", role_views.revoke, name="role_revoke"),
    path("place/<str:code>/<slug:slug>/", register_views.register_list, name="register_list"),
    path(
        "place/<str:code>/<slug:slug>.<str:kind>",
        register_views.register_export_view,
        name="register_export",
    ),
    path(
        "place/<str:code>/<slug:slug>/new/",
        register_views.register_create,
        name="register_create",
    ),
    path(
        "place/<str:code>/<slug:slug>/<int:pk>/",
        register_views.register_detail,
        name="register_detail",
    ),
    path(
        "place/<str:code>/<slug:slug>/<int:pk>/edit/",
        register_views.register_edit,
        name="register_edit",
    ),
    path("admin/", admin.site.urls),
]

handler403 = "placeworks.web.views.permission_denied"
handler404 = "placeworks.web.views.not_found"
