"""Selects are rendered by the project's ``django/forms/widgets/select.html``: the options are
written in place, so a select of 60 sites costs no template include per option, with Django's
markup (value, selected, label, optgroup)."""

from __future__ import annotations

from unittest import mock

from django import forms
from django.template.loader_tags import IncludeNode


class SitesForm(forms.Form):
    site = forms.ChoiceField(required=False)
    grouped = forms.ChoiceField(
        choices=[("Écoles", [("1", "Jules Ferry"), ("2", "Pasteur")]), ("3", "Sans site")],
        initial="2",
    )
    several = forms.MultipleChoiceField(choices=[("a", "A & B"), ("b", "C")], initial=["a", "b"])


def _includes(options: int) -> int:
    form = SitesForm()
    site = form.fields["site"]
    assert isinstance(site, forms.ChoiceField)
    site.choices = [(str(number), f"École {number}") for number in range(options)]
    original = IncludeNode.render
    with mock.patch.object(IncludeNode, "render", autospec=True, side_effect=original) as include:
        str(form["site"])
    return include.call_count


def test_a_select_costs_no_include_per_option() -> None:
    assert _includes(2) == _includes(60)


def test_a_select_keeps_djangos_markup() -> None:
    form = SitesForm(initial={"site": "x<y"})
    site = form.fields["site"]
    assert isinstance(site, forms.ChoiceField)
    site.choices = [("", "Tous les sites"), ("x<y", "X & Y")]
    html = str(form["site"])
    assert '<option value="">Tous les sites</option>' in html
    assert '<option value="x&lt;y" selected>X &amp; Y</option>' in html
    grouped = str(form["grouped"])
    assert '<optgroup label="Écoles">' in grouped and "</optgroup>" in grouped
    assert '<option value="2" selected>Pasteur</option>' in grouped
    assert '<option value="3">Sans site</option>' in grouped
    several = str(form["several"])
    assert "multiple" in several
    assert '<option value="a" selected>A &amp; B</option>' in several
    assert '<option value="b" selected>C</option>' in several
