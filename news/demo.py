"""Demo news content for `manage.py seed_demo`: deterministic and idempotent.

Everything here is written for this project and marked as demo data: the
articles describe no real event. Categories, tags and glossary entries are
keyed on their slug/abbreviation, articles on their slug, so running the seed
again updates rows instead of adding new ones.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from PIL import Image, ImageDraw

from cchc_portal.vietnamese import slugify
from news import roles, translations
from news.images import RENDITION_WIDTHS, StoredImage, store_image
from news.models import Article, ArticleLink, Category, GlossaryTerm, Tag
from news.services import (
    REASON_CREATED,
    REASON_EDITED,
    article_record_version,
    article_set_related,
    history_paused,
)
from parindex.models import Unit

SEED = 2026
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
# Demo publication times count back from this fixed moment (deterministic).
ANCHOR = dt.datetime(2026, 11, 20, 8, 30, tzinfo=HANOI)
DEMO_SOURCE = "Dữ liệu minh họa"
DEMO_NOTE = (
    "<p><em>Bài viết minh họa (dữ liệu demo) của Cổng thông tin CCHC; "
    "không phải tin thật.</em></p>"
)
# The same, in the English versions.
DEMO_SOURCE_EN = "Illustrative data"
DEMO_NOTE_EN = (
    "<p><em>An illustrative article (demo data) of the Public Administration "
    "Reform Portal; not real news.</em></p>"
)
BULK_SLUG_PREFIX = "tin-thu-tai-so-"
# Stands for the number in the bulk load's pattern rows: a word of digits like
# the numbers themselves (so one lexeme at the same position) that no other
# demo text contains, and never a number itself (they start at 1).
BULK_NUMBER_MARK = "0000000000"
# Load-test article 1 is published at this time, each next one 7 minutes earlier.
BULK_NEWEST = dt.datetime(2025, 12, 31, 23, 0, tzinfo=HANOI)
# Each load-test article carries two tags, this far apart in the tag list.
BULK_TAG_SHIFTS = (0, 5)
IMAGE_COUNT = 8
IMAGE_SIZE = (1600, 900)
DEMO_IMAGE_ALT = "Ảnh minh họa: trụ sở cơ quan hành chính mái đỏ trên nền trời"

CATEGORIES = [
    # slug, name, order, in navigation, parent slug, description
    (
        "tin-tuc",
        "Tin tức",
        10,
        True,
        None,
        "Tin hoạt động cải cách hành chính của các bộ, ngành và địa phương.",
    ),
    (
        "chi-dao-dieu-hanh",
        "Chỉ đạo điều hành",
        20,
        True,
        None,
        "Chỉ đạo, điều hành của Chính phủ và các cơ quan về cải cách hành chính.",
    ),
    (
        "cai-cach-thu-tuc-hanh-chinh",
        "Cải cách thủ tục hành chính",
        30,
        True,
        None,
        "Rà soát, đơn giản hóa thủ tục hành chính và cơ chế một cửa.",
    ),
    (
        "chinh-phu-so",
        "Chính phủ số",
        40,
        True,
        None,
        "Chuyển đổi số, dịch vụ công trực tuyến và dữ liệu dùng chung.",
    ),
    (
        "van-ban",
        "Văn bản",
        50,
        True,
        None,
        "Văn bản chỉ đạo, hướng dẫn về cải cách hành chính.",
    ),
    (
        "tin-dia-phuong",
        "Tin địa phương",
        60,
        False,
        "tin-tuc",
        "Cải cách hành chính ở các tỉnh, thành phố.",
    ),
    (
        "tin-bo-nganh",
        "Tin bộ, ngành",
        70,
        False,
        "tin-tuc",
        "Cải cách hành chính ở các bộ, cơ quan ngang bộ.",
    ),
]

TAGS = [
    "Chuyển đổi số",
    "Dịch vụ công trực tuyến",
    "Một cửa liên thông",
    "PAR INDEX",
    "SIPAS",
    "Cải cách thể chế",
    "Tinh gọn bộ máy",
    "Kiểm soát thủ tục hành chính",
    "Chính quyền điện tử",
    "Đà Nẵng",
    "Hà Nội",
    "Điện Biên",
]

GLOSSARY = [
    ("CCHC", "cải cách hành chính"),
    ("TTHC", "thủ tục hành chính"),
    ("PAR INDEX", "Chỉ số cải cách hành chính"),
    ("SIPAS", "Chỉ số hài lòng về sự phục vụ hành chính"),
    ("CNTT", "công nghệ thông tin"),
    ("UBND", "Ủy ban nhân dân"),
    ("HĐND", "Hội đồng nhân dân"),
    ("VBQPPL", "văn bản quy phạm pháp luật"),
]

BYLINES = [
    "Huyền Anh",
    "Minh Đức",
    "Thu Hà",
    "Quang Vinh",
    "Lan Phương",
    "Hoàng Nam",
]

# Hand-written articles first (the Đà Nẵng one is looked for by search tests).
FEATURED_ARTICLES = [
    {
        "title": "Đà Nẵng đẩy mạnh chuyển đổi số trong giải quyết thủ tục hành chính",
        "units": ["Đà Nẵng"],
        "category": "tin-dia-phuong",
        "tags": ["Đà Nẵng", "Chuyển đổi số", "Dịch vụ công trực tuyến"],
        "sapo": (
            "Thành phố Đà Nẵng đặt mục tiêu đưa phần lớn hồ sơ thủ tục hành chính "
            "lên môi trường số, giảm thời gian chờ của người dân và doanh nghiệp."
        ),
        "paragraphs": [
            "Theo kế hoạch minh họa của UBND thành phố Đà Nẵng, các sở, ngành và "
            "quận, huyện tiếp tục rà soát TTHC để cung cấp dịch vụ công trực "
            "tuyến toàn trình, bắt đầu từ những thủ tục có nhiều hồ sơ nhất.",
            "Bộ phận một cửa ở Đà Nẵng được hướng dẫn số hóa hồ sơ ngay khi tiếp "
            "nhận, để kết quả giải quyết được lưu lại và dùng lại cho lần sau, "
            "người dân không phải nộp lại giấy tờ đã có.",
            "Thành phố cũng theo dõi mức độ hài lòng của người dân qua khảo sát "
            "SIPAS và coi kết quả PAR INDEX là thước đo để điều chỉnh cách làm.",
        ],
        "featured": True,
        "days_ago": 0,
    },
    {
        "title": "Đẩy mạnh cải cách hành chính gắn với chuyển đổi số năm 2026",
        "category": "chi-dao-dieu-hanh",
        "tags": ["Chuyển đổi số", "Cải cách thể chế", "PAR INDEX"],
        "sapo": (
            "Các bộ, ngành và địa phương được yêu cầu gắn nhiệm vụ CCHC với "
            "chuyển đổi số, lấy người dân và doanh nghiệp làm trung tâm."
        ),
        "paragraphs": [
            "Văn bản chỉ đạo minh họa nhấn mạnh CCHC phải đi cùng chuyển đổi số: "
            "mỗi TTHC được rà soát đều phải trả lời câu hỏi có thể làm trực "
            "tuyến toàn trình hay không.",
            "Người đứng đầu cơ quan chịu trách nhiệm về kết quả CCHC của đơn vị "
            "mình; kết quả PAR INDEX hằng năm được dùng để đánh giá mức độ hoàn "
            "thành nhiệm vụ.",
            "Các đơn vị cần bố trí đủ nguồn lực CNTT, bảo đảm an toàn thông tin "
            "và kết nối dữ liệu dùng chung để tránh yêu cầu người dân khai báo "
            "nhiều lần.",
        ],
        "featured": True,
        "days_ago": 1,
    },
    {
        "title": "Điện Biên rút ngắn thời gian giải quyết hồ sơ đất đai",
        "units": ["Điện Biên"],
        "category": "tin-dia-phuong",
        "tags": ["Điện Biên", "Một cửa liên thông", "Kiểm soát thủ tục hành chính"],
        "sapo": (
            "Tỉnh Điện Biên thử nghiệm liên thông hồ sơ đất đai giữa cấp tỉnh và "
            "cấp huyện, giảm số lần người dân phải đi lại."
        ),
        "paragraphs": [
            "Theo mô hình minh họa, hồ sơ đất đai tiếp nhận ở bộ phận một cửa cấp "
            "huyện được chuyển điện tử lên cấp tỉnh thay vì chuyển bản giấy.",
            "UBND tỉnh Điện Biên giao các cơ quan công khai quy trình, thời hạn "
            "giải quyết từng TTHC và xin lỗi người dân khi hồ sơ trễ hạn.",
        ],
        "featured": False,
        "days_ago": 2,
    },
]

# The announcement of PAR INDEX 2016, written for the portal from the published
# facts (parindex/data/annual_summary.csv); linked to the PAR INDEX 2016
# provincial edition, whose unit rows are demo data (flagged on the page).
ANNOUNCEMENT_2016 = {
    "title": (
        "Công bố Chỉ số CCHC năm 2016 tại hội nghị trực tuyến toàn quốc về cải "
        "cách hành chính (PAR INDEX 2016)"
    ),
    "category": "tin-tuc",
    "tags": ["PAR INDEX", "Cải cách thể chế", "Đà Nẵng"],
    "units": ["Đà Nẵng", "Ngân hàng Nhà nước Việt Nam"],
    "sapo": (
        "Ngày 30/05/2017, tại trụ sở Chính phủ, Phó Thủ tướng Thường trực Trương "
        "Hòa Bình chủ trì hội nghị trực tuyến toàn quốc sơ kết công tác cải cách "
        "hành chính 6 tháng đầu năm 2017; hội nghị công bố Chỉ số CCHC năm 2016 "
        "của các bộ, cơ quan ngang bộ và 63 tỉnh, thành phố."
    ),
    "paragraphs": [
        "Hội nghị trực tuyến do Phó Thủ tướng Thường trực Trương Hòa Bình chủ trì "
        "tại trụ sở Chính phủ, kết nối với các bộ, ngành và địa phương, đã nhìn "
        "lại công tác cải cách hành chính nửa đầu năm 2017 và công bố Chỉ số cải "
        "cách hành chính (PAR INDEX) năm 2016.",
        "Theo kết quả công bố, 19 bộ, cơ quan ngang bộ được xếp hạng với giá trị "
        "trung bình 80,94%; 63 tỉnh, thành phố được xếp hạng với giá trị trung "
        "bình 74,64%. Ngân hàng Nhà nước Việt Nam dẫn đầu khối bộ, thành phố Đà "
        "Nẵng dẫn đầu khối tỉnh và là địa phương duy nhất đạt trên 90%.",
        "Bảng xếp hạng trên cổng đi kèm bài này hiển thị số đơn vị, giá trị trung "
        "bình và ngày công bố theo số liệu chính thức; kết quả từng tỉnh, thành "
        "phố trong bảng là dữ liệu minh họa.",
    ],
    "note": (
        "<p><em>Bài viết do Cổng thông tin CCHC biên soạn lại từ số liệu đã công "
        "bố (dữ liệu demo); kết quả từng đơn vị trong bảng kèm theo là dữ liệu "
        "minh họa, không phải số liệu chính thức.</em></p>"
    ),
    "published_at": dt.datetime(2017, 5, 30, 21, 27, tzinfo=HANOI),
    "byline": "Thu Hà",
    "editions": [(2016, "tinh")],
    "featured": False,
}

SUBJECTS = [
    ("công khai tiến độ giải quyết hồ sơ trực tuyến", "cai-cach-thu-tuc-hanh-chinh"),
    ("mở rộng dịch vụ công trực tuyến toàn trình", "chinh-phu-so"),
    ("rà soát, đơn giản hóa thủ tục hành chính", "cai-cach-thu-tuc-hanh-chinh"),
    ("kiện toàn bộ phận một cửa", "tin-tuc"),
    ("số hóa hồ sơ, kết quả giải quyết thủ tục", "chinh-phu-so"),
    ("triển khai kế hoạch cải cách hành chính", "chi-dao-dieu-hanh"),
    ("khảo sát sự hài lòng của người dân", "tin-tuc"),
    ("ban hành quy chế phối hợp giải quyết thủ tục", "van-ban"),
    ("sắp xếp, tinh gọn tổ chức bộ máy", "tin-bo-nganh"),
    ("nâng cao chất lượng văn bản quy phạm pháp luật", "van-ban"),
    ("kết nối dữ liệu dân cư với hệ thống giải quyết thủ tục", "chinh-phu-so"),
    ("tập huấn kỹ năng phục vụ người dân", "tin-bo-nganh"),
]
PLACES = [
    "Hà Nội",
    "Hải Phòng",
    "Thừa Thiên Huế",
    "Quảng Ninh",
    "Cần Thơ",
    "Lào Cai",
    "Bình Dương",
    "Nghệ An",
    "Đồng Tháp",
    "Bộ Tư pháp",
    "Bộ Tài chính",
    "Bộ Nội vụ",
]
SUBJECT_TAGS = {
    "chinh-phu-so": ["Chuyển đổi số", "Chính quyền điện tử", "Dịch vụ công trực tuyến"],
    "cai-cach-thu-tuc-hanh-chinh": [
        "Kiểm soát thủ tục hành chính",
        "Một cửa liên thông",
    ],
    "chi-dao-dieu-hanh": ["PAR INDEX", "Cải cách thể chế"],
    "van-ban": ["Cải cách thể chế"],
    "tin-tuc": ["SIPAS", "Một cửa liên thông"],
    "tin-bo-nganh": ["Tinh gọn bộ máy"],
}
SENTENCES = [
    "Theo báo cáo minh họa, {place} đã {subject} trong quý vừa qua với sự tham gia "
    "của nhiều cơ quan chuyên môn.",
    "Việc {subject} giúp người dân và doanh nghiệp ở {place} tiết kiệm thời gian, "
    "chi phí khi thực hiện TTHC.",
    "Lãnh đạo {place} yêu cầu các đơn vị công khai kết quả, tiếp nhận phản ánh, kiến "
    "nghị và trả lời đúng hạn.",
    "Kết quả CCHC được theo dõi hằng tháng; những khâu chậm trễ được chỉ rõ để khắc "
    "phục ngay.",
    "Bộ phận một cửa được bố trí thêm máy tính, đường truyền và hướng dẫn viên để hỗ "
    "trợ người cao tuổi nộp hồ sơ trực tuyến.",
    "Cơ quan CNTT của {place} bảo đảm hệ thống vận hành ổn định, an toàn và kết nối "
    "với Cổng dịch vụ công quốc gia.",
    "Đây là một trong những nội dung được đánh giá trong PAR INDEX và khảo sát SIPAS "
    "hằng năm.",
    "UBND và các sở, ngành tiếp tục rà soát quy trình nội bộ để cắt giảm giấy tờ "
    "không cần thiết.",
]


# English versions written for the demo (the English edition, issue 22), by
# the title of their Vietnamese original. Never machine-translated: editors
# write them; these are demo texts like the rest.
ENGLISH_VERSIONS = {
    "Đà Nẵng đẩy mạnh chuyển đổi số trong giải quyết thủ tục hành chính": {
        "title": "Da Nang steps up digital transformation of administrative procedures",
        "sapo": (
            "Da Nang aims to move most administrative files online, cutting the "
            "time citizens and businesses wait (demo data)."
        ),
        "paragraphs": [
            "Under the city's illustrative plan, departments and districts keep "
            "reviewing procedures so that the most requested ones can be done "
            "online from start to finish.",
            "One-stop shops in Da Nang digitise files when they receive them, so "
            "that results are kept and reused and citizens never hand in the "
            "same paper twice.",
            "The city also follows citizens' satisfaction through the SIPAS "
            "survey and reads its PAR INDEX results as the measure of its work.",
        ],
        "byline": "Editorial team",
        "hero_alt": "Illustration: an administrative building with a red roof "
        "against the sky",
        "hero_caption": "Illustration (demo data).",
    },
    "Đẩy mạnh cải cách hành chính gắn với chuyển đổi số năm 2026": {
        "title": "Administrative reform goes hand in hand with digital "
        "transformation in 2026",
        "sapo": (
            "Ministries and provinces are asked to tie their reform tasks to "
            "digital transformation, with citizens and businesses at the centre "
            "(demo data)."
        ),
        "paragraphs": [
            "The illustrative directive says that every procedure reviewed must "
            "answer one question: can it be done fully online?",
            "Heads of agencies answer for their unit's reform results; the yearly "
            "PAR INDEX is used to judge how well the tasks were done.",
        ],
        "byline": "Editorial team",
        "hero_alt": "Illustration: an administrative building with a red roof "
        "against the sky",
        "hero_caption": "Illustration (demo data).",
    },
}


def seed_news(
    *,
    reset: bool = False,
    bulk_articles: int = 0,
    log: Callable[[str], None] = lambda message: None,
) -> None:
    """Create or update the demo categories, tags, glossary and articles."""
    if reset:
        deleted = delete_demo_news()
        log(f"Đã xoá {deleted} tin bài minh họa.")
    with transaction.atomic():
        categories = _seed_categories()
        tags = _seed_tags()
        _seed_glossary()
    images = _seed_images()
    with transaction.atomic():
        count = _seed_articles(categories=categories, tags=tags, images=images)
    log(
        f"Tin tức minh họa: {len(categories)} chuyên mục, {len(tags)} thẻ, {count} bài."
    )
    if bulk_articles:
        created = seed_bulk_articles(
            count=bulk_articles,
            categories=categories,
            tags=tags,
            images=images,
            log=log,
        )
        log(f"Tin thử tải: thêm {created} bài (tổng {bulk_articles}).")


def delete_demo_news() -> int:
    """Delete the demo and load-test articles and their history.

    Categories, tags and editors' own articles stay. Demo data leaves no
    versions behind: a "deleted" version for each of 100,000 load-test
    articles would only slow the reset down and fill the history table.
    """
    demo = Article.objects.filter(source_agency__in=[DEMO_SOURCE, DEMO_SOURCE_EN])
    bulk = Article.objects.filter(slug__startswith=BULK_SLUG_PREFIX)
    history_model = Article.history.model
    versions = history_model.objects.filter(id__in=(demo | bulk).values("pk"))
    with transaction.atomic(), _history_off():
        for m2m_history in (history_model.tags.model, history_model.related.model):
            m2m_history.objects.filter(history__in=versions).delete()
        versions.delete()
        ArticleLink.objects.filter(from_article__in=demo).delete()
        # English versions first: they protect their originals.
        english, _ = demo.exclude(translation_of=None).delete()
        deleted, _ = (demo | bulk).delete()
    return english + deleted


@contextmanager
def _history_off() -> Iterator[None]:
    """Record no article versions meanwhile (django-simple-history's switch).

    Only for this management command's own process.
    """
    previous = getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
    settings.SIMPLE_HISTORY_ENABLED = False
    try:
        yield
    finally:
        settings.SIMPLE_HISTORY_ENABLED = previous


def _seed_categories() -> dict[str, Category]:
    categories: dict[str, Category] = {}
    for slug, name, order, in_nav, parent_slug, description in CATEGORIES:
        categories[slug], _ = Category.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "order": order,
                "show_in_nav": in_nav,
                "parent": categories[parent_slug] if parent_slug else None,
                "description": description,
            },
        )
    return categories


def _seed_tags() -> dict[str, Tag]:
    return {
        name: Tag.objects.update_or_create(slug=slugify(name), defaults={"name": name})[
            0
        ]
        for name in TAGS
    }


def _seed_glossary() -> None:
    for abbreviation, meaning in GLOSSARY:
        GlossaryTerm.objects.update_or_create(
            abbreviation=abbreviation, defaults={"meaning": meaning}
        )


def _draw_demo_image(number: int) -> bytes:
    """A locally drawn, deterministic illustration (no downloads)."""
    rng = random.Random(SEED + number)
    width, height = IMAGE_SIZE
    top = (rng.randrange(120, 200), rng.randrange(20, 80), rng.randrange(20, 60))
    bottom = (rng.randrange(200, 250), rng.randrange(170, 220), rng.randrange(120, 180))
    image = Image.new("RGB", IMAGE_SIZE)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        share = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(
                round(a + (b - a) * share) for a, b in zip(top, bottom, strict=True)
            ),
        )
    for _ in range(6):
        x, y = rng.randrange(width), rng.randrange(height)
        radius = rng.randrange(60, 260)
        colour = (255, rng.randrange(180, 240), rng.randrange(40, 120))
        draw.ellipse(
            [x - radius, y - radius, x + radius, y + radius], outline=colour, width=12
        )
    # A stylised building: the "public office" of every illustration.
    base_y = height - 120
    draw.rectangle([520, base_y - 300, 1080, base_y], fill=(250, 246, 238))
    draw.polygon(
        [(480, base_y - 300), (800, base_y - 440), (1120, base_y - 300)],
        fill=(165, 14, 14),
    )
    for column in range(6):
        x = 570 + column * 90
        draw.rectangle([x, base_y - 260, x + 36, base_y], fill=(214, 205, 190))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def _seed_images() -> list[StoredImage]:
    """The demo illustrations, drawn and stored once under fixed names."""
    images = []
    width, height = IMAGE_SIZE
    for number in range(1, IMAGE_COUNT + 1):
        stem = f"demo/anh-minh-hoa-{number}"
        expected = [
            {
                "width": w,
                "height": round(height * w / width),
                "name": f"news/{stem}-{w}.jpg",
            }
            for w in RENDITION_WIDTHS
            if w < width
        ] + [{"width": width, "height": height, "name": f"news/{stem}.jpg"}]
        if all(default_storage.exists(item["name"]) for item in expected):
            images.append(StoredImage(f"news/{stem}.jpg", width, height, expected))
            continue
        for item in expected:
            if default_storage.exists(item["name"]):
                default_storage.delete(item["name"])
        images.append(
            store_image(
                ContentFile(_draw_demo_image(number), name="demo.jpg"), stem=stem
            )
        )
    return images


def _body(paragraphs: list[str], note: str = DEMO_NOTE) -> str:
    return "".join(f"<p>{text}</p>" for text in paragraphs) + note


def _generated_articles(rng: random.Random) -> list[dict]:
    """Titles and texts combining subjects and places, 57 in all."""
    articles = []
    combinations = [(subject, place) for subject in SUBJECTS for place in PLACES]
    rng.shuffle(combinations)
    for number, ((subject, category), place) in enumerate(combinations[:57], start=3):
        sentences = rng.sample(SENTENCES, 4)
        paragraphs = [s.format(place=place, subject=subject) for s in sentences]
        paragraphs.insert(
            2,
            f"<strong>{place}</strong> đặt mục tiêu hoàn thành trước cuối năm và báo "
            "cáo kết quả để phục vụ đánh giá PAR INDEX.",
        )
        articles.append(
            {
                "title": f"{place}: {subject[0].upper()}{subject[1:]}",
                "units": [place],
                "category": category,
                "tags": rng.sample(SUBJECT_TAGS[category], 1)
                + rng.sample([t for t in TAGS if t not in SUBJECT_TAGS[category]], 1),
                "sapo": (
                    f"{place} {subject} nhằm phục vụ người dân và doanh nghiệp tốt "
                    "hơn, theo kế hoạch cải cách hành chính năm 2026 (tin minh họa)."
                ),
                "paragraphs": paragraphs,
                "featured": number % 20 == 0,
                "days_ago": number * 4.5,
            }
        )
    return articles


def _units_named(names: list[str], *, on: dt.date) -> list[Unit]:
    """The PAR INDEX units an article names, as they were on its date.

    "Thừa Thiên Huế" finds Thành phố Huế by its former name; a merged
    province resolves to the unit in existence on the day.
    """
    units = []
    for name in names:
        matches = Unit.objects.matching(name)
        units.extend(matches.current(on) or matches)
    return units


def _seed_articles(
    *, categories: dict[str, Category], tags: dict[str, Tag], images: list[StoredImage]
) -> int:
    rng = random.Random(SEED)
    specs = FEATURED_ARTICLES + _generated_articles(rng)
    articles: list[Article] = []
    for number, spec in enumerate(specs):
        image = images[number % len(images)]
        published_at = ANCHOR - dt.timedelta(days=spec["days_ago"], hours=number % 7)
        article, created = _upsert_article(
            slug=slugify(spec["title"], max_length=200),
            defaults={
                "title": spec["title"],
                "sapo": spec["sapo"],
                "body": _body(spec["paragraphs"]),
                "category": categories[spec["category"]],
                "status": Article.Status.PUBLISHED,
                "published_at": published_at,
                "featured": spec["featured"],
                "byline": BYLINES[number % len(BYLINES)],
                "source_agency": DEMO_SOURCE,
                "hero_image": image.name,
                "hero_alt": DEMO_IMAGE_ALT,
                "hero_caption": "Ảnh minh họa (dữ liệu demo).",
                "hero_width": image.width,
                "hero_height": image.height,
                "hero_renditions": image.renditions,
                "change_note": (
                    "bổ sung số liệu minh họa về hồ sơ trực tuyến."
                    if number == 0
                    else ""
                ),
                "change_noted_at": (
                    published_at + dt.timedelta(hours=3) if number == 0 else None
                ),
            },
        )
        _set_links(
            article,
            tags=[tags[name] for name in spec["tags"]],
            units=_units_named(spec.get("units", []), on=published_at.date()),
            created=created,
        )
        articles.append(article)

    _seed_announcement(
        categories=categories, tags=tags, image=images[0], others=articles
    )
    english = _seed_english_versions(articles)

    # Not public: a draft returned by the reviewer, one awaiting review, one
    # scheduled far ahead.
    hidden = [
        (
            "Bản nháp: kế hoạch kiểm tra CCHC quý tới",
            Article.Status.DRAFT,
            None,
            "Bổ sung lịch kiểm tra cụ thể của từng quý rồi gửi duyệt lại "
            "(nhận xét minh họa).",
        ),
        ("Chờ duyệt: tổng kết mô hình một cửa", Article.Status.PENDING, None, ""),
        (
            "Hẹn giờ: công bố PAR INDEX kỳ tới",
            Article.Status.PUBLISHED,
            dt.datetime(2036, 1, 1, 8, 0, tzinfo=HANOI),
            "",
        ),
    ]
    for title, status, published_at, review_comment in hidden:
        article, created = _upsert_article(
            slug=slugify(title),
            defaults={
                "title": title,
                "sapo": "Bài minh họa chưa công khai (dữ liệu demo).",
                "body": _body(["Nội dung đang được biên tập."]),
                "category": categories["tin-tuc"],
                "status": status,
                "published_at": published_at,
                "byline": "Ban biên tập",
                "source_agency": DEMO_SOURCE,
                "review_comment": review_comment,
            },
        )
        _set_links(article, tags=[], units=[], created=created)

    # Curated "Tin liên quan" on every third article; the rest are topped up.
    for number, article in enumerate(articles):
        if number % 3:
            continue
        others = [a for a in articles if a.pk != article.pk]
        article_set_related(article=article, related=rng.sample(others, 2))
    return len(articles) + len(hidden) + english


def _seed_english_versions(originals: list[Article]) -> int:
    """The English versions of ENGLISH_VERSIONS, published with their originals."""
    by_title = {article.title: article for article in originals}
    for title, spec in ENGLISH_VERSIONS.items():
        original = by_title[title]
        english = Article.objects.filter(
            translation_of=original, language=Article.Language.ENGLISH
        ).first()
        fields = {
            "title": spec["title"],
            "sapo": spec["sapo"],
            "body": _body(spec["paragraphs"], note=DEMO_NOTE_EN),
            "byline": spec["byline"],
            "source_agency": DEMO_SOURCE_EN,
            "hero_alt": spec["hero_alt"],
            "hero_caption": spec["hero_caption"],
            **{name: getattr(original, name) for name in translations.SHARED_FIELDS},
            "status": Article.Status.PUBLISHED,
            "published_at": original.published_at + dt.timedelta(hours=2),
        }
        if english is None:
            english = Article(
                language=Article.Language.ENGLISH, translation_of=original, **fields
            )
            with history_paused(english):
                english.save()
            created = True
        else:
            # As _upsert_article: a second run changes, and records, nothing.
            created = False
            if any(getattr(english, n) != v for n, v in fields.items()):
                for name, value in fields.items():
                    setattr(english, name, value)
                english.save()
        _set_links(
            english,
            tags=list(original.tags.all()),
            units=list(original.units.all()),
            created=created,
        )
    return len(ENGLISH_VERSIONS)


def _seed_announcement(*, categories, tags, image, others) -> Article:
    """The PAR INDEX 2016 announcement, linked to its edition and related news."""
    from parindex.models import Edition

    spec = ANNOUNCEMENT_2016
    article, created = _upsert_article(
        slug=slugify(spec["title"], max_length=200),
        defaults={
            "title": spec["title"],
            "sapo": spec["sapo"],
            "body": "".join(f"<p>{text}</p>" for text in spec["paragraphs"])
            + spec["note"],
            "category": categories[spec["category"]],
            "status": Article.Status.PUBLISHED,
            "published_at": spec["published_at"],
            "featured": spec["featured"],
            "byline": spec["byline"],
            "source_agency": DEMO_SOURCE,
            "hero_image": image.name,
            "hero_alt": DEMO_IMAGE_ALT,
            "hero_caption": "Ảnh minh họa (dữ liệu demo).",
            "hero_width": image.width,
            "hero_height": image.height,
            "hero_renditions": image.renditions,
        },
    )
    _set_links(
        article,
        tags=[tags[name] for name in spec["tags"]],
        units=_units_named(spec["units"], on=spec["published_at"].date()),
        created=created,
    )
    editions = [
        Edition.objects.get(year=year, group=group) for year, group in spec["editions"]
    ]
    article.editions.set(editions)
    about_par = [a for a in others if "PAR INDEX" in a.sapo or "PAR INDEX" in a.title]
    article_set_related(article=article, related=(about_par or others)[:3])
    return article


def _upsert_article(*, slug: str, defaults: dict) -> tuple[Article, bool]:
    """update_or_create that leaves an unchanged article alone.

    Every save records a version in the article's history; running the seed
    again must not add versions that change nothing. A new article records
    none yet: _set_links() records it with its tags and units.
    """
    article = Article.objects.filter(slug=slug).first()
    if article is None:
        article = Article(slug=slug, **defaults)
        with history_paused(article):
            article.save()
        return article, True
    changed = False
    for name, value in defaults.items():
        attname = Article._meta.get_field(name).attname
        if isinstance(value, models.Model):
            value = value.pk
        if getattr(article, attname) != value:
            setattr(article, attname, value)
            changed = True
    if changed:
        article.save()
    return article, False


def _set_links(
    article: Article, *, tags: list[Tag], units: list, created: bool
) -> None:
    """Set tags and units; record a version if they (or the article) are new."""
    current = (
        set(article.tags.values_list("pk", flat=True)),
        set(article.units.values_list("pk", flat=True)),
    )
    if not created and current == ({t.pk for t in tags}, {u.pk for u in units}):
        return
    with history_paused(article):
        article.tags.set(tags)
        article.units.set(units)
    article_record_version(
        article=article,
        reason=REASON_CREATED if created else REASON_EDITED,
        created=created,
    )


# Demo editors for the write → review → publish flow (seed_demo --admin only):
# user name, password, role, name shown in the admin and the history.
DEMO_EDITORS = [
    ("bientap", "viet-bai-cchc-2026", roles.EDITOR, "Nguyễn Thu Hà (demo)"),
    ("duyetbai", "duyet-bai-cchc-2026", roles.REVIEWER, "Trần Minh Đức (demo)"),
]


@transaction.atomic
def seed_demo_editors(*, log: Callable[[str], None] = lambda message: None) -> None:
    """Create the demo writer and reviewer (idempotent; passwords never reset)."""
    roles.ensure_roles()
    user_model = get_user_model()
    for username, password, role, full_name in DEMO_EDITORS:
        user, created = user_model.objects.get_or_create(
            username=username,
            defaults={
                "is_staff": True,
                "first_name": full_name,
                "email": f"{username}@example.gov.vn",
            },
        )
        if created:
            user.set_password(password)
            user.save()
        user.groups.set([Group.objects.get(name=role)])
        if role == roles.EDITOR:
            # The demo's unpublished articles are the demo writer's to finish
            # (a writer edits only their own drafts).
            Article.objects.filter(
                source_agency=DEMO_SOURCE,
                status__in=[Article.Status.DRAFT, Article.Status.PENDING],
                created_by=None,
            ).update(created_by=user)
        log(
            f"Demo {role} login: {username} / {password}"
            + ("" if created else " (existing account; password unchanged)")
        )


def bulk_article(
    number: int,
    *,
    categories: dict[str, Category],
    tags: dict[str, Tag],
    images: list[StoredImage],
    label: str | None = None,
) -> tuple[Article, list[Tag]]:
    """Load-test article `number` (unsaved) and its two tags.

    `label` stands for the number in the title and slug (the bulk load's
    pattern rows carry a mark there); the rest depends on the number only
    through the cycles of the demo lists, so BULK_PATTERN_PERIOD numbers
    apart the articles differ in their number and date alone.
    """
    category_list = list(categories.values())
    tag_list = list(tags.values())
    label = str(number) if label is None else label
    subject, category_slug = SUBJECTS[number % len(SUBJECTS)]
    place = PLACES[number % len(PLACES)]
    image = images[number % len(images)]
    article_tags = [
        tag_list[(number + shift) % len(tag_list)] for shift in BULK_TAG_SHIFTS
    ]
    article = Article(
        title=f"Tin thử tải số {label}: {place} {subject}",
        slug=f"{BULK_SLUG_PREFIX}{label}",
        sapo=f"{place} {subject} (tin thử tải, dữ liệu demo).",
        body=_body(
            [SENTENCES[number % len(SENTENCES)].format(place=place, subject=subject)]
        ),
        category=categories[category_slug]
        if number % 3
        else category_list[number % len(category_list)],
        status=Article.Status.PUBLISHED,
        published_at=BULK_NEWEST - dt.timedelta(minutes=7 * number),
        byline=BYLINES[number % len(BYLINES)],
        source_agency=DEMO_SOURCE,
        hero_image=image.name,
        hero_alt=DEMO_IMAGE_ALT,
        hero_width=image.width,
        hero_height=image.height,
        hero_renditions=image.renditions,
    )
    # Complete search document, tags included: the bulk load calls no save()
    # and its tag rows send no signal.
    article.search_document = article.build_search_document(
        tags=[tag.name for tag in article_tags], units=()
    )
    return article, article_tags


def bulk_pattern_period(*, categories: dict, tags: dict, images: list) -> int:
    """After this many numbers the load-test articles repeat (but for number
    and date): the least common multiple of the cycles bulk_article() uses."""
    return math.lcm(
        len(SUBJECTS),
        len(PLACES),
        len(SENTENCES),
        len(BYLINES),
        len(images),
        len(tags),
        len(categories),
        3,
    )


def seed_bulk_articles(
    *,
    count: int,
    categories: dict[str, Category],
    tags: dict[str, Tag],
    images: list[StoredImage],
    log: Callable[[str], None] = lambda message: None,
) -> int:
    """Make sure load-test articles 1..`count` exist; returns how many were added.

    Idempotent: articles are numbered, and only the missing numbers are added.
    They share the demo images and are dated before the hand-made demo articles.

    A million rows built and sent one by one took 17 minutes, so the rows are
    made by PostgreSQL: bulk_article() builds one pattern row per residue
    modulo the period (with BULK_NUMBER_MARK for the number), and one
    INSERT ... SELECT over generate_series() puts each number into its
    pattern's title, slug and search document. A load that more than doubles
    the table drops the article table's secondary indexes first and builds
    them again afterwards, in the same transaction (one sorted build is far
    cheaper than a million index insertions); a smaller top-up keeps them.
    """
    period = bulk_pattern_period(categories=categories, tags=tags, images=images)
    table = Article._meta.db_table
    tag_table = Article.tags.through._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {table} WHERE slug LIKE %s",
            [BULK_SLUG_PREFIX + "%"],
        )
        (existing,) = cursor.fetchone()
        if existing >= count:
            return 0
        cursor.execute(f"SELECT count(*) FROM {table}")
        (rows_before,) = cursor.fetchone()
        columns = _create_bulk_patterns(
            cursor,
            period=period,
            categories=categories,
            tags=tags,
            images=images,
        )
        rebuild = count - existing > rows_before
        restore = _drop_secondary_indexes(cursor, [table, tag_table]) if rebuild else []
        started = time.monotonic()
        targets = ", ".join(f'"{name}"' for name, _ in columns)
        values = ", ".join(expression for _, expression in columns)
        cursor.execute(
            f"""
            WITH added AS (
                INSERT INTO {table} ({targets})
                SELECT {values}
                FROM generate_series(1, %(count)s) AS n
                JOIN bulk_pattern AS p ON p.residue = n %% %(period)s
                WHERE NOT EXISTS (
                    SELECT FROM {table} AS a WHERE a.slug = %(prefix)s || n
                )
                ORDER BY n
                RETURNING id, slug
            )
            INSERT INTO {tag_table} (article_id, tag_id)
            SELECT added.id, t.tag_id
            FROM added
            JOIN bulk_pattern_tag AS t ON t.residue
                = substr(added.slug, %(number_at)s)::bigint %% %(period)s
            """,
            {
                "count": count,
                "period": period,
                "prefix": BULK_SLUG_PREFIX,
                "mark": BULK_NUMBER_MARK,
                "newest": BULK_NEWEST,
                "number_at": len(BULK_SLUG_PREFIX) + 1,
            },
        )
        created = cursor.rowcount // len(BULK_TAG_SHIFTS)
        elapsed = time.monotonic() - started
        log(f"Tin thử tải: {created} bài chèn trong {elapsed:.0f} s.")
        if restore:
            started = time.monotonic()
            # Index builds may use more memory than a query (this transaction).
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for statement in restore:
                cursor.execute(statement)
            log(
                f"Tin thử tải: chỉ mục và khóa ngoại dựng lại trong "
                f"{time.monotonic() - started:.0f} s."
            )
        cursor.execute("DROP TABLE bulk_pattern, bulk_pattern_tag")
    # Fresh planner statistics: without them the first searches after a big
    # load scan the whole table instead of using the search index.
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}, {tag_table}")
    return created


def _create_bulk_patterns(
    cursor, *, period: int, categories: dict, tags: dict, images: list
) -> list[tuple[str, str]]:
    """Temporary tables of the pattern rows and their tags, one per residue.

    Returns (column, SQL expression) for the INSERT ... SELECT: the pattern's
    value, with the number in place of the mark where the pattern holds it,
    and the date counted back from BULK_NEWEST.
    """
    fields = [field for field in Article._meta.concrete_fields if not field.primary_key]
    patterns = []
    pattern_tags = []
    for residue in range(period):
        article, article_tags = bulk_article(
            residue or period,
            categories=categories,
            tags=tags,
            images=images,
            label=BULK_NUMBER_MARK,
        )
        patterns.append(
            [residue]
            + [
                field.get_db_prep_save(field.pre_save(article, True), connection)
                for field in fields
            ]
        )
        pattern_tags.extend((residue, tag.pk) for tag in article_tags)
    table = Article._meta.db_table
    names = ", ".join(f'"{field.column}"' for field in fields)
    cursor.execute(
        f"CREATE TEMPORARY TABLE bulk_pattern ON COMMIT DROP AS "
        f"SELECT 0 AS residue, {names} FROM {table} WITH NO DATA"
    )
    cursor.executemany(
        f"INSERT INTO bulk_pattern (residue, {names}) "
        f"VALUES ({', '.join(['%s'] * (len(fields) + 1))})",
        patterns,
    )
    cursor.execute(
        "CREATE TEMPORARY TABLE bulk_pattern_tag (residue int, tag_id bigint) "
        "ON COMMIT DROP"
    )
    cursor.executemany("INSERT INTO bulk_pattern_tag VALUES (%s, %s)", pattern_tags)
    columns = []
    for field in fields:
        column = field.column
        if column == "published_at":
            expression = "%(newest)s::timestamptz - n * interval '7 minutes'"
        elif column == "search_document":
            # A number is one lexeme, at the mark's position and weight.
            expression = (
                "replace(p.search_document::text, quote_literal(%(mark)s), "
                "quote_literal(n::text))::tsvector"
            )
        elif any(
            isinstance(value, str) and BULK_NUMBER_MARK in value
            for value in (row[1 + fields.index(field)] for row in patterns)
        ):
            expression = f'replace(p."{column}", %(mark)s, n::text)'
        else:
            expression = f'p."{column}"'
        columns.append((column, expression))
    return columns


def _drop_secondary_indexes(cursor, tables: list[str]) -> list[str]:
    """Drop the tables' foreign keys and the indexes no constraint owns.

    Returns the statements that make them again: the indexes first (one
    sorted build each), then the foreign keys, each checked by one join over
    the table instead of a trigger call per inserted row.
    """
    cursor.execute(
        """
        SELECT 1 AS rebuilt, format('DROP INDEX %%s', i.indexrelid::regclass),
               pg_get_indexdef(i.indexrelid)
        FROM pg_index AS i
        WHERE i.indrelid = ANY(%(tables)s::regclass[])
          AND NOT EXISTS (
              SELECT FROM pg_constraint AS c WHERE c.conindid = i.indexrelid
          )
        UNION ALL
        SELECT 2, format('ALTER TABLE %%s DROP CONSTRAINT %%I', c.conrelid::regclass,
                      c.conname),
               format('ALTER TABLE %%s ADD CONSTRAINT %%I %%s', c.conrelid::regclass,
                      c.conname, pg_get_constraintdef(c.oid))
        FROM pg_constraint AS c
        WHERE c.conrelid = ANY(%(tables)s::regclass[]) AND c.contype = 'f'
        ORDER BY 1
        """,
        {"tables": tables},
    )
    found = cursor.fetchall()
    # No table with foreign-key checks pending (rows inserted earlier in this
    # transaction) can be altered, nor the tables its keys refer to: run
    # those checks now, and defer them again at the end.
    cursor.execute(
        """
        WITH touched AS (
            SELECT unnest(%(tables)s::regclass[]) AS id
            UNION SELECT confrelid FROM pg_constraint
            WHERE conrelid = ANY(%(tables)s::regclass[]) AND contype = 'f'
        )
        SELECT string_agg(format('%%I.%%I', n.nspname, c.conname), ', ')
        FROM pg_constraint AS c JOIN pg_namespace AS n ON n.oid = c.connamespace
        WHERE c.conrelid IN (SELECT id FROM touched) AND c.condeferred
        """,
        {"tables": tables},
    )
    (deferred,) = cursor.fetchone()
    restore = [make for _, _, make in found]
    if deferred:
        cursor.execute(f"SET CONSTRAINTS {deferred} IMMEDIATE")
        restore.append(f"SET CONSTRAINTS {deferred} DEFERRED")
    for _, drop, _ in found:
        cursor.execute(drop)
    return restore
