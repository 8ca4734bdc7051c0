"""The image library: upload once through the admin, reuse in bodies and
galleries; cleaned files only; replaced or deleted photos stop being served."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image as PillowImage

from news import drafts, images
from news.html import library_figure, sanitize_html
from news.models import Article, ArticleGalleryImage, Image
from tests.factories import ArticleFactory, image_upload, library_image
from tests.news.admin_forms import article_form_data, change_url
from tests.news.test_images import jpeg_with_gps_and_rotation, stored_files

pytestmark = pytest.mark.django_db

CHOOSER_URL = "/quan-tri/news/image/chon/"
LIBRARY_ADD_URL = "/quan-tri/news/image/add/"


def figures(html: str) -> list[str]:
    return re.findall(r'<figure class="body-figure">.*?</figure>', html, re.DOTALL)


@pytest.mark.parametrize(
    ("image_format", "name"),
    [("PNG", "Sơ đồ.png"), ("JPEG", "IMG_7.JPG"), ("WEBP", "anh.webp")],
)
def test_png_jpeg_and_webp_body_uploads_go_through_the_chooser_into_the_article(
    admin_client, client, article, image_format, name
):
    response = admin_client.post(
        CHOOSER_URL,
        {
            "file": image_upload(name=name, image_format=image_format),
            "alt": "Người dân nộp hồ sơ tại bộ phận một cửa",
            "caption": "Bộ phận một cửa của tỉnh.",
        },
    )

    assert response.status_code == 200, response.content.decode()[:2000]
    image = Image.objects.get()
    assert f'data-chosen-image="{image.pk}"' in response.content.decode()
    assert [r["width"] for r in image.renditions] == [480, 800, 1200, 1600]
    for rendition in image.renditions:
        with PillowImage.open(images.default_storage.open(rendition["name"])) as saved:
            assert saved.format == image_format
    assert name.rsplit(".")[0] not in image.file.name

    # The editor inserts it; the body keeps only its id.
    article.body = f"<p>Mở đầu.</p>{library_figure(image.pk)}<p>Tiếp theo.</p>"
    article.save()
    html = client.get(article.get_absolute_url()).content.decode()

    [figure] = figures(html)
    extension = images.FORMATS[image_format]
    assert f".{extension} 480w" in figure and f".{extension} 1600w" in figure
    assert 'width="1600" height="900"' in figure
    assert 'loading="lazy"' in figure and 'sizes="' in figure
    assert 'alt="Người dân nộp hồ sơ tại bộ phận một cửa"' in figure
    assert "<figcaption>Bộ phận một cửa của tỉnh.</figcaption>" in figure
    assert client.get(image.src).status_code == 200


def test_the_library_form_strips_exif_and_gps_from_the_file_and_every_rendition(
    admin_client, isolated_media_root
):
    original = jpeg_with_gps_and_rotation()
    response = admin_client.post(
        LIBRARY_ADD_URL,
        {
            "file": SimpleUploadedFile("IMG_2041.jpg", original),
            "alt": "Cán bộ hướng dẫn người dân",
            "caption": "Hướng dẫn thủ tục.",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    image = Image.objects.get()
    assert (image.width, image.height) == (600, 1000)  # orientation applied
    assert image.file.name == image.renditions[-1]["name"]
    stored = sorted(
        path.relative_to(isolated_media_root).as_posix()
        for path in isolated_media_root.rglob("*")
        if path.is_file()
    )
    assert stored == sorted(r["name"] for r in image.renditions)
    for name in stored:
        assert (isolated_media_root / name).read_bytes() != original
        with PillowImage.open(isolated_media_root / name) as saved:
            assert len(saved.getexif()) == 0


def test_alt_text_and_caption_are_required_and_nothing_is_stored(
    admin_client, isolated_media_root
):
    response = admin_client.post(
        CHOOSER_URL, {"file": image_upload(), "alt": " ", "caption": ""}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Ảnh chưa được tải lên" in page
    assert page.count("Trường này là bắt buộc.") == 2
    assert not Image.objects.exists()
    assert stored_files(isolated_media_root) == []


def test_the_photo_survives_a_missing_caption_in_the_library_form(admin_client):
    first = admin_client.post(
        LIBRARY_ADD_URL,
        {"file": image_upload(name="Hội nghị.png", image_format="PNG"), "alt": "Ảnh"},
    )
    assert first.status_code == 200
    assert "Đã giữ ảnh “Hội nghị.png” bạn vừa chọn" in first.content.decode()
    token = first.context["adminform"].form["file_pending"].value()

    second = admin_client.post(
        LIBRARY_ADD_URL,
        {"file_pending": token, "alt": "Ảnh", "caption": "Hội nghị."},
    )

    assert second.status_code == 302, second.content.decode()[:2000]
    assert Image.objects.get().file.name.endswith(".png")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile(
                "logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"
            ),
            "Hãy tải lên một hình ảnh hợp lệ",
        ),
        (image_upload(name="anh.png", image_format="JPEG"), "có đuôi .png"),
        (image_upload(size=(100, 80)), "Ảnh quá nhỏ"),
    ],
)
def test_a_bad_body_upload_gets_a_vietnamese_error_and_nothing_is_stored(
    admin_client, isolated_media_root, upload, message
):
    response = admin_client.post(
        CHOOSER_URL, {"file": upload, "alt": "Ảnh", "caption": "Chú thích."}
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Image.objects.exists()
    assert stored_files(isolated_media_root) == []


def test_a_deleted_image_is_no_longer_served_nor_shown(
    admin_client, client, article, committed
):
    image = library_image()
    article.body = f"<p>Trước.</p>{library_figure(image.pk)}<p>Sau.</p>"
    article.save()
    ArticleGalleryImage.objects.create(article=article, image=image)
    urls = [images.default_storage.url(r["name"]) for r in image.renditions]
    assert all(client.get(url).status_code == 200 for url in urls)

    response = committed(
        lambda: admin_client.post(
            f"/quan-tri/news/image/{image.pk}/delete/", {"post": "yes"}
        )
    )

    assert response.status_code == 302
    assert not Image.objects.exists()
    assert [client.get(url).status_code for url in urls] == [404] * len(urls)
    html = client.get(article.get_absolute_url()).content.decode()
    assert figures(html) == [] and "Một số hình ảnh" not in html
    assert "<p>Trước.</p><p>Sau.</p>" in html


def test_a_replaced_file_stops_being_served_and_the_article_shows_the_new_one(
    admin_client, client, article, committed
):
    image = library_image()
    article.body = library_figure(image.pk)
    article.save()
    old = [images.default_storage.url(r["name"]) for r in image.renditions]

    response = committed(
        lambda: admin_client.post(
            f"/quan-tri/news/image/{image.pk}/change/",
            {
                "file": image_upload(image_format="PNG", size=(900, 600)),
                "alt": image.alt,
                "caption": image.caption,
            },
        )
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    image.refresh_from_db()
    assert [client.get(url).status_code for url in old] == [404] * len(old)
    [figure] = figures(client.get(article.get_absolute_url()).content.decode())
    assert 'width="900" height="600"' in figure and ".png 480w" in figure


def test_the_body_names_library_images_only_by_id_and_no_img_gets_through():
    body = (
        '<img src="https://example.com/a.jpg" onerror="alert(1)">'
        '<figure data-image="7" class="x"><img src="/x.jpg"><script>1</script>'
        "<figcaption>giả</figcaption></figure>"
        '<figure data-image="abc"><p>chữ</p></figure>'
        '<figure><img src="data:image/png;base64,AAAA"></figure>'
    )

    assert sanitize_html(body) == '<figure data-image="7"></figure><p>chữ</p>'


def test_an_article_body_with_a_missing_image_id_shows_nothing_for_it(client, article):
    article.body = f"<p>Chữ.</p>{library_figure(99999)}"
    article.save()

    html = client.get(article.get_absolute_url()).content.decode()

    assert "<p>Chữ.</p>" in html and "data-image" not in html


def test_the_gallery_block_shows_its_photos_in_order(admin_client, client, article):
    first, second = (
        library_image(caption="Ảnh thứ nhất."),
        library_image(caption="Ảnh thứ hai."),
    )
    data = article_form_data(
        article,
        **{
            "gallery_items-TOTAL_FORMS": "2",
            "gallery_items-0-position": "2",
            "gallery_items-0-image": first.pk,
            "gallery_items-1-position": "1",
            "gallery_items-1-image": second.pk,
        },
    )

    response = admin_client.post(change_url(article), data)

    assert response.status_code == 302, response.content.decode()[:3000]
    # The article is live: the gallery waits in its working draft, readers
    # see none until a reviewer publishes it.
    assert (
        'class="article__gallery"'
        not in client.get(article.get_absolute_url()).content.decode()
    )
    draft = Article.objects.get(draft_of=article)
    drafts.article_draft_publish(draft=draft, user=draft.created_by)
    html = client.get(article.get_absolute_url()).content.decode()
    block = html[html.index('<section class="article__gallery"') :]
    assert '<h2 id="mot-so-hinh-anh">Một số hình ảnh</h2>' in block
    assert block.index("Ảnh thứ hai.") < block.index("Ảnh thứ nhất.")
    assert block.count('loading="lazy"') == 2


def test_a_writer_may_upload_and_choose_but_not_delete_library_images(
    writer_client, committed
):
    assert writer_client.get(CHOOSER_URL).status_code == 200
    response = writer_client.post(
        CHOOSER_URL,
        {"file": image_upload(), "alt": "Ảnh", "caption": "Chú thích."},
    )
    image = Image.objects.get()
    assert response.status_code == 200
    info = writer_client.get(f"/quan-tri/news/image/{image.pk}/thong-tin/").json()
    assert info["alt"] == "Ảnh" and info["src"].endswith("-480.jpg")

    refused = writer_client.post(
        f"/quan-tri/news/image/{image.pk}/delete/", {"post": "yes"}
    )
    assert refused.status_code == 403 and Image.objects.exists()


def test_the_chooser_finds_images_without_diacritics(admin_client):
    library_image(caption="Lễ ký kết chuyển đổi số.")
    library_image(caption="Hội nghị tổng kết.")

    page = admin_client.get(CHOOSER_URL, {"q": "chuyen doi so"}).content.decode()

    assert "Lễ ký kết chuyển đổi số." in page and "Hội nghị tổng kết." not in page


def test_the_article_page_reads_body_images_in_one_query(client, category):
    photos = [library_image(caption=f"Ảnh {n}.") for n in range(3)]
    with_images = ArticleFactory(
        category=category, body="".join(library_figure(p.pk) for p in photos)
    )
    without = ArticleFactory(category=category)
    client.get(without.get_absolute_url())  # warm the site-wide reads

    def queries(article: Article) -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(article.get_absolute_url())
        return len(captured)

    assert queries(with_images) == queries(without) + 1
