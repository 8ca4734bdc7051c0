"""Pasting from Word or a web page: real lists, H1 → H2, tables, bold, italic
and links kept, data: images into the library, the editor told what changed."""

import base64
from pathlib import Path

import pytest
from django.contrib.messages import get_messages

from news.models import Article, Image
from news.paste import clean_pasted_html
from tests.factories import image_bytes
from tests.news.admin_forms import ADD_URL, article_form_data
from tests.news.test_images import stored_files

pytestmark = pytest.mark.django_db

WORD_HTML = (Path(__file__).parent / "fixtures" / "word-paste.html").read_text()
PASTE_URL = "/quan-tri/news/article/dan/"


def test_word_html_becomes_lists_headings_a_table_and_a_library_image(admin_user):
    result = clean_pasted_html(WORD_HTML, user=admin_user)

    image = Image.objects.get()
    assert image.alt == "Biểu đồ hồ sơ trực tuyến theo tháng"
    assert image.created_by == admin_user
    assert result.html == (
        "<h2>Kết quả cải cách hành chính quý III</h2>"
        "<p>Trong quý III, Ủy ban nhân dân tỉnh đã chỉ đạo <strong>đẩy mạnh</strong>"
        " giải quyết thủ tục hành chính <em>trực tuyến toàn trình</em> trên "
        '<a href="https://dichvucong.gov.vn/" rel="noopener noreferrer">'
        "Cổng Dịch vụ công quốc gia</a>.</p>"
        "<ul><li><p>Tiếp nhận 12.450 hồ sơ trực tuyến;</p></li>"
        "<li><p>Giải quyết đúng hạn 98,6% hồ sơ;</p>"
        "<ul><li><p>trong đó cấp huyện 97,9%;</p></li></ul></li>"
        "<li><p>Số hóa 100% kết quả giải quyết.</p></li></ul>"
        "<h2>Các bước tiếp theo</h2>"
        "<ol><li><p>Rà soát quy trình nội bộ;</p></li>"
        "<li><p>Công khai kết quả trên cổng thông tin.</p></li></ol>"
        "<table><tbody><tr><td><strong>Chỉ tiêu</strong></td>"
        "<td><strong>Kết quả</strong></td></tr>"
        "<tr><td>Hồ sơ đúng hạn</td><td>98,6%</td></tr></tbody></table>"
        f'<figure data-image="{image.pk}"></figure>'
        "<p>Văn phòng UBND tỉnh.</p>"
    )
    assert result.notes == [
        "Đã bỏ định dạng riêng của Word (kiểu mso-, chú thích điều kiện, thẻ "
        "<o:p>, phông chữ và màu chữ).",
        "Đã chuyển 6 đoạn danh sách của Word thành danh sách có dấu đầu dòng "
        "hoặc đánh số.",
        "Đã đổi 1 tiêu đề cấp 1 thành tiêu đề cấp 2 (cấp 1 là tiêu đề của bài).",
        "Đã đưa 1 ảnh vào Thư viện ảnh: hãy kiểm tra mô tả (alt) và chú thích "
        "của ảnh trong Thư viện ảnh.",
        "Đã bỏ 1 ảnh nằm trên máy tính hoặc trang web khác (không tải về được): "
        "hãy tải ảnh lên bằng nút “Chèn ảnh”.",
    ]


def test_the_paste_endpoint_answers_the_cleaned_fragment_and_the_notes(
    admin_client,
):
    response = admin_client.post(PASTE_URL, {"html": WORD_HTML})

    assert response.status_code == 200
    data = response.json()
    assert data["html"].startswith("<h2>Kết quả cải cách")
    assert "<ol><li><p>Rà soát" in data["html"] and "mso" not in data["html"]
    assert len(data["notes"]) == 5
    assert admin_client.get(PASTE_URL).status_code == 405


def test_only_signed_in_editors_may_paste(client):
    response = client.post(PASTE_URL, {"html": WORD_HTML})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not Image.objects.exists()


def test_a_hostile_paste_is_sanitised_and_the_editor_told(admin_user):
    result = clean_pasted_html(
        '<p onclick="x()">Chữ <a href="javascript:alert(1)">liên kết</a></p>'
        "<script>alert(1)</script><iframe src='https://example.com'></iframe>"
        '<img src="https://example.com/a.jpg" onerror="alert(1)">'
        '<p style="color:red"><span style="font-size:40px">To</span></p>',
        user=admin_user,
    )

    assert result.html == (
        '<p>Chữ <a rel="noopener noreferrer">liên kết</a></p><p>To</p>'
    )
    assert result.notes[-1] == (
        "Đã bỏ phần không được phép trong nội dung bài: <iframe>, <script>."
    )
    assert any("1 ảnh nằm trên máy tính hoặc trang web khác" in n for n in result.notes)


def test_a_bad_data_image_is_refused_with_its_reason_and_nothing_stored(
    admin_user, isolated_media_root
):
    gif = base64.b64encode(image_bytes("GIF")).decode()
    result = clean_pasted_html(
        f'<p>Ảnh: <img src="data:image/png;base64,{gif}"></p>'
        '<p><img src="data:image/png;base64,@@@"></p>',
        user=admin_user,
    )

    assert result.html == "<p>Ảnh:</p>"
    assert "Đã bỏ một ảnh không nhận được: Chỉ nhận ảnh JPEG, PNG hoặc WebP" in (
        " ".join(result.notes)
    )
    assert not Image.objects.exists()
    assert stored_files(isolated_media_root) == []


def test_word_html_saved_through_the_form_is_cleaned_and_the_editor_told(
    admin_client, category
):
    response = admin_client.post(
        ADD_URL, article_form_data(body=WORD_HTML, category=category.pk)
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get()
    assert "<ul><li><p>Tiếp nhận" in article.body and "mso" not in article.body
    assert article.body.startswith("<h2>Kết quả cải cách hành chính quý III</h2>")
    told = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(
        m.startswith("Nội dung dán từ Word đã được làm sạch.")
        and "tiêu đề cấp 1 thành tiêu đề cấp 2" in m
        for m in told
    ), told
