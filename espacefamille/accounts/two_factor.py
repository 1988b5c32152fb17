"""Agents' second factor (django-otp): one TOTP device per login, shown to the agent as a base32
secret any authenticator app accepts, plus single-use recovery codes (a static device).

A TOTP code is accepted once: django-otp keeps the last time step used and refuses it or an
earlier one, and slows down repeated failures; ten wrong codes in a row lock the login's second
factor for 15 minutes (``second_factor_limits``)."""

from __future__ import annotations

import base64
import binascii
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .errors import AccountError, AccountReason
from .models import User
from .second_factor_limits import (
    RECOVERY,
    TOTP,
    current_lock,
    failure_record,
    throttle_clear,
    throttle_for_update,
    wait_message,
)

TOTP_NAME = "Application d'authentification"
RECOVERY_NAME = "Codes de secours"
_TOTP_CODE = re.compile(r"^\d{6}$")


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
    throttle_clear(user=user)
    return DeviceSecrets(secret=base32_secret(totp), recovery_codes=codes)


def has_device(*, user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def second_factor_verify(*, user: User, code: str) -> Device:
    """The device that accepts ``code`` (six digits: the TOTP app; otherwise a recovery code,
    spent), or ``AccountError`` (``SECOND_FACTOR_REFUSED``).

    A refusal is recorded first (django-otp's delay on the device, the login's count of wrong
    codes and its lock: ``second_factor_limits``) in a transaction that commits, and raised
    after it: do not call this inside a transaction that the refusal would roll back."""
    outcome = _second_factor_check(user=user, code=code)
    if isinstance(outcome, str):
        raise AccountError(AccountReason.SECOND_FACTOR_REFUSED, outcome, field="code")
    return outcome


@transaction.atomic
def _second_factor_check(*, user: User, code: str) -> Device | str:
    """The device that accepts ``code``, or the refusal's message; never raises on a refusal,
    so that what it records is kept."""
    code = "".join(code.split()).lower()
    means = TOTP if _TOTP_CODE.match(code) else RECOVERY
    throttle = throttle_for_update(user=user)
    locked = current_lock(throttle)
    if locked is not None:
        return locked
    model: type[TOTPDevice] | type[StaticDevice] = TOTPDevice if means == TOTP else StaticDevice
    device = model.objects.select_for_update().filter(user=user, confirmed=True).first()
    if device is None:
        return failure_record(throttle=throttle, user=user, means=means)
    allowed, details = device.verify_is_allowed()
    if not allowed:
        return wait_message((details or {}).get("locked_until"))
    if not device.verify_token(code):
        return failure_record(throttle=throttle, user=user, means=means)
    throttle_clear(user=user)
    return device
