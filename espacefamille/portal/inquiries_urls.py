"""The family's "Mes demandes" (URL names ``inquiries:*``, which the family menu links to)."""

from django.urls import path

from .views import inquiries

app_name = "inquiries"

urlpatterns = [
    path("", inquiries.inquiry_list, name="list"),
    path("faire-une-demande/", inquiries.inquiry_categories, name="categories"),
    path("faire-une-demande/<int:category_id>/", inquiries.inquiry_new, name="new"),
    path("<int:pk>/", inquiries.inquiry_detail, name="detail"),
    path("<int:pk>/message/", inquiries.inquiry_message, name="message"),
    path("<int:pk>/pieces/<int:attachment_id>/", inquiries.inquiry_attachment, name="attachment"),
]
