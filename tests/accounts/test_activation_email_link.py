""" "Votre compte espace famille a bien été créé" links to the portal the wizard ran on, not to
``SITE_URL`` (the demo on another port, a town's own domain)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from ..onboarding.test_invitations import _send, _wizard, guardian

pytestmark = pytest.mark.django_db(transaction=True)  # e-mails leave after commit

__all__ = ["guardian"]  # the fixture, shared with the invitation tests


def test_the_account_created_email_links_to_the_wizards_portal(
    guardian: Any, settings: Any
) -> None:
    settings.SITE_URL = "http://127.0.0.1:8000"
    settings.ALLOWED_HOSTS = ["famille.test"]
    sent = _send(guardian)
    mail.outbox.clear()
    response = _wizard(Client(HTTP_HOST="famille.test:8123"), sent.token)
    assert response.status_code == 302
    (message,) = mail.outbox
    assert "http://famille.test:8123/connexion/" in message.body
    assert ":8000" not in message.body
