"""The article form of the admin: statuses, stale edits, curated links.

The ModelAdmin classes live in news/admin.py; what the form checks (which
statuses this user may choose, a form opened on an older version, a
reviewer's comment when returning an article) is here; the services check
the same rules again.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.html import format_html

from cchc_portal.vietnamese import nfc, slugify
from news import drafts, history, paste, pending_uploads, permissions, workflow
from news.models import FALLBACK_SLUG, Article, Image, time_label
from news.workflow import Step

Status = Article.Status


def edit_token(article: Article) -> str:
    """The version of an article a form was opened on (its last save time)."""
    return article.updated_at.isoformat() if article.updated_at else ""


def stale_edit_message(article: Article, user) -> str:
    """Why a stale form is refused, naming who saved the article in between."""
    latest = history.latest_version(article)
    editor = latest.history_user if latest else None
    if editor is not None and editor.pk == getattr(user, "pk", None):
        who = "chính bạn (ở một cửa sổ hoặc thẻ khác)"
    elif editor is not None:
        who = history.user_label(editor)
    else:
        who = "một người khác"
    when = time_label(article.updated_at)
    return (
        f"Bài này đã được {who} lưu lúc {when}, sau khi bạn mở trang. Thay đổi "
        "của bạn chưa được lưu để không ghi đè lên bản đó. Hãy mở lại bài (tải "
        "lại trang) để xem bản mới nhất rồi sửa lại phần của bạn."
    )


STATUS_HELP = {
    Status.DRAFT: "Nháp: chỉ người trong ban biên tập thấy.",
    Status.PENDING: "Chờ duyệt: đã gửi cho người duyệt bài.",
    Status.PUBLISHED: (
        "Đã xuất bản: hiện với bạn đọc từ thời điểm xuất bản (để trống là ngay "
        "bây giờ; thời điểm trong tương lai là hẹn giờ)."
    ),
}


class KeptUploadMixin:
    """A form whose valid upload survives an error in another field.

    The upload waits behind a signed token (news/pending_uploads.py) in the
    hidden field "<field>_pending", so the photo need not be picked again.
    The form's clean_<field>() returns self.clean_kept_upload("<field>");
    `kept_upload` is then the new file of this submission (chosen now or
    kept from the previous one) and `kept_upload_token` the token that kept
    it, to discard once saved.
    """

    # The signed-in user, set per request by the ModelAdmin's get_form.
    user = None
    kept_upload = None
    kept_upload_token = ""
    _kept_field = ""

    @staticmethod
    def pending_field() -> forms.CharField:
        return forms.CharField(
            label="Ảnh đang giữ", widget=forms.HiddenInput, required=False
        )

    def clean_kept_upload(self, name: str):
        self._kept_field = name
        value = self.cleaned_data.get(name)
        if isinstance(value, UploadedFile):
            self.kept_upload = value
            return value
        if value is False or self.user is None:  # "clear" ticked
            return value
        token = self.data.get(self.add_prefix(f"{name}_pending")) or ""
        kept = pending_uploads.take(token, user=self.user)
        if kept is None:
            return value
        self.kept_upload, self.kept_upload_token = kept, token
        return kept

    def full_clean(self):
        super().full_clean()
        name = self._kept_field
        if not self.is_bound or self.user is None or not name:
            return
        token = ""
        if self.errors and self.kept_upload is not None:
            if name not in self.errors:
                token = self.kept_upload_token or pending_uploads.keep(
                    self.kept_upload, user=self.user
                )
                # The bound field copied the help text when it was made.
                self[name].help_text = format_html(
                    "Đã giữ ảnh “{}” bạn vừa chọn: khi lưu lại sẽ dùng ảnh này, "
                    "không cần chọn lại (trừ khi muốn đổi ảnh).",
                    self.kept_upload.name,
                )
            elif self.kept_upload_token:
                pending_uploads.discard(self.kept_upload_token, user=self.user)
        data = self.data.copy()
        data[self.add_prefix(f"{name}_pending")] = token
        self.data = data


class ArticleAdminForm(KeptUploadMixin, forms.ModelForm):
    """The article form: statuses this user may choose, stale-edit refusal, NFC note."""

    # The article's last save time when the form was opened (see clean()).
    edit_token = forms.CharField(
        label="Phiên bản khi mở", widget=forms.HiddenInput, required=False
    )
    # A valid hero upload kept while another field is corrected.
    hero_image_pending = KeptUploadMixin.pending_field()

    class Meta:
        model = Article
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stored = self.instance.pk is not None
        self.original_status = self.instance.status if stored else None
        self.loaded_token = edit_token(self.instance) if stored else ""
        self.fields["edit_token"].initial = self.loaded_token
        self.normalised = []
        self.paste_notes: list[str] = []
        published_at = self.fields.get("published_at")
        if self.instance.draft_of_id is not None and published_at is not None:
            # On a working draft the time is when it replaces the live version.
            self.initial["published_at"] = self.instance.replaces_at
            published_at.help_text = (
                "Bản sửa của bài đang công khai: để trống là thay bản công khai "
                "ngay khi xuất bản; thời điểm trong tương lai là hẹn giờ thay."
            )
        status = self.fields.get("status")
        if status is not None and self.user is not None:
            allowed = permissions.allowed_statuses(self.user, self.original_status)
            status.choices = [
                (value, label) for value, label in Status.choices if value in allowed
            ]
            status.help_text = " ".join(STATUS_HELP[value] for value in allowed)
            # A value outside the choices is a forged or outdated request.
            status.error_messages["invalid_choice"] = (
                "Bạn không có quyền chuyển bài sang trạng thái này. Biên tập viên "
                "gửi bài để duyệt (Chờ duyệt); người duyệt bài xuất bản, trả bài "
                "hoặc gỡ bài."
            )

    def clean_hero_image(self):
        return self.clean_kept_upload("hero_image")

    def clean_body(self):
        """A body that still holds Word's markup (sent without the editor's
        paste cleaning) is cleaned as a paste; what changed is told after the
        save (`paste_notes`)."""
        raw = self.data.get(self.add_prefix("body")) or ""
        if not paste.looks_pasted_from_word(raw):
            return self.cleaned_data.get("body")
        result = paste.clean_pasted_html(raw, user=self.user)
        self.paste_notes = result.notes
        return result.html

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None and (
            cleaned.get("edit_token") != self.loaded_token
        ):
            raise ValidationError(
                stale_edit_message(self.instance, self.user), code="stale"
            )
        status = cleaned.get("status", self.original_status)
        step = workflow.step_between(self.original_status, status)
        if step == Step.RETURN and not (cleaned.get("review_comment") or "").strip():
            self.add_error(
                "review_comment",
                "Hãy ghi nhận xét cho người viết: cần sửa gì trước khi gửi duyệt lại.",
            )
        if self.original_status == Status.PUBLISHED and status == Status.PUBLISHED:
            self._keep_public(cleaned)
            # The edit becomes the live article's working draft (news/drafts.py).
            refusal = drafts.start_refusal(self.instance)
            if refusal:
                raise ValidationError(refusal, code="draft")
        if self.instance.draft_of_id is not None and status == Status.PUBLISHED:
            refusal = drafts.publish_refusal(self.instance)
            if refusal:
                raise ValidationError(refusal, code="draft")
        for name, label in (
            ("title", "tiêu đề"),
            ("sapo", "sapo"),
            ("body", "nội dung"),
        ):
            value = cleaned.get(name)
            if isinstance(value, str) and value != nfc(value):
                self.normalised.append(label)
        return cleaned

    def _keep_public(self, cleaned) -> None:
        """Editing an article the public sees must not take it offline."""
        if not self.instance.is_public():
            return
        now = timezone.now()
        published_at = cleaned.get("published_at")
        if "published_at" in self.fields and published_at and published_at > now:
            self.add_error(
                "published_at",
                "Bài đang công khai: dời thời điểm xuất bản sang tương lai sẽ ẩn "
                "bài. Muốn hẹn giờ lại, hãy chuyển bài về Nháp trước.",
            )
        expires_at = cleaned.get("expires_at")
        if "expires_at" in self.fields and expires_at and expires_at <= now:
            self.add_error(
                "expires_at",
                "Thời điểm hết hạn đã qua: lưu sẽ ẩn bài ngay. Muốn gỡ bài, hãy "
                "chọn trạng thái Nháp.",
            )


LINK_REFUSED = (
    "Không thêm được bài này vào “Tin liên quan”: chỉ chọn bài khác, đã xuất bản "
    "hoặc đã hẹn giờ, và mỗi bài một lần."
)


def link_refusal(article: Article, target: Article, seen: set[int]) -> bool:
    """Whether `article` may not link `target` (itself, twice, not public)."""
    if target.pk == article.pk or target.pk in seen:
        return True
    if target.status != Status.PUBLISHED:
        return True
    return bool(target.expires_at and target.expires_at <= timezone.now())


class ArticleLinkFormSet(BaseInlineFormSet):
    """Curated links: other articles, each once, published or scheduled.

    Every refusal reads the same (LINK_REFUSED), on the row it concerns; a
    scheduled target is accepted (the admin and the pre-publish checks say
    when it will appear).
    """

    def clean(self):
        seen: set[int] = set()
        refused = False
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            target = form.cleaned_data.get("to_article")
            if target is None:
                continue
            if link_refusal(self.instance, target, seen):
                form.add_error("to_article", LINK_REFUSED)
                refused = True
            seen.add(target.pk)
        if not refused:
            super().clean()  # the database's own unique checks


class ImageForm(KeptUploadMixin, forms.ModelForm):
    """A library image: the file (checked as a hero image is), alt, caption."""

    file_pending = KeptUploadMixin.pending_field()

    class Meta:
        model = Image
        fields = ["file", "alt", "caption"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Required, but a kept upload counts: checked in clean_file().
        self.fields["file"].required = False

    def clean_file(self):
        value = self.clean_kept_upload("file")
        if not value and not self.instance.file:
            raise ValidationError(
                self.fields["file"].error_messages["required"], code="required"
            )
        return value


# The id an unsaved article is previewed under: never a row's (ids start at
# 1), it lets the public template read its tags and units from memory.
PREVIEW_PK = 0


def article_from_form(form: ArticleAdminForm) -> Article:
    """The unsaved article a posted form describes, for the preview.

    Fields that fail validation keep their defaults; nothing is saved and no
    upload is kept (the form is bound without files).
    """
    form.is_valid()  # fills form.instance with every field that is valid
    article = form.instance
    cleaned = getattr(form, "cleaned_data", {})
    if isinstance(article.hero_image, UploadedFile) or not article.hero_renditions:
        article.hero_image = ""
    article.title = nfc(article.title or "").strip()
    if not article.slug:
        article.slug = slugify(article.title) or FALLBACK_SLUG
    article.pk = PREVIEW_PK
    relations = {}
    for name in ("tags", "units", "editions"):
        chosen = cleaned.get(name)
        model = Article._meta.get_field(name).related_model
        relations[name] = chosen if chosen is not None else model.objects.none()
    article._prefetched_objects_cache = relations
    article.announces_editions = relations["editions"].exists()
    return article
