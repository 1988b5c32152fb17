"""What the API answers, field by field: ids, ISO dates, amounts as strings with two decimals
(``"3.50"``). Households and children carry what a town's other software needs to find a
family (names, reference, school class), never health data (no PAI, no diet per child)."""

from __future__ import annotations

from rest_framework import serializers

from espacefamille.billing.models import Invoice
from espacefamille.bookings.models import Booking, BookingStatus
from espacefamille.catalog.models import Enrollment, Product, Service
from espacefamille.households.models import Child, Household

MONEY = {"max_digits": 10, "decimal_places": 2, "coerce_to_string": True}


class ServiceSerializer(serializers.ModelSerializer[Service]):
    class Meta:
        model = Service
        fields = ["id", "name", "billing_mode"]


class ProductSerializer(serializers.ModelSerializer[Product]):
    unit_price = serializers.DecimalField(**MONEY)

    class Meta:
        model = Product
        fields = [
            "id",
            "service",
            "name",
            "weekdays",
            "booking_deadline",
            "cancellation_deadline",
            "capacity",
            "unit_price",
            "is_active",
        ]


class ProductDaySerializer(serializers.Serializer[dict[str, object]]):
    date = serializers.DateField()
    open = serializers.BooleanField()
    closed_reason = serializers.CharField(allow_blank=True)
    capacity = serializers.IntegerField(allow_null=True)
    taken = serializers.IntegerField()
    places_left = serializers.IntegerField(allow_null=True)


class ChildSerializer(serializers.ModelSerializer[Child]):
    class Meta:
        model = Child
        fields = ["id", "household", "first_name", "last_name", "birth_date", "school_class"]


class HouseholdSerializer(serializers.ModelSerializer[Household]):
    reference = serializers.CharField(source="external_ref")
    children = ChildSerializer(many=True, read_only=True)

    class Meta:
        model = Household
        fields = ["id", "name", "reference", "children"]


class BalanceSerializer(serializers.Serializer[dict[str, object]]):
    household = serializers.IntegerField()
    due = serializers.DecimalField(**MONEY)
    credit = serializers.DecimalField(**MONEY)


class EnrolmentSerializer(serializers.ModelSerializer[Enrollment]):
    site = serializers.CharField(source="site.name", allow_null=True, default=None)

    class Meta:
        model = Enrollment
        fields = ["id", "child", "service", "start_date", "end_date", "school_class", "site"]


class BookingSerializer(serializers.ModelSerializer[Booking]):
    class Meta:
        model = Booking
        fields = ["id", "child", "product", "date", "end_date", "status", "created_at"]


class BookingCreateSerializer(serializers.Serializer[dict[str, object]]):
    child = serializers.IntegerField(min_value=1)
    product = serializers.IntegerField(min_value=1)
    date = serializers.DateField()
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="Motif, seulement avec le droit bookings:override (un délai dépassé).",
    )


class BookingCancelSerializer(serializers.Serializer[dict[str, object]]):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200)


class TapSerializer(serializers.Serializer[dict[str, object]]):
    child = serializers.IntegerField(min_value=1)
    product = serializers.IntegerField(min_value=1)
    date = serializers.DateField()
    action = serializers.ChoiceField(choices=["present", "absent", "justified"])
    tap_id = serializers.UUIDField()
    tapped_at = serializers.DateTimeField(required=False, allow_null=True)


class TapOutcomeSerializer(serializers.Serializer[dict[str, object]]):
    child = serializers.IntegerField()
    product = serializers.IntegerField()
    date = serializers.DateField()
    state = serializers.CharField()
    applied = serializers.BooleanField()


class InvoiceSerializer(serializers.ModelSerializer[Invoice]):
    total = serializers.DecimalField(**MONEY)
    paid = serializers.DecimalField(source="paid_amount", **MONEY)
    balance = serializers.SerializerMethodField()

    class Meta:
        model = Invoice
        fields = [
            "id",
            "number",
            "household",
            "service",
            "period_start",
            "period_end",
            "issued_on",
            "due_on",
            "total",
            "paid",
            "balance",
        ]

    def get_balance(self, invoice: Invoice) -> str:
        return f"{invoice.total - invoice.paid_amount:.2f}"  # type: ignore[attr-defined]


class ClosureSerializer(serializers.Serializer[dict[str, object]]):
    id = serializers.IntegerField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    reason = serializers.CharField()
    products = serializers.ListField(child=serializers.IntegerField())


class KitchenProductSerializer(serializers.Serializer[dict[str, object]]):
    product = serializers.IntegerField()
    name = serializers.CharField()
    booked = serializers.IntegerField()
    requested = serializers.IntegerField()
    forecast = serializers.IntegerField()


class KitchenDietSerializer(serializers.Serializer[dict[str, object]]):
    diet = serializers.CharField()
    count = serializers.IntegerField()


class KitchenSiteSerializer(serializers.Serializer[dict[str, object]]):
    date = serializers.DateField()
    site = serializers.CharField()
    booked = serializers.IntegerField()
    forecast = serializers.IntegerField()
    products = KitchenProductSerializer(many=True)
    diets = KitchenDietSerializer(many=True)


STATUSES = [choice for choice, _label in BookingStatus.choices]
