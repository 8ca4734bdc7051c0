"""Who asked for which e-mails, what went out, and editors' choices.

Personal data is kept to what the service needs (Nghị định 13/2023/NĐ-CP):
the address, the subscriptions with the consent text shown and when it was
given, and a record per item of what was sent (so nothing goes twice).
Deleting a subscriber deletes all of it (foreign keys cascade).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse


class Frequency(models.TextChoices):
    IMMEDIATE = "ngay", "Ngay khi có tin mới"
    DAILY = "hang-ngay", "Một thư tổng hợp mỗi ngày"


class TargetKind(models.TextChoices):
    """What a subscription follows; the value is the `loai` in URLs."""

    CATEGORY = "chuyen-muc", "Chuyên mục"
    TAG = "the", "Thẻ"
    UNIT = "don-vi", "Đơn vị"
    SEARCH = "tim-kiem", "Kết quả tìm kiếm"
    OVERVIEW = "chi-so-cchc", "Kết quả Chỉ số CCHC mới"


class Subscriber(models.Model):
    """An e-mail address that asked for alerts (confirmed once a link is followed)."""

    email = models.EmailField("địa chỉ thư", max_length=254, unique=True)
    created_at = models.DateTimeField("đăng ký lúc", auto_now_add=True)
    confirmed_at = models.DateTimeField("xác nhận lúc", null=True, blank=True)
    # One confirmation mail per address per day, whatever is asked.
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = "người nhận thư"
        verbose_name_plural = "người nhận thư"

    def __str__(self) -> str:
        # Never the address: admin pages and logs show counts, not people.
        return f"Người nhận #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("alerts:privacy")


class SubscriptionQuerySet(models.QuerySet):
    def active(self) -> SubscriptionQuerySet:
        """Confirmed subscriptions of confirmed addresses: the only ones mailed."""
        return self.filter(
            confirmed_at__isnull=False, subscriber__confirmed_at__isnull=False
        )


class Subscription(models.Model):
    """One thing an address follows, how often, and the consent given for it."""

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    kind = models.CharField("loại", max_length=12, choices=TargetKind)
    category = models.ForeignKey(
        "news.Category", on_delete=models.CASCADE, null=True, blank=True
    )
    tag = models.ForeignKey("news.Tag", on_delete=models.CASCADE, null=True, blank=True)
    unit = models.ForeignKey(
        "parindex.Unit", on_delete=models.CASCADE, null=True, blank=True
    )
    # A search subscription: the page's query string as {name: value}.
    search_params = models.JSONField(default=dict, blank=True)
    # kind + object id or canonical query: one subscription per thing per address.
    target_key = models.CharField(max_length=600)
    frequency = models.CharField(
        "tần suất", max_length=10, choices=Frequency, default=Frequency.IMMEDIATE
    )
    consent_text = models.TextField("nội dung đồng ý đã hiển thị")
    consent_at = models.DateTimeField("đồng ý lúc")
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    confirmed_at = models.DateTimeField("xác nhận lúc", null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["subscriber", "pk"]
        verbose_name = "đăng ký nhận thư"
        verbose_name_plural = "đăng ký nhận thư"
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "target_key"], name="alerts_one_per_target"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="chuyen-muc", category__isnull=False)
                    | Q(kind="the", tag__isnull=False)
                    | Q(kind="don-vi", unit__isnull=False)
                    | Q(kind="tim-kiem")
                    | Q(kind="chi-so-cchc")
                ),
                name="alerts_subscription_has_target",
            ),
        ]
        indexes = [models.Index(fields=["kind", "confirmed_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self) -> str:
        from cchc_portal.alerts import targets

        return targets.target_of(self).url


class Alert(models.Model):
    """Something subscribers hear about: a published article or a released edition."""

    class Source(models.TextChoices):
        ARTICLE = "article", "Tin bài"
        EDITION = "edition", "Kết quả Chỉ số CCHC"

    source = models.CharField(max_length=10, choices=Source)
    article = models.OneToOneField(
        "news.Article", on_delete=models.CASCADE, null=True, blank=True
    )
    edition = models.OneToOneField(
        "parindex.Edition", on_delete=models.CASCADE, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    fanned_out_at = models.DateTimeField(null=True, blank=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-pk"]
        verbose_name = "tin báo"
        verbose_name_plural = "tin báo"
        constraints = [
            models.CheckConstraint(
                condition=Q(source="article", article__isnull=False, edition=None)
                | Q(source="edition", edition__isnull=False, article=None),
                name="alerts_alert_has_one_item",
            )
        ]

    def __str__(self) -> str:
        return str(self.article or self.edition)

    @property
    def item(self):
        return self.article if self.source == self.Source.ARTICLE else self.edition

    def get_absolute_url(self) -> str:
        return self.item.get_absolute_url()


class Delivery(models.Model):
    """One item for one address, recorded in two phases around the SMTP talk.

    pending → sending (the claim, with its Message-ID and who claimed it when,
    committed before the SMTP server hears of the mail) → sent once the server
    accepted it. A worker that dies in between leaves the claim in "sending":
    whether the server had the mail is unknowable, so the minute tick records
    it as "unknown" and it is never sent again (at most once for those).
    Unique per (alert, subscriber): the record that makes sending exactly once.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Chờ gửi"
        SENDING = "sending", "Đang gửi"
        SENT = "sent", "Đã gửi"
        UNKNOWN = "unknown", "Không rõ đã gửi"
        FAILED = "failed", "Không gửi được"

    alert = models.ForeignKey(
        Alert, on_delete=models.CASCADE, related_name="deliveries"
    )
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="deliveries"
    )
    subscription = models.ForeignKey(
        Subscription, on_delete=models.SET_NULL, null=True, blank=True
    )
    digest = models.BooleanField(default=False)
    status = models.CharField(max_length=8, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The claim: set (and committed) before the mail goes to the SMTP server.
    message_id = models.CharField(max_length=200, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=100, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = "thư đã gửi"
        verbose_name_plural = "thư đã gửi"
        constraints = [
            models.UniqueConstraint(
                fields=["alert", "subscriber"], name="alerts_delivery_once"
            ),
            models.CheckConstraint(
                condition=Q(status="sent", sent_at__isnull=False) | ~Q(status="sent"),
                name="alerts_sent_has_time",
            ),
            models.CheckConstraint(
                condition=Q(status="sending", claimed_at__isnull=False)
                | ~Q(status="sending"),
                name="alerts_sending_has_claim",
            ),
        ]
        indexes = [
            models.Index(
                fields=["alert", "id"],
                condition=Q(status="pending"),
                name="alerts_delivery_pending",
            ),
            models.Index(
                fields=["subscriber"],
                condition=Q(status="pending", digest=True),
                name="alerts_delivery_digest",
            ),
            models.Index(
                fields=["claimed_at"],
                condition=Q(status="sending"),
                name="alerts_delivery_claimed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.alert_id} → #{self.subscriber_id}: {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return self.alert.get_absolute_url()


class DigestRun(models.Model):
    """A day whose digest has been queued (unique: queued once per day)."""

    day = models.DateField(unique=True)
    queued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day"]
        verbose_name = "lượt thư tổng hợp"
        verbose_name_plural = "lượt thư tổng hợp"

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("alerts:privacy")


class EditorPreference(models.Model):
    """An editor's choice to receive workflow notifications (on unless turned off)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="alert_preference",
    )
    notifications = models.BooleanField("nhận thư thông báo biên tập", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["user"]
        verbose_name = "lựa chọn thông báo biên tập"
        verbose_name_plural = "lựa chọn thông báo biên tập"

    def __str__(self) -> str:
        return f"{self.user}: {'bật' if self.notifications else 'tắt'}"

    def get_absolute_url(self) -> str:
        return reverse("alerts:editor-preferences")
