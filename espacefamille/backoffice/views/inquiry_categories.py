"""Agents' request categories ("thématiques"): list, create, edit, with required documents."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from espacefamille.core.service_calls import call_service
from espacefamille.inquiries.categories import inquiry_category_save
from espacefamille.inquiries.models import InquiryCategory

from ..acting import AgentRequest
from ..forms.inquiries import InquiryCategoryForm
from ..permissions import Area, agent_required


@agent_required(Area.INQUIRIES)
def category_list(request: AgentRequest) -> HttpResponse:
    categories = InquiryCategory.objects.prefetch_related("required_documents")
    return render(request, "backoffice/inquiries/categories.html", {"categories": categories})


@agent_required(Area.INQUIRIES)
@require_http_methods(["GET", "POST"])
def category_edit(request: AgentRequest, pk: int | None = None) -> HttpResponse:
    category = get_object_or_404(InquiryCategory, pk=pk) if pk is not None else None
    form = InquiryCategoryForm(request.POST or None, instance=category)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            lambda: inquiry_category_save(
                municipality=request.municipality,
                category=InquiryCategory.objects.get(pk=category.pk) if category else None,
                data=form.cleaned_data,
                required_labels=form.required_labels(),
                actor=request.user,
            ),
        )
        if saved is not None:
            messages.success(request, _("La thématique est enregistrée."))
            return redirect("backoffice:inquiry_categories")
    title = _("Modifier la thématique") if category else _("Nouvelle thématique")
    return render(
        request, "backoffice/inquiries/category_form.html", {"form": form, "title": title}
    )
