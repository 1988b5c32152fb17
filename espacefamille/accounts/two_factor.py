"""Agents' second factor (django-otp): one TOTP device per login, shown to the agent as a base32
secret any authenticator app accepts, plus single-use recovery codes (a static device).

A TOTP code is accepted once: django-otp keeps the last time step used and refuses it or an
earlier one, and slows down repeated failures."""

from __future__ import annotations

import base64
import binascii
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User

TOTP_NAME = "Application d'authentification"
RECOVERY_NAME = "Codes de secours"
_TOTP_CODE = re.compile(r"^\d{6}$")


class SecondFactorError(Exception):
    """A refused code; the message is for the agent."""


@dataclass(frozen=True)
class DeviceSecrets:
    """What the agent must keep, shown once: the TOTP secret and the recovery codes."""

    secret: str  # base32, no padding
    recovery_codes: list[str]


def base32_secret(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


def _hex_key(secret: str) -> str:
    padded = secret.strip().replace(" ", "").upper()
    padded += "=" * (-len(padded) % 8)
    try:
        return base64.b32decode(padded).hex()
    except (binascii.Error, ValueError) as exc:
        raise ValueError("A TOTP secret must be base32.") from exc


@transaction.atomic
def device_provision(*, user: User, secret: str | None = None) -> DeviceSecrets:
    """Replace the login's devices by a new TOTP device (a given base32 ``secret``, for the demo,
    or a random one) and a fresh set of recovery codes."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    key = _hex_key(secret) if secret else secrets.token_hex(20)
    totp = TOTPDevice.objects.create(user=user, name=TOTP_NAME, key=key, confirmed=True)
    static = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _index in range(settings.AGENT_RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    return DeviceSecrets(secret=base32_secret(totp), recovery_codes=codes)


def has_device(*, user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def second_factor_verify(*, user: User, code: str) -> Device:
    """The device that accepts ``code`` (six digits: the TOTP app; otherwise a recovery code,
    spent), or ``SecondFactorError``."""
    code = "".join(code.split()).lower()
    model: type[TOTPDevice] | type[StaticDevice] = (
        TOTPDevice if _TOTP_CODE.match(code) else StaticDevice
    )
    device = model.objects.select_for_update().filter(user=user, confirmed=True).first()
    if device is None:
        raise SecondFactorError(_("Code incorrect."))
    allowed, _details = device.verify_is_allowed()
    if not allowed:
        raise SecondFactorError(
            _("Trop de codes incorrects : patientez quelques secondes avant de réessayer.")
        )
    if not device.verify_token(code):
        raise SecondFactorError(_("Code incorrect ou déjà utilisé."))
    return device
