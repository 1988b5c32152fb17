"""Issue 16, item 1: every amount a person types is read by one French parser and one form
field; the words of an amount, shown back before a large price change is saved."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms

from espacefamille.backoffice.forms.invoicing import CounterPaymentForm
from espacefamille.backoffice.forms.prices import AMOUNT_FIELDS, PriceForm
from espacefamille.core.errors import DomainError
from espacefamille.core.forms import AmountField
from espacefamille.core.money import amount_in_words, parse_amount


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("3,60", "3.60"),
        ("3.60", "3.60"),
        ("3,6 €", "3.60"),
        ("3,6€", "3.60"),
        ("1 234,50", "1234.50"),
        ("1\u00a0234,50", "1234.50"),
        ("1\u202f234,50", "1234.50"),
        ("1234,50", "1234.50"),
        ("12", "12.00"),
        ("0,5", "0.50"),
    ],
)
def test_an_amount_typed_the_french_way_or_not(text: str, amount: str) -> None:
    assert parse_amount(text) == Decimal(amount)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("3,605", "too_many_decimals"),
        ("abc", "invalid_amount"),
        ("1,2,3", "invalid_amount"),
        ("1.234,50", "invalid_amount"),
        ("-3,60", "negative_amount"),
        ("123456789", "amount_too_large"),
        ("9" * 40, "amount_too_large"),
        ("1e3", "invalid_amount"),
        ("", "invalid_amount"),
    ],
)
def test_anything_else_is_refused_with_a_french_message(text: str, code: str) -> None:
    with pytest.raises(DomainError) as refused:
        parse_amount(text)
    assert refused.value.reason == code
    assert refused.value.message[0].isupper()


def test_a_negative_amount_where_it_is_allowed() -> None:
    assert parse_amount("-3,60", allow_negative=True) == Decimal("-3.60")


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("360", "trois cent soixante euros"),
        ("3.60", "trois euros et soixante centimes"),
        ("1", "un euro"),
        ("0.50", "cinquante centimes"),
        ("71", "soixante et onze euros"),
        ("80", "quatre-vingts euros"),
        ("81", "quatre-vingt-un euros"),
        ("200", "deux cents euros"),
        ("2415.50", "deux mille quatre cent quinze euros et cinquante centimes"),
        ("80000", "quatre-vingt mille euros"),
        ("1000000", "un million d'euros"),
    ],
)
def test_an_amount_in_words(amount: str, words: str) -> None:
    assert amount_in_words(Decimal(amount)) == words


def test_every_amount_field_of_the_agents_forms_is_a_decimal_text_box() -> None:
    """Fails on the old code: the price fields were ``<input type="number">``."""
    fields = [PriceForm().fields[name] for name in AMOUNT_FIELDS]
    fields.append(CounterPaymentForm().fields["amount"])
    for field in fields:
        assert isinstance(field, AmountField)
        html = str(forms.BoundField(PriceForm(), field, "x"))
        assert 'type="text"' in html and 'inputmode="decimal"' in html
        assert 'type="number"' not in html


def test_the_amount_field_refuses_in_french_and_gives_back_a_decimal() -> None:
    field = AmountField(min_value=Decimal("0.01"), max_value=Decimal("1000"))
    assert field.clean("3,60") == Decimal("3.60")
    for text, message in [
        ("0", "positif"),
        ("1 000,01", "dépasse 1"),
        ("3,605", "au centime près"),
    ]:
        with pytest.raises(forms.ValidationError, match=message):
            field.clean(text)
    assert field.prepare_value(Decimal("1234.5")) == "1234,50"
