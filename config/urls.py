from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from config.deferred_include import deferred_include

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("agents/", include("espacefamille.backoffice.urls")),
    # Django REST framework and the API's views (~20 MB) are imported by the first /api/v1/
    # request or api:… reverse: a worker serving families and agents never loads them.
    deferred_include("api/v1/", "espacefamille.api.urls", "api"),
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
