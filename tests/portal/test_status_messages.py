"""Status messages: each kind (success, information, warning, error) has its class, icon,
spoken name and role, wherever it comes from (Django's messages, a page's own message)."""

from __future__ import annotations

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.template import Context, Template
from django.template.loader import render_to_string

pytestmark = pytest.mark.django_db


def _render_messages(*messages: Message) -> str:
    return render_to_string("includes/messages.html", {"messages": list(messages)})


def test_each_kind_has_its_colour_icon_and_role() -> None:
    html = _render_messages(
        Message(constants.SUCCESS, "Enregistré."),
        Message(constants.ERROR, "Refusé."),
        Message(constants.WARNING, "Attention au délai."),
        Message(constants.INFO, "Pour information."),
    )
    assert html.index('role="alert"') < html.index('role="status"')
    alert = html[html.index('role="alert"') : html.index('role="status"')]
    status = html[html.index('role="status"') :]
    assert "message-error" in alert and "message-warning" in alert and "Refusé." in alert
    assert "message-success" in status and "message-info" in status and "Enregistré." in status
    assert "✓" in status and "✗" in alert and 'aria-hidden="true"' in html
    assert "Succès : " in status and "Erreur : " in alert


def test_a_page_message_says_its_kind() -> None:
    template = Template(
        "{% load status_messages %}"
        '{% message_box "error" %}<p>Paiement refusé.</p>{% endmessage_box %}'
        '{% message_box "success" id="done" %}<p>Payé.</p>{% endmessage_box %}'
    )
    html = template.render(Context({}))
    refused, paid = html.split('<div class="message message-success"')
    assert 'class="message message-error" role="alert"' in refused and "Paiement refusé." in refused
    assert 'role="status" id="done"' in paid and "✓" in paid


def test_the_message_box_escapes_what_it_holds() -> None:
    template = Template(
        "{% load status_messages %}{% message_box kind %}{{ text }}{% endmessage_box %}"
    )
    html = template.render(Context({"kind": "warning", "text": "<b>x</b>"}))
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "message-warning" in html
