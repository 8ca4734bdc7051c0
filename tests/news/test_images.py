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
