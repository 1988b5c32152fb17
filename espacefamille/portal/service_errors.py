"""The portal's way to call a service: its ``ValidationError`` becomes the form's errors (the
service's transaction rolled back, so nothing was written)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError

Result = TypeVar("Result")


def call_service(form: forms.BaseForm, action: Callable[[], Result]) -> Result | None:
    try:
        return action()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return None
