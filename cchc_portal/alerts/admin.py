"""Alerts in the admin: counts only, never a browsable list of addresses.

The news roles see how many addresses and subscriptions there are and what
each alert reached; nobody can page through who subscribed.
"""

from django.contrib import admin
from django.db.models import Count, Q

from cchc_portal.alerts.models import Alert, Delivery, Subscriber, Subscription


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    """What each published item reached: numbers per status, no addresses."""

    list_display = [
        "__str__",
        "source",
        "created_at",
        "fanned_out_at",
        "recipients",
        "sent",
        "pending",
        "unknown",
        "failed",
    ]
    list_filter = ["source"]
    change_list_template = "admin/alerts/alert/change_list.html"

    def get_queryset(self, request):
        status = Delivery.Status
        return (
            super()
            .get_queryset(request)
            .select_related("article", "edition")
            .annotate(
                n_sent=Count("deliveries", filter=Q(deliveries__status=status.SENT)),
                # Claimed and being sent right now still counts as waiting.
                n_pending=Count(
                    "deliveries",
                    filter=Q(deliveries__status__in=[status.PENDING, status.SENDING]),
                ),
                n_unknown=Count(
                    "deliveries", filter=Q(deliveries__status=status.UNKNOWN)
                ),
                n_failed=Count(
                    "deliveries", filter=Q(deliveries__status=status.FAILED)
                ),
            )
        )

    @admin.display(description="đã gửi")
    def sent(self, obj):
        return obj.n_sent

    @admin.display(description="chờ gửi")
    def pending(self, obj):
        return obj.n_pending

    @admin.display(description="không rõ đã gửi")
    def unknown(self, obj):
        return obj.n_unknown

    @admin.display(description="lỗi")
    def failed(self, obj):
        return obj.n_failed

    def has_view_permission(self, request, obj=None):
        return (
            request.user.is_active
            and request.user.is_staff
            and (request.user.has_perm("news.view_article"))
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        active = Subscription.objects.active()
        extra_context = {
            **(extra_context or {}),
            "alert_counts": [
                (
                    "Địa chỉ đã xác nhận",
                    Subscriber.objects.exclude(confirmed_at=None).count(),
                ),
                (
                    "Địa chỉ chưa xác nhận",
                    Subscriber.objects.filter(confirmed_at=None).count(),
                ),
                ("Đăng ký đang nhận thư", active.count()),
                ("… nhận ngay", active.filter(frequency="ngay").count()),
                (
                    "… nhận thư tổng hợp hằng ngày",
                    active.filter(frequency="hang-ngay").count(),
                ),
                # A worker died while the SMTP server had the mail or not:
                # never sent again (at most once), so say how many.
                (
                    "Thư không rõ đã gửi (máy gửi dừng giữa chừng, không gửi lại)",
                    Delivery.objects.filter(status=Delivery.Status.UNKNOWN).count(),
                ),
            ],
        }
        return super().changelist_view(request, extra_context)
