"""Agents' "Actualités": list, create and edit (dates schedule a post), withdraw or put back;
every write goes through the news services, which log it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from espacefamille.core.service_calls import call_service
from espacefamille.core.uploads import attachment_response
from espacefamille.news.models import NewsDocument, NewsPost
from espacefamille.news.services import news_post_save, news_post_withdraw

from ..acting import AgentRequest
from ..forms.news import NewsPostForm
from ..permissions import Area, agent_required


@agent_required(Area.NEWS)
def news_list(request: AgentRequest) -> HttpResponse:
    posts = NewsPost.objects.prefetch_related("services", "documents")
    return render(request, "backoffice/news/list.html", {"posts": posts})


@agent_required(Area.NEWS)
@require_http_methods(["GET", "POST"])
def news_edit(request: AgentRequest, pk: int | None = None) -> HttpResponse:
    post = get_object_or_404(NewsPost, pk=pk) if pk is not None else None
    form = NewsPostForm(request.POST or None, request.FILES or None, instance=post)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = call_service(
            form,
            lambda: news_post_save(
                municipality=request.municipality,
                post=NewsPost.objects.get(pk=post.pk) if post else None,
                data=data,
                services=list(data["services"]),
                documents=data["new_documents"],
                removed_document_ids=[d.pk for d in data.get("removed_documents") or []],
                image=data.get("image_upload") or None,
                actor=request.user,
            ),
        )
        if saved is not None:
            messages.success(request, _("L'actualité est enregistrée."))
            return redirect("backoffice:news")
    title = _("Modifier l'actualité") if post else _("Nouvelle actualité")
    return render(
        request, "backoffice/news/form.html", {"form": form, "title": title, "post": post}
    )


@agent_required(Area.NEWS)
@require_POST
def news_withdraw(request: AgentRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(NewsPost, pk=pk)
    withdrawn = request.POST.get("withdrawn") == "1"
    news_post_withdraw(post=post, withdrawn=withdrawn, actor=request.user)
    if withdrawn:
        messages.success(request, _("L'actualité est retirée : les familles ne la voient plus."))
    else:
        messages.success(request, _("L'actualité est de nouveau publiée."))
    return redirect("backoffice:news")


@agent_required(Area.NEWS)
def news_document(request: AgentRequest, pk: int, document_id: int) -> HttpResponse:
    document = get_object_or_404(NewsDocument, post_id=pk, pk=document_id)
    return attachment_response(
        stored=document.file, content_type=document.content_type, stem=f"document-{document.pk}"
    )
