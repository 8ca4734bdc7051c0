"""The subscribe form: address, how often, and the consent shown."""

from __future__ import annotations

from django import forms
from django.core.validators import validate_email

from cchc_portal.alerts.models import Frequency
from cchc_portal.vietnamese import nfc

CONSENT_TEXT = (
    "Tôi đồng ý để Cổng thông tin Cải cách hành chính lưu địa chỉ thư điện tử "
    "này cùng các chủ đề tôi chọn, chỉ để gửi thư báo tin mới, theo Thông báo "
    "xử lý dữ liệu cá nhân của cổng. Tôi có thể hủy đăng ký bất cứ lúc nào "
    "bằng liên kết trong mỗi thư."
)
INVALID_EMAIL = "Địa chỉ thư điện tử không hợp lệ. Hãy nhập dạng ten@vi-du.vn."
LINE_BREAK = "Không được có ký tự xuống dòng trong ô này."


def clean_address(value: str) -> str:
    """One address, NFC, lower-cased, without line breaks (header injection)."""
    value = nfc(value or "")
    if any(ch in value for ch in "\r\n\x00"):
        raise forms.ValidationError(LINE_BREAK)
    value = value.strip().lower()
    if "," in value or ";" in value or "<" in value or " " in value:
        raise forms.ValidationError(INVALID_EMAIL)
    try:
        validate_email(value)
    except forms.ValidationError:
        raise forms.ValidationError(INVALID_EMAIL) from None
    return value


class EmailForm(forms.Form):
    email = forms.CharField(
        label="Địa chỉ thư điện tử",
        max_length=254,
        strip=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "size": 30}),
        error_messages={
            "required": "Hãy nhập địa chỉ thư điện tử.",
            "max_length": INVALID_EMAIL,
        },
    )

    def clean_email(self):
        return clean_address(self.cleaned_data["email"])

    def clean(self):
        cleaned = super().clean()
        for name, value in self.data.items():
            if isinstance(value, str) and ("\r" in value or "\n" in value):
                if name in self.fields and not self.has_error(name):
                    self.add_error(name, LINE_BREAK)
                elif name not in self.fields:
                    raise forms.ValidationError(LINE_BREAK)
        return cleaned


class SubscribeForm(EmailForm):
    frequency = forms.ChoiceField(
        label="Bao lâu nhận một lần",
        choices=Frequency.choices,
        initial=Frequency.IMMEDIATE,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Hãy chọn bao lâu nhận thư một lần.",
            "invalid_choice": "Hãy chọn một trong hai cách nhận thư.",
        },
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={
            "required": "Cần đánh dấu ô đồng ý thì mới đăng ký được.",
        },
    )
