"""``core.service_calls``: how both front doors show a ``DomainError``, and what the API answers."""

from __future__ import annotations

from enum import StrEnum

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.test import RequestFactory

from espacefamille.billing.errors import BillingError, BillingReason
from espacefamille.bookings.errors import BookingError, Reason
from espacefamille.core.errors import DomainError
from espacefamille.core.service_calls import call_service, problem_details, refusal_of
from espacefamille.payments.errors import PaymentError, PaymentReason


class ShopReason(StrEnum):
    SOLD_OUT = "sold_out"


class OrderForm(forms.Form):
    quantity = forms.IntegerField()
    note = forms.CharField(required=False)


def _request() -> HttpRequest:
    request = RequestFactory().post("/")
    request.session = {}  # type: ignore[attr-defined]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def _refuse(error: Exception) -> None:
    raise error


def _bound_form() -> OrderForm:
    form = OrderForm({"quantity": "3"})
    assert form.is_valid()
    return form


def test_the_service_result_comes_back_when_nothing_is_refused() -> None:
    form = _bound_form()
    assert call_service(form, lambda: 42) == 42
    assert form.is_valid()
    assert refusal_of(_request(), lambda: None) is None


def test_a_refusal_goes_on_the_page_as_a_message() -> None:
    request = _request()
    error = DomainError(ShopReason.SOLD_OUT, "Il n'y a plus de places.")
    assert call_service(request, lambda: _refuse(error)) is None
    assert [str(message) for message in get_messages(request)] == ["Il n'y a plus de places."]


def test_a_refusal_with_a_field_goes_on_that_field_of_the_form() -> None:
    form = _bound_form()
    error = DomainError(ShopReason.SOLD_OUT, "Trois, c'est trop.", field="quantity")
    assert refusal_of(form, lambda: _refuse(error)) is error
    assert form.errors == {"quantity": ["Trois, c'est trop."]}
    assert form.has_error("quantity", "sold_out")  # the reason is the error's code


def test_a_field_the_form_lacks_becomes_a_non_field_error() -> None:
    form = _bound_form()
    error = DomainError(ShopReason.SOLD_OUT, "Refusé.", field="not_in_the_form")
    call_service(form, lambda: _refuse(error))
    assert form.non_field_errors() == ["Refusé."]


def test_several_fields_at_once_each_get_their_message() -> None:
    form = _bound_form()
    error = DomainError(
        ShopReason.SOLD_OUT,
        "Deux erreurs.",
        field_errors={"quantity": ["Trop."], "note": ["Une note est nécessaire."]},
    )
    call_service(form, lambda: _refuse(error))
    assert form.errors == {"quantity": ["Trop."], "note": ["Une note est nécessaire."]}


def test_a_django_validator_reached_through_a_service_still_reaches_the_form() -> None:
    form = _bound_form()
    call_service(form, lambda: _refuse(ValidationError({"note": "Texte invalide."})))
    assert form.errors == {"note": ["Texte invalide."]}


def test_other_exceptions_are_not_swallowed() -> None:
    with pytest.raises(KeyError):
        call_service(_bound_form(), lambda: _refuse(KeyError("bug")))


def test_problem_details_carry_the_reason_code_and_the_status() -> None:
    status, body = problem_details(
        BillingError(BillingReason.INVOICE_PAID, "Cette facture est déjà entièrement réglée.")
    )
    assert status == 409
    assert body == {
        "type": "urn:espacefamille:problem:invoice_paid",
        "title": "Opération impossible dans l'état actuel",
        "status": 409,
        "detail": "Cette facture est déjà entièrement réglée.",
        "reason": "invoice_paid",
    }


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (DomainError(ShopReason.SOLD_OUT, "Refusé."), 422),
        (BookingError(Reason.PAST_DEADLINE, "Délai dépassé."), 422),
        (BookingError(Reason.ILLEGAL_TRANSITION, "validated → requested"), 409),
        (BookingError(Reason.NOT_IN_AGENT_SITES, "Pas dans vos sites."), 404),
        (BookingError.busy(), 503),
        (PaymentError(PaymentReason.PROVIDER_UNAVAILABLE, "Indisponible."), 503),
        (DomainError(ShopReason.SOLD_OUT, "Refusé.", status=429), 429),
    ],
)
def test_a_technical_failure_answers_503_and_a_refusal_4xx(error: DomainError, status: int) -> None:
    assert problem_details(error)[0] == status
    assert problem_details(error)[1]["reason"] == str(error.reason)


def test_problem_details_name_the_field() -> None:
    _status, body = problem_details(
        DomainError(ShopReason.SOLD_OUT, "Trop.", field_errors={"quantity": ["Trop."]})
    )
    assert body["errors"] == [{"field": "quantity", "detail": "Trop."}]
    _status, body = problem_details(DomainError(ShopReason.SOLD_OUT, "Trop.", field="quantity"))
    assert body["field"] == "quantity"


def test_booking_error_keeps_its_two_argument_form() -> None:
    error = BookingError(Reason.FULL, "Complet.")
    assert isinstance(error, DomainError)
    assert (error.reason, error.message, error.field, str(error)) == (
        Reason.FULL,
        "Complet.",
        None,
        "Complet.",
    )
