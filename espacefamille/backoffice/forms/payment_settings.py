"""The payment settings forms: a régie's provider (its eopayment options as fields, secrets
never rendered back: the help text shows "••••1234" and an empty field keeps the stored value)
and the cancellation rule of a prepaid régie."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from espacefamille.catalog.models import Service
from espacefamille.core.secret_mask import mask
from espacefamille.payments.models import CancellationOutcome, ProviderConfig
from espacefamille.payments.provider_settings import backend_parameters, offered_backends

OPTION_PREFIX = "option_"


class ProviderForm(forms.Form):
    required_css_class = "required"

    backend = forms.ChoiceField(label=_("Prestataire"), choices=[])
    service: forms.ModelChoiceField[Service] = forms.ModelChoiceField(
        label=_("Régie"),
        queryset=Service.objects.none(),
        required=False,
        empty_label=_("Toutes les régies (prestataire par défaut)"),
    )
    is_active = forms.BooleanField(label=_("Actif"), required=False, initial=True)

    def __init__(self, *args: Any, config: ProviderConfig | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.config = config
        service_field = self.fields["service"]
        assert isinstance(service_field, forms.ModelChoiceField)
        service_field.queryset = Service.objects.order_by("position", "name")
        if config is not None:
            self.initial.update(
                backend=config.backend, service=config.service_id, is_active=config.is_active
            )
        offered = offered_backends(current=config.backend if config is not None else "")
        backend_field = self.fields["backend"]
        assert isinstance(backend_field, forms.ChoiceField)
        backend_field.choices = list(offered.items())
        backend = self.data.get("backend") or self.initial.get("backend") or "payfip_ws"
        self.backend_shown = backend if backend in offered else "payfip_ws"
        stored = (
            (config.options or {})
            if config is not None and config.backend == self.backend_shown
            else {}
        )
        for parameter in backend_parameters(self.backend_shown):
            name = OPTION_PREFIX + parameter.name
            if parameter.secret:
                kept = stored.get(parameter.name)
                help_text = (
                    _("Valeur enregistrée : %(mask)s. Laissez vide pour la garder.")
                    % {"mask": mask(kept)}
                    if kept
                    else _("Valeur secrète : elle ne sera plus jamais affichée en entier.")
                )
                help_text = f"{parameter.help} {help_text}"
                self.fields[name] = forms.CharField(
                    label=parameter.caption,
                    required=False,
                    help_text=help_text,
                    widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
                )
            elif parameter.choices:
                self.fields[name] = forms.ChoiceField(
                    label=parameter.caption,
                    required=False,
                    choices=[("", "—"), *parameter.choices],
                    initial=stored.get(parameter.name, ""),
                    help_text=parameter.help,
                )
            else:
                self.fields[name] = forms.CharField(
                    label=parameter.caption,
                    required=False,
                    initial=stored.get(parameter.name, ""),
                    help_text=parameter.help,
                )

    def options(self) -> dict[str, str]:
        return {
            name.removeprefix(OPTION_PREFIX): str(value or "")
            for name, value in self.cleaned_data.items()
            if name.startswith(OPTION_PREFIX)
        }


class CancellationRuleForm(forms.Form):
    service = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        label=_("Une annulation dans les délais donne"), choices=CancellationOutcome.choices
    )
