"""Base classes that django-stubs makes generic (``ModelAdmin[Model]``, ``ModelForm[Model]``…)
but that Django does not let a program subscript at run time (django-stubs-ext would patch them
in, as one more runtime dependency). Under ``mypy --strict`` a bare generic base is an error:
these names are the subscripted class for the type checker and the plain class at run time."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeAlias

from django import forms
from django.contrib import admin

if TYPE_CHECKING:
    ModelAdmin: TypeAlias = admin.ModelAdmin[Any]
    TabularInline: TypeAlias = admin.TabularInline[Any, Any]
    ModelForm: TypeAlias = forms.ModelForm[Any]
    ModelChoiceField: TypeAlias = forms.ModelChoiceField[Any]
    ModelMultipleChoiceField: TypeAlias = forms.ModelMultipleChoiceField[Any]
else:
    ModelAdmin = admin.ModelAdmin
    TabularInline = admin.TabularInline
    ModelForm = forms.ModelForm
    ModelChoiceField = forms.ModelChoiceField
    ModelMultipleChoiceField = forms.ModelMultipleChoiceField

__all__ = [
    "ModelAdmin",
    "ModelChoiceField",
    "ModelForm",
    "ModelMultipleChoiceField",
    "TabularInline",
]
