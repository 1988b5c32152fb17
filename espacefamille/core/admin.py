from django.contrib import admin

from .models import Municipality


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "city", "holiday_zone"]
    prepopulated_fields = {"slug": ["name"]}
