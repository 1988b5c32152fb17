"""The family's "Actualités" (URL names ``news:*``, which the family menu links to)."""

from django.urls import path

from .views import news

app_name = "news"

urlpatterns = [
    path("", news.news_list, name="list"),
    path("<int:pk>/", news.news_detail, name="detail"),
    path("<int:pk>/image/", news.news_image, name="image"),
    path("<int:pk>/documents/<int:document_id>/", news.news_document, name="document"),
]
