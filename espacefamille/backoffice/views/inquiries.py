"""Agents' "Demandes": the inbox by status and category, a request's page (thread, files,
proposed changes), reply, assignment and decision, each through the inquiry services."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from espacefamille.core.service_calls import call_service
from espacefamille.core.uploads import attachment_response
from espacefamille.inquiries.changes import proposed_changes_display
from espacefamille.inquiries.models import Inquiry, InquiryAttachment, InquiryCategory
from espacefamille.inquiries.selectors import inquiry_inbox
from espacefamille.inquiries.services import (
    inquiry_assign,
    inquiry_health_data_read,
    inquiry_reply,
    inquiry_set_status,
)

from ..acting import AgentRequest
from ..forms.inquiries import (
    InboxFilterForm,
    InquiryAssignForm,
    InquiryReplyForm,
    InquiryStatusForm,
)
from ..permissions import Area, agent_required


@agent_required(Area.INQUIRIES)
def inquiry_list(request: AgentRequest) -> HttpResponse:
    form = InboxFilterForm(request.GET or None, categories=InquiryCategory.objects.all())
    status, category_id = "", None
    if form.is_valid():
        status = form.cleaned_data["status"]
        category_id = form.cleaned_data["category"] or None
    inquiries = inquiry_inbox(status=status, category_id=category_id)
    return render(request, "backoffice/inquiries/list.html", {"form": form, "inquiries": inquiries})


def _page(request: HttpRequest, inquiry: Inquiry, **forms: object) -> HttpResponse:
    role = (
        inquiry.assigned_to
        and inquiry.assigned_to.agent_roles.filter(municipality_id=inquiry.municipality_id).first()
    )
    context = {
        "inquiry": inquiry,
        "thread": inquiry.messages.all(),
        "attachments": inquiry.attachments.all(),
        "proposed": proposed_changes_display(inquiry),
        "reply_form": InquiryReplyForm(),
        "status_form": InquiryStatusForm(initial={"status": inquiry.status}, inquiry=inquiry),
        "assign_form": InquiryAssignForm(initial={"agent": role.pk if role else None}),
    }
    context.update(forms)
    return render(request, "backoffice/inquiries/detail.html", context)


@agent_required(Area.INQUIRIES)
def inquiry_detail(request: AgentRequest, pk: int) -> HttpResponse:
    inquiry = get_object_or_404(inquiry_inbox(), pk=pk)
    inquiry_health_data_read(inquiry=inquiry, actor=request.user)
    return _page(request, inquiry)


@agent_required(Area.INQUIRIES)
@require_POST
def inquiry_answer(request: AgentRequest, pk: int) -> HttpResponse:
    inquiry = get_object_or_404(Inquiry, pk=pk)
    form = InquiryReplyForm(request.POST)
    sent = form.is_valid() and (
        call_service(
            form,
            lambda: inquiry_reply(
                inquiry=inquiry, text=form.cleaned_data["text"], from_town=True, actor=request.user
            ),
        )
        is not None
    )
    if sent:
        messages.success(request, _("La réponse est envoyée à la famille."))
        return redirect("backoffice:inquiry", pk=inquiry.pk)
    return _page(request, inquiry, reply_form=form)


@agent_required(Area.INQUIRIES)
@require_POST
def inquiry_decide(request: AgentRequest, pk: int) -> HttpResponse:
    inquiry = get_object_or_404(Inquiry, pk=pk)
    form = InquiryStatusForm(request.POST, inquiry=inquiry)
    decided = form.is_valid() and (
        call_service(
            form,
            lambda: inquiry_set_status(
                inquiry=inquiry,
                status=form.cleaned_data["status"],
                actor=request.user,
                pickup=form.pickup(),
            ),
        )
        is not None
    )
    if decided:
        messages.success(request, _("Le statut de la demande est enregistré."))
        return redirect("backoffice:inquiry", pk=inquiry.pk)
    return _page(request, inquiry, status_form=form)


@agent_required(Area.INQUIRIES)
@require_POST
def inquiry_assignment(request: AgentRequest, pk: int) -> HttpResponse:
    inquiry = get_object_or_404(Inquiry, pk=pk)
    form = InquiryAssignForm(request.POST)
    if form.is_valid():
        role = form.cleaned_data["agent"]
        inquiry_assign(inquiry=inquiry, agent=role.user if role else None, actor=request.user)
        messages.success(request, _("L'attribution est enregistrée."))
        return redirect("backoffice:inquiry", pk=inquiry.pk)
    return _page(request, inquiry, assign_form=form)


@agent_required(Area.INQUIRIES)
def inquiry_attachment(request: AgentRequest, pk: int, attachment_id: int) -> HttpResponse:
    attachment = get_object_or_404(InquiryAttachment, inquiry_id=pk, pk=attachment_id)
    return attachment_response(
        stored=attachment.file, content_type=attachment.content_type, stem=f"piece-{attachment.pk}"
    )
