"""Webhook subscriptions of the key's town (``webhooks:manage``): list, subscribe (the signing
secret is in the answer to the creation only), unsubscribe."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from ..models import WebhookSubscription
from ..scopes import Scope
from ..webhook_subscriptions import EVENTS, subscription_create, subscription_delete
from .base import found

MANAGE = Scope.WEBHOOKS_MANAGE


class SubscriptionSerializer(serializers.ModelSerializer[WebhookSubscription]):
    class Meta:
        model = WebhookSubscription
        fields = ["id", "url", "events", "is_active", "failures", "created_at"]


class NewSubscriptionSerializer(serializers.ModelSerializer[WebhookSubscription]):
    secret = serializers.CharField(help_text="Le secret de signature, montré cette fois seulement.")

    class Meta:
        model = WebhookSubscription
        fields = ["id", "url", "events", "is_active", "failures", "created_at", "secret"]


class SubscribeSerializer(serializers.Serializer[dict[str, Any]]):
    url = serializers.URLField(max_length=500)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=list(EVENTS)), min_length=1, max_length=len(EVENTS)
    )


class SubscriptionList(generics.ListCreateAPIView[WebhookSubscription]):
    scopes = {"GET": MANAGE, "POST": MANAGE}
    serializer_class = SubscriptionSerializer

    def get_queryset(self) -> QuerySet[WebhookSubscription]:
        return WebhookSubscription.objects.order_by("pk")

    @extend_schema(request=SubscribeSerializer, responses={201: NewSubscriptionSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = SubscribeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        subscription = subscription_create(
            municipality=request.auth.municipality,
            url=serializer.validated_data["url"],
            events=serializer.validated_data["events"],
            actor=request.user,
        )
        return Response(NewSubscriptionSerializer(subscription).data, status=201)


class SubscriptionDetail(generics.RetrieveDestroyAPIView[WebhookSubscription]):
    scopes = {"GET": MANAGE, "DELETE": MANAGE}
    serializer_class = SubscriptionSerializer

    def get_object(self) -> WebhookSubscription:
        return found(WebhookSubscription.objects.all(), self.kwargs["pk"])

    def perform_destroy(self, instance: WebhookSubscription) -> None:
        subscription_delete(subscription=instance, actor=self.request.user)
