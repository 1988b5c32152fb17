"""The family's "Mes demandes": the categories, "Faire une demande", "Historique des
demandes" and a request's thread; files download only for the household that sent them."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from espacefamille.core.service_calls import call_service, refusal_of
from espacefamille.core.uploads import attachment_response
from espacefamille.inquiries.changes import proposed_changes_display
from espacefamille.inquiries.models import Inquiry, InquiryAttachment
from espacefamille.inquiries.read_receipts import inquiry_mark_read
from espacefamille.inquiries.selectors import categories_offered, inquiries_of_household
from espacefamille.inquiries.services import inquiry_create, inquiry_reply

from ..acting import PortalRequest
from ..decorators import household_required
from ..inquiry_forms import InquiryForm, InquiryReplyForm


def _own(request: PortalRequest, pk: int) -> Inquiry:
    household = request.household
    return get_object_or_404(inquiries_of_household(household=household), pk=pk)


@household_required
def inquiry_list(request: PortalRequest) -> HttpResponse:
    household = request.household
    return render(
        request,
        "portal/inquiries/list.html",
        {"inquiries": inquiries_of_household(household=household)},
    )


@household_required
def inquiry_categories(request: PortalRequest) -> HttpResponse:
    offered = categories_offered(pickup_rule=request.household.municipality.pickup_rule)
    return render(request, "portal/inquiries/categories.html", {"categories": offered})


@household_required
@require_http_methods(["GET", "POST"])
def inquiry_new(request: PortalRequest, category_id: int) -> HttpResponse:
    household = request.household
    category = get_object_or_404(categories_offered(), pk=category_id)
    form = InquiryForm(
        request.POST or None, request.FILES or None, category=category, household=household
    )
    if request.method == "POST" and form.is_valid():
        extra = form.cleaned_data.get("extra_file")
        created = call_service(
            form,
            lambda: inquiry_create(
                household=household,
                category=category,
                child=form.cleaned_data.get("child"),
                text=form.cleaned_data["text"],
                documents=form.documents(),
                extra_files=[extra] if extra else [],
                proposed=form.proposed(),
                actor=request.user,
            ),
        )
        if created is not None:
            messages.success(request, _("Votre demande est envoyée à la commune."))
            return redirect("inquiries:detail", pk=created.pk)
    return render(request, "portal/inquiries/form.html", {"form": form, "category": category})


@household_required
def inquiry_detail(request: PortalRequest, pk: int) -> HttpResponse:
    inquiry = _own(request, pk)
    if inquiry.new_answer:  # opening the thread reads the town's answers
        inquiry_mark_read(inquiry=inquiry, household=request.household)
    return render(
        request,
        "portal/inquiries/detail.html",
        {
            "inquiry": inquiry,
            "thread": inquiry.messages.all(),
            "attachments": inquiry.attachments.all(),
            "proposed": proposed_changes_display(inquiry),
            "form": InquiryReplyForm(),
        },
    )


@household_required
@require_POST
def inquiry_message(request: PortalRequest, pk: int) -> HttpResponse:
    inquiry = _own(request, pk)
    form = InquiryReplyForm(request.POST)
    if form.is_valid():
        refused = refusal_of(
            request,
            lambda: inquiry_reply(
                inquiry=inquiry, text=form.cleaned_data["text"], from_town=False, actor=request.user
            ),
        )
        if refused is None:
            messages.success(request, _("Votre message est envoyé."))
    else:
        messages.error(request, _("Écrivez votre message."))
    return redirect("inquiries:detail", pk=inquiry.pk)


@household_required
def inquiry_attachment(request: PortalRequest, pk: int, attachment_id: int) -> HttpResponse:
    inquiry = _own(request, pk)
    attachment = get_object_or_404(InquiryAttachment, inquiry=inquiry, pk=attachment_id)
    return attachment_response(
        stored=attachment.file, content_type=attachment.content_type, stem=f"piece-{attachment.pk}"
    )
