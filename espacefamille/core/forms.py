"""How every form field is rendered: label without Django's " :" suffix, a required marker
hidden from screen readers (the input says ``required`` itself), help and errors linked to the
input by ``aria-describedby`` (Django 5.2)."""

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    field_template_name = "includes/field.html"
