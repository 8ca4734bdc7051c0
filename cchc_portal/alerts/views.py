"""Public alert pages: subscribe, confirm, manage, unsubscribe, privacy; editors.

None of them is cached (never_cache) or indexed; links carry signed tokens.
A bad token or an unknown target answers 404 with a Vietnamese page.
"""

from __future__ import annotations

import functools
import json

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth import get_user_model
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView

from cchc_portal.alerts import ratelimit, services, targets, tokens
from cchc_portal.alerts.forms import CONSENT_TEXT, EmailForm, SubscribeForm
from cchc_portal.alerts.models import EditorPreference, Frequency, Subscriber
from cchc_portal.web.login_protection import client_ip

TOKEN_INVALID = (
    "Liên kết này không hợp lệ hoặc đã hết hạn. Hãy dùng liên kết trong thư mới "
    "nhất, hoặc xin liên kết quản lý mới."
)
PER_ADDRESS = 3
PER_CLIENT = 10


class BadLink(Exception):
    """A tampered, expired or spent token: answered 404 with a page saying so."""


def token_view(view):
    """Answer a bad token with the Vietnamese "link not valid" page (404)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except BadLink:
            return render(
                request, "alerts/bad_link.html", {"message": TOKEN_INVALID}, status=404
            )

    return wrapped


def _too_many(request) -> HttpResponse:
    response = render(request, "alerts/too_many.html", status=429)
    response["Retry-After"] = str(ratelimit.WINDOW)
    return response


def _client_allowed(request) -> bool:
    return ratelimit.hit("client", client_ip(request), PER_CLIENT)


@never_cache
def subscribe(request):
    """GET: the form for the target named; POST: record it (same answer for all)."""
    source = request.POST if request.method == "POST" else request.GET
    target = targets.target_from(source)
    if target is None:
        raise Http404("Không có mục này để đăng ký nhận thư.")
    form = SubscribeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not _client_allowed(request):
            return _too_many(request)
        if form.is_valid():
            email = form.cleaned_data["email"]
            if not ratelimit.hit("address", email, PER_ADDRESS):
                form.add_error(
                    "email",
                    "Địa chỉ này đã được dùng để đăng ký nhiều lần trong một giờ qua. "
                    "Hãy thử lại sau.",
                )
            else:
                services.subscription_request(
                    email=email,
                    target=target,
                    frequency=form.cleaned_data["frequency"],
                )
                return redirect("alerts:subscribe-sent")
    status = 400 if form.is_bound else 200
    return render(
        request,
        "alerts/subscribe.html",
        {"form": form, "target": target, "consent_text": CONSENT_TEXT},
        status=status,
    )


@method_decorator(never_cache, name="dispatch")
class SubscribeSentView(TemplateView):
    template_name = "alerts/subscribe_sent.html"


def _subscriber(purpose: str, token: str) -> tuple[Subscriber, int | None]:
    value = tokens.read(purpose, token)
    if value is None:
        raise BadLink
    pk, fingerprint, extra = value
    subscriber = Subscriber.objects.filter(pk=pk).first()
    if subscriber is None or not tokens.matches(fingerprint, subscriber.email):
        raise BadLink
    return subscriber, extra


def _ids(values) -> list[int]:
    return [
        int(v) for v in values if isinstance(v, str) and v.isdigit() and len(v) < 19
    ]


def _listed(subscriber):
    subscriptions = subscriber.subscriptions.select_related("category", "tag", "unit")
    return [(s, targets.target_of(s)) for s in subscriptions]


@never_cache
@token_view
def confirm(request, token: str):
    """GET: the pending subscriptions to tick; POST: confirm those ticked.

    Confirming takes a button press, not the GET: mail scanners that open
    every link must not confirm anything.
    """
    subscriber, _ = _subscriber(tokens.CONFIRM, token)
    pending = [(s, t) for s, t in _listed(subscriber) if s.confirmed_at is None]
    if request.method == "POST":
        chosen = _ids(request.POST.getlist("dang_ky"))
        if chosen:
            services.subscriptions_confirm(subscriber=subscriber, ids=chosen)
            return redirect(_manage_path(subscriber) + "?da_xac_nhan=1")
        error = "Hãy chọn ít nhất một mục để xác nhận."
    else:
        error = ""
    return render(
        request,
        "alerts/confirm.html",
        {"pending": pending, "error": error},
        status=400 if error else 200,
    )


def _manage_path(subscriber: Subscriber) -> str:
    token = tokens.make(tokens.MANAGE, pk=subscriber.pk, email=subscriber.email)
    return reverse("alerts:manage", kwargs={"token": token})


@never_cache
@token_view
def manage(request, token: str):
    """The address's subscriptions: frequency, confirm, stop one, export, delete all."""
    subscriber, _ = _subscriber(tokens.MANAGE, token)
    message = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        chosen = _ids([request.POST.get("dang_ky", "")])
        subscription = subscriber.subscriptions.filter(pk__in=chosen).first()
        if action == "xoa-het":
            if request.POST.get("chac_chan") != "1":
                message = "Hãy đánh dấu ô xác nhận để xóa toàn bộ dữ liệu."
            else:
                services.subscriber_delete_everything(subscriber=subscriber)
                return render(request, "alerts/deleted.html")
        elif subscription is None:
            message = "Không tìm thấy mục đăng ký này."
        elif action == "huy":
            services.unsubscribe(subscriber=subscriber, subscription=subscription)
            if not Subscriber.objects.filter(pk=subscriber.pk).exists():
                return render(request, "alerts/deleted.html", {"unsubscribed": True})
            return redirect(request.path + "?da_huy=1")
        elif action == "xac-nhan":
            services.subscriptions_confirm(subscriber=subscriber, ids=[subscription.pk])
            return redirect(request.path + "?da_xac_nhan=1")
        elif action == "tan-suat" and request.POST.get("tan_suat") in Frequency.values:
            services.subscription_set_frequency(
                subscription=subscription, frequency=request.POST["tan_suat"]
            )
            return redirect(request.path + "?da_luu=1")
        else:
            message = "Yêu cầu không hợp lệ."
    notices = {
        "da_huy": "Đã hủy đăng ký. Bạn sẽ không nhận thư về mục đó nữa.",
        "da_xac_nhan": "Đã xác nhận. Thư báo tin mới sẽ được gửi đến địa chỉ này.",
        "da_luu": "Đã lưu tần suất nhận thư.",
    }
    notice = next((text for key, text in notices.items() if key in request.GET), "")
    return render(
        request,
        "alerts/manage.html",
        {
            "subscriber": subscriber,
            "subscriptions": _listed(subscriber),
            "frequencies": Frequency.choices,
            "message": message,
            "notice": notice,
            "export_url": reverse("alerts:manage-export", kwargs={"token": token}),
        },
        status=400 if message else 200,
    )


@never_cache
@token_view
def manage_export(request, token: str):
    """Everything stored about the address, as a JSON download."""
    subscriber, _ = _subscriber(tokens.MANAGE, token)
    data = services.subscriber_export(subscriber)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="du-lieu-nhan-thu.json"'
    return response


@never_cache
def manage_request(request):
    """Ask for a manage link by mail (same answer whether the address is known)."""
    form = EmailForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not _client_allowed(request):
            return _too_many(request)
        if form.is_valid():
            email = form.cleaned_data["email"]
            if ratelimit.hit("address", email, PER_ADDRESS):
                services.manage_link_request(email=email)
            return redirect("alerts:subscribe-sent")
    return render(
        request,
        "alerts/manage_request.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


@csrf_exempt
@never_cache
@token_view
def unsubscribe(request, token: str):
    """RFC 8058 one-click: a POST stops it at once, no login; GET shows a button.

    CSRF-exempt because mail providers post without a session; the signed
    token is what authorises it.
    """
    subscriber, subscription_id = _subscriber(tokens.UNSUBSCRIBE, token)
    subscription = None
    if subscription_id is not None:
        subscription = subscriber.subscriptions.filter(pk=subscription_id).first()
        if subscription is None:
            return render(request, "alerts/unsubscribed.html", {"already": True})
    if request.method == "POST":
        services.unsubscribe(subscriber=subscriber, subscription=subscription)
        return render(request, "alerts/unsubscribed.html")
    label = targets.target_of(subscription).label if subscription else ""
    return render(request, "alerts/unsubscribe.html", {"label": label})


class PrivacyView(TemplateView):
    """The privacy notice for alerts (Nghị định 13/2023/NĐ-CP)."""

    template_name = "alerts/privacy.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            consent_text=CONSENT_TEXT,
            contact=settings.SITE_CONTACT,
            **kwargs,
        )


@staff_member_required
@never_cache
def editor_preferences(request):
    """A staff member turns workflow notifications on or off for themselves."""
    preference, _ = EditorPreference.objects.get_or_create(user=request.user)
    saved = False
    if request.method == "POST":
        preference.notifications = request.POST.get("nhan_thong_bao") == "1"
        preference.save()
        saved = True
    return render(
        request,
        "alerts/editor_preferences.html",
        {"preference": preference, "saved": saved},
    )


@csrf_exempt
@never_cache
@token_view
def editor_off(request, token: str):
    """The link in every editor notification: POST turns them off, no login."""
    value = tokens.read(tokens.EDITOR_OFF, token)
    user = None
    if value is not None:
        user = get_user_model().objects.filter(pk=value[0], is_active=True).first()
    if user is None or not tokens.matches(value[1], user.email):
        raise BadLink
    if request.method == "POST":
        EditorPreference.objects.update_or_create(
            user=user, defaults={"notifications": False}
        )
        return render(request, "alerts/editor_off.html", {"done": True})
    return render(request, "alerts/editor_off.html", {"done": False})
