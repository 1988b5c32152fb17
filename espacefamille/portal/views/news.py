"""The family's "Actualités": current posts as cards; "Lire plus" opens a post in a dialog
(the same content is a page of its own without JavaScript); documents download through
a view that checks the post is one this household may read."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from espacefamille.core.uploads import attachment_response
from espacefamille.news.models import NewsDocument, NewsPost
from espacefamille.news.selectors import news_for_household

from ..acting import PortalRequest
from ..decorators import household_required


def _visible(request: PortalRequest) -> QuerySet[NewsPost]:
    return news_for_household(household=request.household)


@household_required
def news_list(request: PortalRequest) -> HttpResponse:
    return render(request, "portal/news/list.html", {"posts": list(_visible(request))})


@household_required
def news_detail(request: PortalRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(_visible(request), pk=pk)
    return render(request, "portal/news/detail.html", {"post": post})


@household_required
def news_document(request: PortalRequest, pk: int, document_id: int) -> HttpResponse:
    post = get_object_or_404(_visible(request), pk=pk)
    document = get_object_or_404(NewsDocument, post=post, pk=document_id)
    return attachment_response(
        stored=document.file, content_type=document.content_type, stem=f"document-{document.pk}"
    )


@household_required
def news_image(request: PortalRequest, pk: int) -> HttpResponse:
    post: NewsPost = get_object_or_404(_visible(request).exclude(image=""), pk=pk)
    return attachment_response(
        stored=post.image, content_type=post.image_type, stem=f"image-{post.pk}"
    )
