"""The news admin: categories, tags, glossary, and articles with their workflow.

The article form (statuses, stale edits, curated links) is news/forms.py;
every status change goes through news/services.py.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from js_asset import Media

from cchc_portal.web.admin_search import (
    CappedCountPaginator,
    FoldedSearchMixin,
    SearchChangeList,
    tell_shortened,
)
from cchc_portal.web.admin_widgets import LabelledDateTimeMixin, LabelledTabularInline
from news import (
    drafts,
    history,
    pending_uploads,
    permissions,
    services,
    translations,
    workflow,
)
from news.forms import (
    ArticleAdminForm,
    ArticleLinkFormSet,
    ImageForm,
    article_from_form,
)
from news.internal_links import internal_link_choices
from news.models import (
    Article,
    ArticleGalleryImage,
    ArticleLink,
    Category,
    GlossaryTerm,
    Image,
    Tag,
    article_state_label,
    time_label,
)
from news.paste import clean_pasted_html
from news.prepublish import prepublish_checks
from news.queues import QueueFilter
from news.search import MAX_QUERY_LENGTH, MAX_TERMS, parse_query
from news.selectors import (
    RELATED_LIMIT,
    PublicPage,
    article_list_related_suggestions,
    public_page_list,
)
from news.views import ArticleFormPreviewView
from news.workflow import Step

Status = Article.Status

# Told after a save that took these workflow steps (publishing and taking
# down name the public pages instead).
STEP_DONE = {
    Step.SUBMIT: (
        "Đã gửi bài để duyệt. Người duyệt bài sẽ xuất bản hoặc trả bài về kèm nhận xét."
    ),
    Step.RETURN: "Đã trả bài về người viết kèm nhận xét.",
}

# Replaces Django's URLify so the live slug pre-fill matches
# cchc_portal.vietnamese.slugify (URLify turns "đ" into "dj" and drops
# Vietnamese vowels). Listed after urlify.js so it wins.
VIETNAMESE_SLUG_MEDIA = ["admin/js/urlify.js", "js/admin/vietnamese-slug.js"]


class VietnameseSlugMixin:
    """Admin whose slug pre-fill speaks Vietnamese."""

    class Media:
        js = VIETNAMESE_SLUG_MEDIA


@admin.register(Category)
class CategoryAdmin(FoldedSearchMixin, VietnameseSlugMixin, admin.ModelAdmin):
    list_display = ["name", "parent", "order", "show_in_nav"]
    list_editable = ["order", "show_in_nav"]
    list_filter = ["show_in_nav"]
    list_select_related = ["parent"]
    search_fields = ["name_folded"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


@admin.register(Tag)
class TagAdmin(FoldedSearchMixin, VietnameseSlugMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name_folded"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(admin.ModelAdmin):
    list_display = ["abbreviation", "meaning"]
    search_fields = ["abbreviation", "meaning"]


# How many library images the chooser lists at once (newest first).
CHOOSER_LIMIT = 60


@admin.register(Image)
class ImageAdmin(FoldedSearchMixin, admin.ModelAdmin):
    """The image library: upload once (cleaned as a hero image is), reuse in
    any body or gallery. The chooser (chooser_view) is what the editor's
    "Chèn ảnh" button opens."""

    form = ImageForm
    list_display = ["thumbnail", "caption", "alt", "size", "created_at"]
    # The caption is the link: the thumbnail repeats it (alt="").
    list_display_links = ["caption"]
    search_fields = ["search_folded"]
    search_help_text = "Tìm theo mô tả và chú thích; gõ có dấu hay không dấu đều được."
    readonly_fields = ["preview", "size", "created_by", "created_at", "updated_at"]
    fields = [
        "file",
        "file_pending",
        "preview",
        "alt",
        "caption",
        "size",
        "created_by",
        "created_at",
        "updated_at",
    ]
    list_per_page = 50

    @admin.display(description="Ảnh")
    def thumbnail(self, image: Image) -> str:
        return format_html(
            '<img src="{}" alt="" width="96" height="{}" class="library-thumbnail">',
            image.thumbnail_src,
            round(96 * image.height / image.width) if image.width else "",
        )

    @admin.display(description="Ảnh đang dùng")
    def preview(self, image: Image) -> str:
        if image.pk is None:
            return "—"
        return format_html(
            '<img src="{}" srcset="{}" sizes="30rem" alt="{}" width="{}" height="{}" '
            'class="library-preview">',
            image.src,
            image.srcset,
            image.alt,
            image.width,
            image.height,
        )

    @admin.display(description="Kích thước")
    def size(self, image: Image) -> str:
        return f"{image.width} × {image.height}" if image.width else "—"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def save_model(self, request, obj, form, change):
        if form.kept_upload is not None:
            services.image_store_file(image=obj, upload=form.kept_upload)
            pending_uploads.discard(form.kept_upload_token, user=request.user)
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        return [
            path(
                "chon/",
                self.admin_site.admin_view(self.chooser_view),
                name="news_image_chooser",
            ),
            path(
                "<int:image_id>/thong-tin/",
                self.admin_site.admin_view(self.info_view),
                name="news_image_info",
            ),
            *super().get_urls(),
        ]

    def chooser_view(self, request):
        """Pick a library image or upload a new one, for the body editor.

        The page (opened in a small window by the editor's "Chèn ảnh" button)
        hands the chosen image's id back to the editor
        (static/js/admin/image-chooser.js); an upload is checked and cleaned
        as in the library's own form.
        """
        if not self.has_view_permission(request):
            raise PermissionDenied
        can_add = self.has_add_permission(request)
        form_class = self.get_form(request, fields=ImageForm._meta.fields)
        chosen = None
        if request.method == "POST" and can_add:
            form = form_class(request.POST, request.FILES)
            if form.is_valid():
                chosen = services.image_create(
                    upload=form.kept_upload,
                    alt=form.cleaned_data["alt"],
                    caption=form.cleaned_data["caption"],
                    user=request.user,
                )
                pending_uploads.discard(form.kept_upload_token, user=request.user)
                form = form_class()
        elif request.method == "POST":
            raise PermissionDenied
        else:
            form = form_class()
        images = Image.objects.newest_first()
        search = request.GET.get("q", "")
        if search.strip():
            images, _ = self.get_search_results(request, images, search)
        context = {
            **self.admin_site.each_context(request),
            "title": "Chọn ảnh cho nội dung bài",
            "subtitle": None,
            "opts": self.opts,
            "is_popup": True,
            "images": images[:CHOOSER_LIMIT],
            "search": search,
            "form": form if can_add else None,
            "chosen": chosen,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/news/image/chooser.html", context)

    def info_view(self, request, image_id):
        """What the body editor shows of a library image it names (JSON)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        image = Image.objects.filter(pk=image_id).first()
        if image is None:
            return JsonResponse({"error": "Ảnh không còn trong thư viện."}, status=404)
        return JsonResponse(
            {
                "id": image.pk,
                "src": image.thumbnail_src,
                "alt": image.alt,
                "caption": image.caption,
            }
        )


class ArticleLinkInline(LabelledTabularInline):
    model = ArticleLink
    formset = ArticleLinkFormSet
    fk_name = "from_article"
    fields = ["position", "to_article"]
    autocomplete_fields = ["to_article"]
    ordering = ["position", "id"]
    extra = 1
    verbose_name = "tin liên quan"
    verbose_name_plural = "Tin liên quan (theo thứ tự; số nhỏ đứng trước)"

    # The links belong to the article: whoever may not edit it (a writer
    # facing a published article) may not change them either.
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and _may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and _may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and _may_edit(request, obj)


class ArticleGalleryImageInline(ArticleLinkInline):
    """The optional "Một số hình ảnh" block: library images, in order."""

    model = ArticleGalleryImage
    formset = BaseInlineFormSet
    fk_name = "article"
    fields = ["position", "image"]
    autocomplete_fields = ["image"]
    verbose_name = "ảnh"
    verbose_name_plural = (
        "Một số hình ảnh (khối ảnh cuối bài, lấy từ Thư viện ảnh; số nhỏ đứng trước)"
    )


def _may_edit(request, article: Article | None) -> bool:
    """Edit the article, or (a published one) stage the edit as a working draft."""
    return (
        article is None
        or permissions.can_edit(request.user, article)
        or permissions.can_stage(request.user, article)
    )


def _stages(form) -> bool:
    """Whether saving this form starts a working draft instead of writing the
    live article: a published article whose status stays (news/drafts.py)."""
    article = form.instance
    return (
        form.original_status == Status.PUBLISHED
        and article.draft_of_id is None
        and article.status == Status.PUBLISHED
    )


def _formset_targets(formsets, model, field: str) -> list:
    """The objects a submitted inline formset of `model` points to (its
    `field`), in the order the editor gave: "Tin liên quan", the gallery."""
    rows = []
    for formset in formsets:
        if formset.model is not model:
            continue
        for index, form in enumerate(formset.forms):
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("DELETE") or data.get(field) is None:
                continue
            rows.append((data.get("position") or 0, index, data[field]))
    return [target for _position, _index, target in sorted(rows, key=lambda r: r[:2])]


def _reasons(error: ValidationError | PermissionDenied) -> str:
    """A refusal's reasons as one sentence for an admin message."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def _page_links(pages: list[PublicPage]):
    return format_html_join(
        ", ", '<a href="{}">{}</a>', ((page.url, page.label) for page in pages)
    )


def _merge_pages(groups: list[list[PublicPage]]) -> list[PublicPage]:
    seen: dict[str, PublicPage] = {}
    for pages in groups:
        for page in pages:
            seen.setdefault(page.url, page)
    return list(seen.values())


@admin.register(Article)
class ArticleAdmin(LabelledDateTimeMixin, VietnameseSlugMixin, admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = [
        "title",
        "status",
        "language",
        "category",
        "published_at",
        "featured",
        "view_link",
    ]
    list_filter = [
        QueueFilter,
        "status",
        "language",
        "category",
        "featured",
        "published_at",
    ]
    date_hierarchy = "published_at"
    # Searched through the full-text document (get_search_results), so words
    # typed without diacritics match; the list only needs a search box.
    search_fields = ["search_document"]
    search_help_text = (
        "Tìm trong tiêu đề, sapo, nội dung, thẻ và đơn vị; gõ có dấu hay không "
        f"dấu đều được (tối đa {MAX_TERMS} từ)."
    )
    list_select_related = ["category"]
    list_per_page = 50
    # Tens of thousands of articles: never count them all for the result line.
    show_full_result_count = False
    autocomplete_fields = ["category", "tags", "units"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ArticleLinkInline, ArticleGalleryImageInline]
    actions = ["publish_selected", "unpublish_selected"]
    object_history_template = "admin/news/article/object_history.html"
    version_template = "admin/news/article/version.html"

    fieldsets = [
        (None, {"fields": ["title", "slug", "sapo", "body"]}),
        (
            "Ảnh đại diện",
            {"fields": ["hero_image", "hero_alt", "hero_caption"]},
        ),
        (
            "Phân loại",
            {
                "fields": [
                    "category",
                    "tags",
                    "units",
                    "editions",
                    "featured",
                    "byline",
                    "source_agency",
                ]
            },
        ),
        (
            "Xuất bản",
            {
                "fields": [
                    "status",
                    "review_comment",
                    "published_at",
                    "expires_at",
                    "change_note",
                    "change_noted_at",
                    "public_link",
                    "preview_link",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]

    def get_changelist(self, request, **kwargs):
        return SearchChangeList

    def get_paginator(self, request, queryset, per_page, *args, **kwargs):
        if request.GET.get("q") or request.GET.get("term"):
            return CappedCountPaginator(queryset, per_page, *args, **kwargs)
        return super().get_paginator(request, queryset, per_page, *args, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        """Every word typed, folded, must be in the article's search document.

        The "Tin liên quan" chooser offers only articles a link may point at:
        published, not expired (scheduled ones too: the form warns).
        """
        if request.GET.get("field_name") == "to_article":
            queryset = (
                queryset.filter(status=Status.PUBLISHED)
                .exclude(expires_at__lte=timezone.now())
                .select_related("category")
            )
        query = parse_query(search_term)
        if not query:
            if query.unsearchable:
                return queryset.none(), False
            return queryset, False
        if query.shortened:
            tell_shortened(request, f"{MAX_TERMS} từ và {MAX_QUERY_LENGTH} ký tự")
        return queryset.containing(query), False

    @staticmethod
    def autocomplete_label(article: Article) -> str:
        """What the chooser shows: title, status and time, section."""
        return f"{article} ({article_state_label(article)})"

    # --- Permissions ----------------------------------------------------------

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not permissions.sees_only_own_drafts(request.user):
            return queryset
        # A writer works on their own articles; published ones are listed
        # (to link them as related news), drafts of colleagues are not.
        return queryset.filter(
            Q(created_by=request.user.pk) | Q(status=Status.PUBLISHED)
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and _may_edit(request, obj)

    def has_publish_permission(self, request) -> bool:
        """Used by the publish/unpublish actions (allowed_permissions)."""
        return permissions.can_publish(request.user)

    def get_readonly_fields(self, request, obj=None):
        readonly = ["created_at", "updated_at", "public_link", "preview_link"]
        if not permissions.can_publish(request.user):
            # Writers neither schedule nor place articles on the home page.
            readonly += ["published_at", "expires_at", "featured"]
        if not permissions.can_review(request.user):
            readonly.append("review_comment")
        if (
            obj is not None
            and obj.status == Status.PUBLISHED
            and not permissions.can_publish(request.user)
        ):
            # A writer's edit of a live article becomes a working draft; the
            # live article's status is the reviewers' to change.
            readonly.append("status")
        return readonly

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            return fieldsets
        # The hidden version token travels with the form (stale-edit check),
        # the kept hero upload's token with the image fields.
        extra = {None: ["edit_token"], "Ảnh đại diện": ["hero_image_pending"]}
        return [
            (
                name,
                {**options, "fields": [*options["fields"], *extra.get(name, [])]},
            )
            for name, options in fieldsets
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def get_object(self, request, object_id, from_field=None):
        if request.method != "POST":
            return super().get_object(request, object_id, from_field)
        # A save locks the row until its transaction ends (admin views are
        # atomic), so two editors saving at once are checked one after the
        # other against the version their forms were opened on.
        queryset = self.get_queryset(request).select_for_update(of=("self",))
        field = self.opts.pk if from_field is None else self.opts.get_field(from_field)
        try:
            return queryset.get(**{field.name: field.to_python(object_id)})
        except (Article.DoesNotExist, ValidationError, ValueError):
            return None

    # --- Saving ---------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        if form.kept_upload is not None:
            services.article_set_hero_image(article=obj, upload=form.kept_upload)
            pending_uploads.discard(form.kept_upload_token, user=request.user)
        elif "hero_image" in form.changed_data and not form.cleaned_data["hero_image"]:
            obj.hero_width = obj.hero_height = None
            obj.hero_renditions = []
        if change and form.original_status == Status.PUBLISHED:
            # A category or tag the edit removes is refreshed too: name it.
            stored = Article.objects.for_public_pages().get(pk=obj.pk)
            obj._pages_before = public_page_list(article=stored)
        # The article itself is saved in save_related(), which Django calls
        # right after this: there its fields, tags and links are saved together
        # and become one version.

    def save_related(self, request, form, formsets, change):
        article = form.instance
        if change and _stages(form):
            return self._save_as_draft(request, form, formsets)
        if article.draft_of_id is not None and article.status == Status.PUBLISHED:
            return self._publish_draft(request, form, formsets)
        with services.history_paused(article):
            services.article_change_status(
                article=article,
                user=request.user,
                status=article.status,
                comment=article.review_comment,
            )
            super().save_related(request, form, formsets, change)
        services.article_record_version(
            article=article,
            user=request.user,
            reason=getattr(article, "_change_reason", ""),
            created=not change,
        )
        self._tell_editor(request, article, form)
        self._warn_scheduled_links(request, article)

    def _warn_scheduled_links(self, request, article: Article) -> None:
        for check in prepublish_checks(article):
            if check.code == "related-scheduled":
                self.message_user(request, check.message, messages.WARNING)

    def _save_as_draft(self, request, form, formsets) -> None:
        """The edit of a live article becomes its working draft; the live one
        is not written (readers see it unchanged until a reviewer publishes)."""
        cleaned = form.cleaned_data
        draft = drafts.article_draft_start(
            article=form.instance,
            user=request.user,
            content=form.instance,
            tags=cleaned.get("tags"),
            units=cleaned.get("units"),
            editions=cleaned.get("editions"),
            related=_formset_targets(formsets, ArticleLink, "to_article"),
            gallery=_formset_targets(formsets, ArticleGalleryImage, "image"),
        )
        for formset in formsets:
            # Nothing of the live article's links was saved (the admin's
            # change message reads these).
            formset.new_objects, formset.changed_objects = [], []
            formset.deleted_objects = []
        request.news_redirect_to = draft
        self.message_user(
            request,
            "Đã lưu thay đổi thành bản sửa chờ duyệt. Bạn đọc vẫn thấy bài như cũ "
            "cho đến khi người duyệt bài xuất bản bản sửa.",
            messages.SUCCESS,
        )
        self._warn_scheduled_links(request, draft)

    def _publish_draft(self, request, form, formsets) -> None:
        """Save the draft as the form has it, then publish it into the live
        article, now or at the time chosen, in this one transaction."""
        draft = form.instance
        at = draft.published_at
        draft.status = form.original_status or Status.DRAFT
        draft.published_at = None
        with services.history_paused(draft):
            services.article_save(article=draft, user=request.user)
            super().save_related(request, form, formsets, True)
        services.article_record_version(
            article=draft, user=request.user, reason=services.REASON_EDITED
        )
        before = public_page_list(
            article=Article.objects.for_public_pages().get(pk=draft.draft_of_id)
        )
        live = drafts.article_draft_publish(draft=draft, user=request.user, at=at)
        # A category or tag the draft removes is refreshed too: name it.
        live._pages_before = before
        if draft.replaces_at is not None:
            request.news_redirect_to = draft
            self.message_user(
                request,
                "Bản sửa được hẹn giờ: thay bản đang công khai lúc "
                f"{time_label(draft.replaces_at)}.",
            )
            return
        request.news_redirect_to = live
        self.message_user(
            request,
            "Đã xuất bản bản sửa: bài đang công khai nay là nội dung mới.",
            messages.SUCCESS,
        )
        self._tell_pages(request, [live])

    def response_change(self, request, obj):
        target = getattr(request, "news_redirect_to", None)
        if target is None:
            return super().response_change(request, obj)
        return redirect(reverse("admin:news_article_change", args=[target.pk]))

    def _tell_editor(self, request, article: Article, form) -> None:
        previous, status = form.original_status, article.status
        if form.paste_notes:
            self.message_user(
                request,
                "Nội dung dán từ Word đã được làm sạch. " + " ".join(form.paste_notes),
                messages.WARNING,
            )
        if form.normalised:
            self.message_user(
                request,
                "Đã tự chuẩn hoá chữ Việt sang Unicode dựng sẵn (NFC) trong: "
                + ", ".join(form.normalised)
                + ".",
            )
        step = workflow.step_between(previous, status)
        if step in STEP_DONE:
            self.message_user(request, STEP_DONE[step])
        elif Status.PUBLISHED in (previous, status):
            self._tell_pages(request, [article])

    def _tell_pages(self, request, articles: list[Article]) -> None:
        """Say which public pages now show the change (or will, when scheduled)."""
        pages = _merge_pages(
            [public_page_list(article=a) for a in articles]
            + [getattr(a, "_pages_before", []) for a in articles]
        )
        scheduled = [
            a
            for a in articles
            if a.status == Status.PUBLISHED and a.published_at > timezone.now()
        ]
        if len(articles) == 1 and scheduled:
            when = time_label(scheduled[0].published_at)
            self.message_user(
                request,
                format_html(
                    "Bài được hẹn giờ: tự hiện lúc {} trên các trang {}.",
                    when,
                    _page_links(pages),
                ),
            )
            return
        self.message_user(
            request,
            format_html(
                "Các trang công khai đã được làm mới ngay: {}.", _page_links(pages)
            ),
            messages.SUCCESS,
        )

    # --- Bulk actions ---------------------------------------------------------

    @admin.action(
        description="Xuất bản các tin bài đã chọn (tất cả hoặc không bài nào)",
        permissions=["publish"],
    )
    def publish_selected(self, request, queryset):
        self._bulk_change(
            request,
            queryset,
            services.articles_publish,
            refused="Chưa xuất bản bài nào: ",
            nothing="Các tin bài đã chọn đều đã xuất bản.",
            done="Đã xuất bản {count} tin bài.",
        )

    @admin.action(
        description="Gỡ các tin bài đã chọn (về Nháp)", permissions=["publish"]
    )
    def unpublish_selected(self, request, queryset):
        self._bulk_change(
            request,
            queryset,
            services.articles_unpublish,
            refused="Chưa gỡ bài nào: ",
            nothing="Không có tin bài nào đang xuất bản để gỡ.",
            done="Đã gỡ {count} tin bài.",
        )

    def _bulk_change(
        self, request, queryset, change, *, refused: str, nothing: str, done: str
    ) -> None:
        """Run an all-or-nothing bulk service and tell the editor how it went.

        `change` returns the articles it changed; a refusal changes none and
        is told with its reasons after `refused`.
        """
        articles = list(queryset.for_public_pages())
        # A draft of a live article changes that article's pages: those it
        # is on now are refreshed too (a category the draft drops).
        live_ids = [a.draft_of_id for a in articles if a.draft_of_id]
        before = {
            live.pk: public_page_list(article=live)
            for live in Article.objects.for_public_pages().filter(pk__in=live_ids)
        }
        try:
            changed = change(articles=articles, user=request.user)
        except (ValidationError, PermissionDenied) as error:
            self.message_user(request, refused + _reasons(error), messages.ERROR)
            return
        if not changed:
            self.message_user(request, nothing)
            return
        for article in changed:
            if article.pk in before:
                article._pages_before = before[article.pk]
        self.message_user(request, done.format(count=len(changed)), messages.SUCCESS)
        self._tell_pages(request, changed)

    # --- Change form ----------------------------------------------------------

    def render_change_form(self, request, context, *args, **kwargs):
        # The rich-text editor needs an inline <script type="importmap">; the
        # Content-Security-Policy admits it through this request's nonce.
        context["media"] = Media.from_media(context["media"], nonce=request.csp_nonce)
        article = context.get("original")
        context["editorial"] = self._editorial_panel(request, article)
        if article is not None and article.pk is not None:
            context.update(self._language_tools(request, article))
        if article is not None and article.pk is not None:
            # What fills "Tin liên quan" after the links chosen here.
            context["related_limit"] = RELATED_LIMIT
            context["related_suggestions"] = [
                (item, article_state_label(item))
                for item in article_list_related_suggestions(article=article)
            ]
        return super().render_change_form(request, context, *args, **kwargs)

    def _language_tools(self, request, article: Article) -> dict:
        """The English version of a Vietnamese article (or the button that
        starts one), the Vietnamese original of an English version."""
        if article.language != Article.Language.VIETNAMESE:
            live = article.draft_of if article.draft_of_id else article
            return {"vietnamese_original": live.translation_of}
        english = translations.translation_of(article)
        return {
            "english_version": english,
            "may_start_english": english is None
            and article.draft_of_id is None
            and self.has_add_permission(request),
        }

    @transaction.atomic
    def translation_start_view(self, request, object_id):
        """POST: start the English version of this Vietnamese article (a draft
        with its photo, section, tags and units, empty texts) and open it."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        original = self.get_object(request, unquote(object_id))
        if original is None:
            raise Http404("Không có tin bài này.")
        if not self.has_add_permission(request):
            raise PermissionDenied
        try:
            english = translations.article_translation_start(
                original=original, user=request.user
            )
        except (ValidationError, PermissionDenied) as error:
            self.message_user(request, _reasons(error), messages.ERROR)
            return redirect(reverse("admin:news_article_change", args=[original.pk]))
        self.message_user(
            request,
            "Đã tạo bản tiếng Anh (nháp) với ảnh, chuyên mục, thẻ và đơn vị của bài "
            "gốc. Hãy viết tiêu đề, sapo, nội dung, mô tả ảnh và tác giả bằng tiếng "
            "Anh; bản này được duyệt và xuất bản riêng, như mọi tin bài.",
            messages.SUCCESS,
        )
        return redirect(reverse("admin:news_article_change", args=[english.pk]))

    def _editorial_panel(self, request, article: Article | None) -> dict:
        user = request.user
        panel = {
            "can_publish": permissions.can_publish(user),
            "can_review": permissions.can_review(user),
        }
        if article is None or article.pk is None:
            return panel
        checks = prepublish_checks(article)
        returned_by = None
        if article.status == Status.DRAFT and article.review_comment:
            returned = history.latest_version(article, reason=services.REASON_RETURNED)
            returned_by = history.user_label(returned.history_user) if returned else ""
        panel.update(
            article=article,
            blockers=[check for check in checks if check.blocks],
            warnings=[check for check in checks if not check.blocks],
            returned_by=returned_by,
            can_edit=permissions.can_edit(user, article),
            live=article.draft_of if article.draft_of_id else None,
            working_draft=drafts.working_draft_of(article)
            if article.status == Status.PUBLISHED
            else None,
        )
        return panel

    def view_on_site(self, article: Article) -> str | None:
        """Django's "view on site" link, only for articles readers can see."""
        return article.get_absolute_url() if article.is_public() else None

    @admin.display(description="Xem trên trang")
    def public_link(self, article: Article) -> str:
        if article.pk is None or not article.is_public():
            return "—"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">Xem trên trang</a>',
            article.get_absolute_url(),
        )

    @admin.display(description="Xem")
    def view_link(self, article: Article) -> str:
        """The public page once readers can see it, the preview before."""
        if article.is_public():
            return self.public_link(article)
        return self.preview_link(article)

    @admin.display(description="Xem trước")
    def preview_link(self, article: Article) -> str:
        if article.pk is None:
            return "—"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">Xem trước</a>',
            article.get_preview_url(),
        )

    # --- History --------------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "dan/",
                self.admin_site.admin_view(self.paste_view),
                name="news_article_paste",
            ),
            path(
                "lien-ket-noi-bo/",
                self.admin_site.admin_view(self.internal_link_chooser),
                name="news_article_internal_links",
            ),
            path(
                "xem-truoc/",
                self.admin_site.admin_view(self.form_preview_view),
                name="news_article_form_preview",
            ),
            path(
                "<path:object_id>/ban-tieng-anh/",
                self.admin_site.admin_view(self.translation_start_view),
                name="news_article_translation_start",
            ),
            path(
                "<path:object_id>/history/<int:version_id>/",
                self.admin_site.admin_view(self.version_view),
                name="news_article_version",
            ),
            *super().get_urls(),
        ]

    def paste_view(self, request):
        """Clean what the body editor was given to paste (POST "html"): JSON
        with the body fragment to insert and what was changed, in Vietnamese
        (news/paste.py). Images given as data: URLs enter the image library."""
        if request.method != "POST":
            return JsonResponse({"error": "Chỉ nhận yêu cầu POST."}, status=405)
        if not (
            self.has_add_permission(request) or self.has_change_permission(request)
        ):
            raise PermissionDenied
        result = clean_pasted_html(request.POST.get("html", ""), user=request.user)
        return JsonResponse({"html": result.html, "notes": result.notes})

    def internal_link_chooser(self, request):
        """Find an article, category, unit or edition to link from a body: its
        stored address follows the target's slug (news/internal_links.py)."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        query = (request.GET.get("q") or "")[:MAX_QUERY_LENGTH]
        context = {
            **self.admin_site.each_context(request),
            "title": "Chèn liên kết nội bộ",
            "subtitle": None,
            "opts": self.opts,
            "query": query,
            "choices": internal_link_choices(query),
            # Opened by the body editor's button: each result can be chosen.
            "is_popup": "_popup" in request.GET,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request, "admin/news/article/internal_links.html", context
        )

    def form_preview_view(self, request):
        """The article form as posted, unsaved, through the public template."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        data = request.POST.copy()
        data.pop("hero_image_pending", None)
        form = self.get_form(request, None, change=False)(data)
        article = article_from_form(form)
        return ArticleFormPreviewView.as_view(article=article)(request)

    def history_view(self, request, object_id, extra_context=None):
        """Every version of the article: when, who, which step, which fields."""
        article = self.get_object(request, unquote(object_id))
        if article is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        page, rows = history.article_versions(
            article=article, page_number=request.GET.get("p")
        )
        context = {
            **self.admin_site.each_context(request),
            "title": f"Lịch sử thay đổi: {article}",
            "subtitle": None,
            "opts": self.opts,
            "original": article,
            "page_obj": page,
            "rows": rows,
            # Which version readers see and which is being worked on.
            "live_article": article.draft_of if article.draft_of_id else None,
            "working_draft": drafts.working_draft_of(article)
            if article.status == Status.PUBLISHED
            else None,
            "is_live": article.is_public() and article.draft_of_id is None,
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.object_history_template, context)

    def version_view(self, request, object_id, version_id):
        """One version against the current article, with a restore button."""
        with transaction.atomic():
            article = self.get_object(request, unquote(object_id))
            if article is None:
                raise Http404("Không có tin bài này.")
            if not self.has_view_or_change_permission(request, article):
                raise PermissionDenied
            version = get_object_or_404(article.history, history_id=version_id)
            can_restore = self.has_change_permission(request, article)
            if request.method == "POST":
                if not can_restore:
                    raise PermissionDenied
                return self._restore(request, article, version)
            differences = history.version_differences(version=version, article=article)
            context = {
                **self.admin_site.each_context(request),
                "title": f"Phiên bản lúc {time_label(version.history_date)}: {article}",
                "subtitle": None,
                "opts": self.opts,
                "original": article,
                "version": version,
                "version_user": history.user_label(version.history_user),
                "differences": differences,
                "can_restore": can_restore,
                "can_restore_publish": can_restore
                and article.status == Status.PUBLISHED
                and article.draft_of_id is None
                and permissions.can_publish(request.user),
                "slug_note": services.restored_slug_note(
                    article=article, version=version
                ),
                "restorable": any(item.restored for item in differences),
                "view_only_reason": ""
                if can_restore
                else self._view_only_reason(request, article),
            }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.version_template, context)

    def _restore(self, request, article: Article, version):
        publish_now = "_restore_publish" in request.POST
        note = services.restored_slug_note(article=article, version=version)
        try:
            restored = services.article_restore_version(
                article=article,
                version=version,
                user=request.user,
                publish_now=publish_now,
            )
        except (ValidationError, PermissionDenied) as error:
            self.message_user(
                request,
                "Không khôi phục được phiên bản này: " + _reasons(error),
                messages.ERROR,
            )
            return redirect(request.path)
        when = time_label(version.history_date)
        if restored.pk != article.pk:
            self.message_user(
                request,
                f"Đã khôi phục phiên bản lúc {when} thành bản sửa chờ duyệt: bạn đọc "
                "vẫn thấy bài như cũ cho đến khi bản sửa được xuất bản.",
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request,
                f"Đã khôi phục nội dung phiên bản lúc {when}.",
                messages.SUCCESS,
            )
        if note:
            self.message_user(request, note, messages.WARNING)
        if restored.pk == article.pk and article.status == Status.PUBLISHED:
            self._tell_pages(request, [article])
        return redirect(reverse("admin:news_article_change", args=[restored.pk]))

    @staticmethod
    def _view_only_reason(request, article: Article) -> str:
        """Why this user may look at the article's versions but not restore one."""
        refusal = permissions.edit_refusal(request.user, article) or ""
        return refusal.rstrip(".").replace("sửa được", "khôi phục được").lower()
