from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html
from js_asset import Media

from news.models import Article, ArticleLink, Category, GlossaryTerm, Tag
from news.services import article_set_hero_image

# Replaces Django's URLify so the live slug pre-fill matches
# cchc_portal.vietnamese.slugify (URLify turns "đ" into "dj" and drops
# Vietnamese vowels). Listed after urlify.js so it wins.
VIETNAMESE_SLUG_MEDIA = ["admin/js/urlify.js", "js/admin/vietnamese-slug.js"]


class VietnameseSlugMixin:
    """Admin whose slug pre-fill speaks Vietnamese."""

    class Media:
        js = VIETNAMESE_SLUG_MEDIA


@admin.register(Category)
class CategoryAdmin(VietnameseSlugMixin, admin.ModelAdmin):
    list_display = ["name", "parent", "order", "show_in_nav"]
    list_editable = ["order", "show_in_nav"]
    list_filter = ["show_in_nav"]
    list_select_related = ["parent"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


@admin.register(Tag)
class TagAdmin(VietnameseSlugMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(admin.ModelAdmin):
    list_display = ["abbreviation", "meaning"]
    search_fields = ["abbreviation", "meaning"]


class ArticleLinkFormSet(BaseInlineFormSet):
    """Curated links: never the article itself (duplicates are caught as unique)."""

    def clean(self):
        super().clean()
        if self.instance.pk is None:
            return
        for form in self.forms:
            target = form.cleaned_data.get("to_article")
            if target and not form.cleaned_data.get("DELETE"):
                if target.pk == self.instance.pk:
                    form.add_error(
                        "to_article", "Không thể liên kết một bài với chính nó."
                    )
                    raise ValidationError("Không thể liên kết một bài với chính nó.")


class ArticleLinkInline(admin.TabularInline):
    model = ArticleLink
    formset = ArticleLinkFormSet
    fk_name = "from_article"
    fields = ["position", "to_article"]
    autocomplete_fields = ["to_article"]
    ordering = ["position", "id"]
    extra = 1
    verbose_name = "tin liên quan"
    verbose_name_plural = "Tin liên quan (theo thứ tự; số nhỏ đứng trước)"


@admin.register(Article)
class ArticleAdmin(VietnameseSlugMixin, admin.ModelAdmin):
    list_display = [
        "title",
        "status",
        "category",
        "published_at",
        "featured",
        "public_link",
    ]
    list_filter = ["status", "category", "featured", "published_at"]
    date_hierarchy = "published_at"
    search_fields = ["title", "sapo"]
    list_select_related = ["category"]
    list_per_page = 50
    # Tens of thousands of articles: never count them all for the result line.
    show_full_result_count = False
    autocomplete_fields = ["category", "tags", "units"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ArticleLinkInline]
    readonly_fields = ["created_at", "updated_at", "public_link"]

    def render_change_form(self, request, context, *args, **kwargs):
        # The rich-text editor needs an inline <script type="importmap">; the
        # Content-Security-Policy admits it through this request's nonce.
        context["media"] = Media.from_media(context["media"], nonce=request.csp_nonce)
        return super().render_change_form(request, context, *args, **kwargs)

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
                    "published_at",
                    "expires_at",
                    "change_note",
                    "change_noted_at",
                    "public_link",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]

    @admin.display(description="Xem trên trang")
    def public_link(self, article: Article) -> str:
        if article.pk is None or not article.is_public():
            return "—"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">Xem trên trang</a>',
            article.get_absolute_url(),
        )

    def save_model(self, request, obj, form, change):
        if "hero_image" in form.changed_data:
            upload = form.cleaned_data.get("hero_image")
            if upload:
                article_set_hero_image(article=obj, upload=upload)
            else:
                obj.hero_width = obj.hero_height = None
                obj.hero_renditions = []
        super().save_model(request, obj, form, change)
