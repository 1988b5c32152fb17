"""Status messages of every page, in one shape: each kind (success, information, warning,
error) has its colour, its icon, its spoken name and its role (``status``, or ``alert`` for
warnings and errors). Django's messages go through ``includes/messages.html``; a page's own
message uses ``{% message_box "error" %}…{% endmessage_box %}``; both render
``includes/message.html``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.template.base import Node, NodeList, Parser, Token
from django.template.context import Context
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

register = template.Library()


@dataclass(frozen=True)
class MessageKind:
    name: str
    label: Any
    icon: str
    role: str


KINDS = {
    "success": MessageKind("success", _("Succès"), "✓", "status"),
    "info": MessageKind("info", _("Information"), "i", "status"),
    "warning": MessageKind("warning", _("Attention"), "!", "alert"),
    "error": MessageKind("error", _("Erreur"), "✗", "alert"),
}


def message_kind(name: str) -> MessageKind:
    """The kind called ``name`` (Django's level tags: ``debug`` reads as information)."""
    return KINDS.get(name, KINDS["info"])


@register.simple_tag
def messages_by_role(messages: Any) -> list[tuple[str, list[tuple[MessageKind, Any]]]]:
    """Django's messages in two live regions: ``alert`` (warnings, errors) first, then
    ``status`` (successes, information), each message with its kind."""
    groups: dict[str, list[tuple[MessageKind, Any]]] = {"alert": [], "status": []}
    for message in messages:
        kind = message_kind(message.level_tag)
        groups[kind.role].append((kind, message))
    return [(role, items) for role, items in groups.items() if items]


class MessageBoxNode(Node):
    def __init__(self, kind: Any, element_id: Any, nodelist: NodeList) -> None:
        self.kind = kind
        self.element_id = element_id
        self.nodelist = nodelist

    def render(self, context: Context) -> SafeString:
        body = self.nodelist.render(context)  # already escaped by the template engine
        element_id = self.element_id.resolve(context) if self.element_id else ""
        return mark_safe(  # noqa: S308 - the template's own output, escaped when rendered
            render_to_string(
                "includes/message.html",
                {
                    "kind": message_kind(str(self.kind.resolve(context))),
                    "body": mark_safe(body),  # noqa: S308 - same
                    "element_id": element_id,
                },
            )
        )


@register.tag("message_box")
def message_box(parser: Parser, token: Token) -> MessageBoxNode:
    """``{% message_box "error" %}<p>…</p>{% endmessage_box %}`` (or ``{% message_box
    "warning" id="day-invoiced" %}``): a page's own message."""
    bits = token.split_contents()
    if len(bits) not in (2, 3):
        raise template.TemplateSyntaxError('message_box takes the kind, then id="…" if need be')
    element_id = None
    if len(bits) == 3:
        if not bits[2].startswith("id="):
            raise template.TemplateSyntaxError('message_box: the second argument is id="…"')
        element_id = parser.compile_filter(bits[2][3:])
    nodelist = parser.parse(("endmessage_box",))
    parser.delete_first_token()
    return MessageBoxNode(parser.compile_filter(bits[1]), element_id, nodelist)
