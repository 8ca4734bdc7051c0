"""Image uploads: real images only, metadata removed, several widths stored."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image

from news import images
from news.images import check_image, store_image
from news.models import Article
from tests.factories import image_bytes, image_upload

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def jpeg_with_gps_and_rotation() -> bytes:
    """A 1000 x 600 camera photo tagged 'rotate 90°' with a GPS position."""
    image = Image.new("RGB", (1000, 600), (10, 120, 200))
    exif = Image.Exif()
    exif[ORIENTATION] = 6  # stored sideways: display rotated 90° clockwise
    exif[0x010F] = "Máy ảnh minh họa"
    exif.get_ifd(GPS_IFD).update(
        {1: "N", 2: (16.0, 3.0, 0.0), 3: "E", 4: (108.0, 13.0, 0.0)}
    )
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
def test_jpeg_png_and_webp_are_accepted_and_stored_in_several_widths(image_format):
    stored = store_image(image_upload(image_format=image_format, size=(1600, 900)))

    assert (stored.width, stored.height) == (1600, 900)
    assert [r["width"] for r in stored.renditions] == [480, 800, 1200, 1600]
    for rendition in stored.renditions:
        with Image.open(images.default_storage.open(rendition["name"])) as saved:
            assert saved.format == image_format
            assert saved.size == (rendition["width"], rendition["height"])


def test_small_image_is_never_enlarged():
    stored = store_image(image_upload(size=(600, 400)))
    assert [r["width"] for r in stored.renditions] == [480, 600]


def test_exif_and_gps_are_removed_and_orientation_applied():
    upload = SimpleUploadedFile("IMG_2041.jpg", jpeg_with_gps_and_rotation())

    stored = store_image(upload)

    assert (stored.width, stored.height) == (600, 1000)
    for rendition in stored.renditions:
        with Image.open(images.default_storage.open(rendition["name"])) as saved:
            exif = saved.getexif()
            assert GPS_IFD not in exif and ORIENTATION not in exif and len(exif) == 0
            assert saved.height > saved.width


def test_stored_file_gets_a_generated_name_not_the_uploaders():
    stored = store_image(image_upload(name="../../Ảnh của tôi.jpg"))
    assert "tôi" not in stored.name and ".." not in stored.name
    assert stored.name.startswith("news/") and stored.name.endswith(".jpg")


def svg_upload():
    return SimpleUploadedFile(
        "logo.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>',
        content_type="image/svg+xml",
    )


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (svg_upload(), "image_invalid"),
        (SimpleUploadedFile("a.gif", image_bytes("GIF", (800, 600))), "image_format"),
        (SimpleUploadedFile("a.bmp", image_bytes("BMP", (800, 600))), "image_format"),
        (SimpleUploadedFile("a.jpg", image_bytes()[:400]), "image_invalid"),
        (SimpleUploadedFile("a.jpg", b"not an image at all"), "image_invalid"),
        (image_upload(size=(200, 100)), "image_too_small"),
    ],
    ids=["svg", "gif", "bmp", "truncated", "text", "too-small"],
)
def test_anything_but_a_proper_jpeg_png_or_webp_is_refused(upload, code):
    with pytest.raises(ValidationError) as error:
        check_image(upload)
    assert error.value.code == code


def test_too_many_pixels_is_refused_before_decoding(monkeypatch):
    monkeypatch.setattr(images, "MAX_PIXELS", 1000 * 1000)
    with pytest.raises(ValidationError) as error:
        check_image(image_upload(size=(1200, 1000)))
    assert error.value.code == "image_too_many_pixels"


def test_too_large_a_file_is_refused(monkeypatch):
    monkeypatch.setattr(images, "MAX_UPLOAD_BYTES", 1000)
    with pytest.raises(ValidationError) as error:
        check_image(image_upload())
    assert error.value.code == "image_too_large"


def admin_form_data(category, **overrides):
    return {
        "title": "Bài có ảnh",
        "slug": "",
        "sapo": "Tóm tắt",
        "body": "<p>Nội dung</p>",
        "byline": "Thu Hà",
        "category": category.pk,
        "status": "published",
        "published_at_0": "01/05/2026",
        "published_at_1": "08:00",
        "outgoing_links-TOTAL_FORMS": "0",
        "outgoing_links-INITIAL_FORMS": "0",
        "gallery_items-TOTAL_FORMS": "0",
        "gallery_items-INITIAL_FORMS": "0",
        **overrides,
    }


def test_editor_uploads_a_hero_image_in_admin_and_readers_get_srcset(
    admin_client, client, category
):
    response = admin_client.post(
        "/quan-tri/news/article/add/",
        admin_form_data(
            category,
            hero_image=SimpleUploadedFile("IMG_2041.jpg", jpeg_with_gps_and_rotation()),
            hero_alt="Cán bộ một cửa hướng dẫn người dân",
            hero_caption="Bộ phận một cửa.",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get(title="Bài có ảnh")
    assert "IMG_2041" not in article.hero_image.name
    assert (article.hero_width, article.hero_height) == (600, 1000)

    html = client.get(article.get_absolute_url()).content.decode()
    assert 'srcset="/media/news/' in html and " 480w" in html
    assert 'width="600" height="1000"' in html
    assert 'alt="Cán bộ một cửa hướng dẫn người dân"' in html
    assert "<figcaption>Bộ phận một cửa.</figcaption>" in html
    assert client.get(article.hero_src).status_code == 200


def test_admin_upload_stores_only_the_cleaned_image_and_its_renditions(
    admin_client, category, isolated_media_root
):
    original = jpeg_with_gps_and_rotation()
    response = admin_client.post(
        "/quan-tri/news/article/add/",
        admin_form_data(
            category,
            hero_image=SimpleUploadedFile("IMG_2041.jpg", original),
            hero_alt="Cán bộ một cửa hướng dẫn người dân",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get(title="Bài có ảnh")

    # The article shows the re-encoded full-width image: the widest rendition.
    assert article.hero_image.name == article.hero_renditions[-1]["name"]
    with Image.open(article.hero_image.open()) as shown:
        assert len(shown.getexif()) == 0
    article.hero_image.close()
    stored = sorted(
        path.relative_to(isolated_media_root).as_posix()
        for path in isolated_media_root.rglob("*")
        if path.is_file()
    )
    assert stored == sorted(r["name"] for r in article.hero_renditions)
    assert all((isolated_media_root / name).read_bytes() != original for name in stored)


def test_admin_requires_alt_text_for_an_image(admin_client, category):
    response = admin_client.post(
        "/quan-tri/news/article/add/",
        admin_form_data(category, hero_image=image_upload(), hero_alt=""),
    )
    assert response.status_code == 200
    assert "Cần mô tả ảnh (alt)" in response.content.decode()
    assert not Article.objects.exists()


def test_admin_refuses_an_svg_with_a_clear_message(admin_client, category):
    response = admin_client.post(
        "/quan-tri/news/article/add/",
        admin_form_data(category, hero_image=svg_upload(), hero_alt="Biểu trưng"),
    )
    assert response.status_code == 200
    assert not Article.objects.exists()
    assert "errorlist" in response.content.decode()


def test_cards_lazy_load_images_below_the_fold_and_hero_loads_first(client, category):
    stored = store_image(image_upload())
    article = Article.objects.create(
        title="Tin có ảnh",
        sapo="Tóm tắt",
        body="<p>Nội dung</p>",
        byline="Thu Hà",
        category=category,
        status="published",
        published_at="2026-01-01T00:00:00Z",
        hero_image=stored.name,
        hero_alt="Ảnh tin",
        hero_width=stored.width,
        hero_height=stored.height,
        hero_renditions=stored.renditions,
    )
    listing = client.get("/tin-tuc/").content.decode()
    assert 'loading="lazy"' in listing and 'sizes="(min-width: 48em)' in listing
    page = client.get(article.get_absolute_url()).content.decode()
    hero = page[page.index("article__hero-image") :].split(">")[0]
    assert 'fetchpriority="high"' in hero and "lazy" not in hero


@given(size=st.integers(min_value=0, max_value=50 * 1024**3))
@hypothesis_settings(max_examples=300, deadline=None)
def test_sizes_read_the_same_as_the_hand_written_decimal_comma(size):
    # What the message wrote before it used the configured Vietnamese formats.
    assert images.megabytes(size) == f"{size / 1024 / 1024:.1f}".replace(".", ",")


@pytest.mark.parametrize(
    ("size", "shown"),
    [
        (0, "0,0"),
        (1024 * 1024, "1,0"),
        (11_000_000, "10,5"),
        (11_492_000, "11,0"),
        (1_310_720, "1,2"),  # 1.25 exactly: half to even, as before
        (1_835_008, "1,8"),  # 1.75 exactly
    ],
)
def test_a_size_is_written_with_the_decimal_comma(size, shown):
    assert images.megabytes(size) == shown


def test_too_large_a_file_says_how_large_in_vietnamese_figures(monkeypatch):
    monkeypatch.setattr(images, "MAX_UPLOAD_BYTES", 1024 * 1024)
    upload = image_upload()
    upload.size = 11_000_000
    with pytest.raises(ValidationError) as error:
        check_image(upload)
    assert error.value.messages == ["Ảnh quá lớn (10,5 MB); tối đa 1 MB."]


# --- Through the admin form: every accepted format, kept uploads, refusals ----


def stored_files(root) -> list[str]:
    if not root.exists():
        return []
    return sorted(path.name for path in root.rglob("*") if path.is_file())


@pytest.mark.parametrize(
    ("image_format", "name"),
    [("PNG", "Ảnh chụp.png"), ("JPEG", "IMG_1.JPG"), ("WEBP", "anh.webp")],
)
def test_png_jpeg_and_webp_hero_uploads_are_saved_through_the_admin_form(
    admin_client, client, category, image_format, name
):
    response = admin_client.post(
        "/quan-tri/news/article/add/",
        admin_form_data(
            category,
            hero_image=image_upload(name=name, image_format=image_format),
            hero_alt="Quang cảnh hội nghị",
        ),
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get(title="Bài có ảnh")
    assert [r["width"] for r in article.hero_renditions] == [480, 800, 1200, 1600]
    for rendition in article.hero_renditions:
        with Image.open(images.default_storage.open(rendition["name"])) as saved:
            assert saved.format == image_format
    html = client.get(article.get_absolute_url()).content.decode()
    assert f".{images.FORMATS[image_format]} 480w" in html


def test_the_photo_survives_a_validation_error_elsewhere_in_the_form(
    admin_client, category, isolated_media_root, settings
):
    first = admin_client.post(
        "/quan-tri/news/article/add/",
        admin_form_data(
            category,
            hero_image=image_upload(name="Hội nghị.png", image_format="PNG"),
            hero_alt="",
        ),
    )
    assert first.status_code == 200
    page = first.content.decode()
    assert "Cần mô tả ảnh (alt)" in page
    assert "Đã giữ ảnh “Hội nghị.png” bạn vừa chọn" in page
    token = first.context["adminform"].form["hero_image_pending"].value()
    assert token and f'value="{token}"' in page
    assert stored_files(isolated_media_root) == []  # nothing public yet

    second = admin_client.post(
        "/quan-tri/news/article/add/",
        admin_form_data(
            category, hero_image_pending=token, hero_alt="Quang cảnh hội nghị"
        ),
    )

    assert second.status_code == 302, second.content.decode()[:3000]
    article = Article.objects.get(title="Bài có ảnh")
    assert article.hero_image.name.endswith(".png")
    assert (article.hero_width, article.hero_height) == (1600, 900)
    assert stored_files(settings.PENDING_UPLOAD_ROOT) == []


def test_a_kept_upload_token_is_useless_to_another_user_or_when_forged(
    admin_client, client, category, reviewer
):
    first = admin_client.post(
        "/quan-tri/news/article/add/",
        admin_form_data(category, hero_image=image_upload(), hero_alt=""),
    )
    token = first.context["adminform"].form["hero_image_pending"].value()
    client.force_login(reviewer)
    for forged in (token, token[:-3] + "abc", "anything"):
        response = client.post(
            "/quan-tri/news/article/add/",
            admin_form_data(category, hero_image_pending=forged, hero_alt="Ảnh"),
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    assert not Article.objects.exclude(hero_image="").exists()


def animated(image_format: str) -> bytes:
    frames = [Image.new("RGB", (800, 600), colour) for colour in ("red", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, format=image_format, save_all=True, append_images=frames[1:])
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("anh.jpg", image_bytes("PNG"), "có đuôi .jpg nhưng nội dung là ảnh PNG"),
        ("anh.png", animated("PNG"), "Ảnh động (2 khung hình) không được nhận"),
        ("anh.webp", animated("WEBP"), "Ảnh động (2 khung hình) không được nhận"),
        ("anh.gif", animated("GIF"), "Chỉ nhận ảnh JPEG, PNG hoặc WebP"),
        ("anh.png", image_bytes("PNG", (5000, 4000)), "tối đa 16 triệu điểm ảnh"),
        (
            "anh.webp",
            image_bytes("WEBP", (4000, 3001)),
            "ảnh WebP tối đa 12 triệu điểm ảnh",
        ),
        ("anh.jpg", image_bytes()[:2000], "không phải là ảnh hợp lệ"),
    ],
    ids=[
        "lying-extension",
        "apng",
        "animated-webp",
        "gif",
        "png-pixels",
        "webp-pixels",
        "truncated",
    ],
)
def test_a_bad_hero_image_gets_a_vietnamese_error_and_nothing_is_stored(
    admin_client, category, isolated_media_root, settings, name, content, message
):
    response = admin_client.post(
        "/quan-tri/news/article/add/",
        admin_form_data(
            category,
            hero_image=SimpleUploadedFile(name, content),
            hero_alt="Ảnh",
        ),
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["hero_image"]
    assert any(message in error for error in errors), errors
    assert not Article.objects.exists()
    assert stored_files(isolated_media_root) == []
    assert stored_files(settings.PENDING_UPLOAD_ROOT) == []


def test_a_too_large_hero_file_gets_a_vietnamese_error(
    admin_client, category, monkeypatch
):
    monkeypatch.setattr(images, "MAX_UPLOAD_BYTES", 1000)
    response = admin_client.post(
        "/quan-tri/news/article/add/",
        admin_form_data(category, hero_image=image_upload(), hero_alt="Ảnh"),
    )
    assert response.status_code == 200
    assert "Ảnh quá lớn" in response.content.decode()
    assert not Article.objects.exists()


def test_a_40_megapixel_photo_is_decoded_reduced_and_stored_at_most_2400_wide():
    stored = store_image(
        SimpleUploadedFile("dslr.jpg", image_bytes("JPEG", (8000, 5000), quality=60))
    )
    assert (stored.width, stored.height) == (images.MAX_STORED_WIDTH, 1500)
    assert [r["width"] for r in stored.renditions] == [480, 800, 1200, 2400]
