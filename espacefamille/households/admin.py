from django.contrib import admin

from .models import (
    AuthorizedPickup,
    Child,
    ConsentPurpose,
    Diet,
    EmergencyContact,
    Guardian,
    Household,
    HouseholdChange,
)


class GuardianInline(admin.StackedInline):
    model = Guardian
    extra = 0


class ChildInline(admin.StackedInline):
    model = Child
    extra = 0


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "external_ref"]
    list_filter = ["municipality"]
    search_fields = ["name", "external_ref"]
    inlines = [GuardianInline, ChildInline]


@admin.register(HouseholdChange)
class HouseholdChangeAdmin(admin.ModelAdmin):
    list_display = ["at", "household", "actor", "action", "object_repr"]
    list_filter = ["municipality", "action"]
    readonly_fields = [f.name for f in HouseholdChange._meta.fields]


for model in (Diet, ConsentPurpose, AuthorizedPickup, EmergencyContact):
    admin.site.register(model)
