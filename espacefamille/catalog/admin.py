from django.contrib import admin

from .models import Closure, Enrollment, Product, SchoolHoliday, Service


class ProductInline(admin.TabularInline):
    model = Product
    extra = 0
    fields = [
        "name",
        "weekdays",
        "booking_deadline",
        "cancellation_deadline",
        "capacity",
        "incompatibility_group",
        "flat_rate_period",
        "unit_price",
        "is_active",
    ]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "billing_mode"]
    list_filter = ["municipality"]
    inlines = [ProductInline]


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["child", "service", "school_year", "school", "school_class"]
    list_filter = ["municipality", "service", "school_year"]


admin.site.register(Product)
admin.site.register(Closure)
admin.site.register(SchoolHoliday)
