""" "Gestion du foyer › Notifications": this browser subscribes to web push, or stops. The page's
script (static ``push.js``) posts the browser's subscription as JSON with the CSRF header;
the answer is JSON: ``{"message": …}`` in French, with 200 or the refusal's status."""

from __future__ import annotations

import json
from typing import Any

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from espacefamille.notifications.errors import NotificationError, NotificationReason
from espacefamille.notifications.push_subscriptions import push_subscribe, push_unsubscribe

from ..acting import PortalRequest
from ..decorators import household_required

BODY_MAX = 4096  # a subscription is a few hundred bytes


def _payload(request: PortalRequest) -> Any:
    """The JSON the script sent, or a French refusal (a body too long, not JSON)."""
    unreadable = NotificationError(
        NotificationReason.PUSH_SUBSCRIPTION,
        _("L'abonnement envoyé par votre navigateur est illisible."),
        status=400,
    )
    if len(request.body) > BODY_MAX:
        raise unreadable
    try:
        return json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise unreadable from error


def _refused(error: NotificationError) -> JsonResponse:
    return JsonResponse({"message": error.message}, status=error.status)


@require_POST
@household_required
def push_subscription_add(request: PortalRequest) -> JsonResponse:
    try:
        data = _payload(request)
        push_subscribe(household=request.household, actor=request.user, data=data)
    except NotificationError as error:
        return _refused(error)
    return JsonResponse({"message": _("Ce navigateur recevra les notifications de votre foyer.")})


@require_POST
@household_required
def push_subscription_remove(request: PortalRequest) -> JsonResponse:
    try:
        data = _payload(request)
        endpoint = data.get("endpoint") if isinstance(data, dict) else None
        push_unsubscribe(household=request.household, actor=request.user, endpoint=endpoint)
    except NotificationError as error:
        return _refused(error)
    return JsonResponse({"message": _("Ce navigateur ne recevra plus les notifications.")})
