from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("agents/", include("espacefamille.backoffice.urls")),
    path("api/v1/", include("espacefamille.api.urls")),
    path("", include("espacefamille.accounts.urls")),
    path("actualites/", include("espacefamille.portal.news_urls")),
    path("demandes/", include("espacefamille.portal.inquiries_urls")),
    path("", include("espacefamille.portal.urls")),
    path("paiement/", include("espacefamille.payments.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "espacefamille.portal.views.errors.not_found"
handler500 = "espacefamille.portal.views.errors.server_error"
handler403 = "espacefamille.portal.views.errors.forbidden"
