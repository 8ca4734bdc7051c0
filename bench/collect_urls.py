"""Print, as JSON, the URLs the benchmark requests for each page type.

Run inside the benchmark's environment (bench/run.py does it):
    python -m bench.collect_urls
"""

import json
import random
from urllib.parse import urlencode

import django

# What readers type: with and without diacritics, a quoted phrase, a unit's
# name, filters and the newest-first sort, a second page.
SEARCHES = [
    {"q": "chuyển đổi số"},
    {"q": "chuyen doi so"},
    {"q": "Đà Nẵng"},
    {"q": "da nang"},
    {"q": "dịch vụ công trực tuyến"},
    {"q": "dich vu cong truc tuyen"},
    {"q": '"một cửa"'},
    {"q": '"bo phan mot cua"'},
    {"q": "thủ tục hành chính Hà Nội"},
    {"q": "hue"},
    {"q": "bo tu phap"},
    {"q": "số hóa hồ sơ"},
    {"q": "cải cách", "chuyen_muc": "chinh-phu-so"},
    {"q": "ho so", "sap_xep": "moi-nhat"},
    {"q": "kiem soat thu tuc", "the": "kiem-soat-thu-tuc-hanh-chinh"},
    {"q": "sipas", "tu_ngay": "01/01/2025", "den_ngay": "31/12/2025"},
    {"q": "dich vu cong", "page": "2"},
]

# Timed on their own at a million articles: words in most articles (ranking
# is bounded to the newest matches) and words in a handful (the search index
# alone); the article numbers are filled in from the dataset.
COMMON_SEARCHES = [
    {"q": "dịch vụ công"},
    {"q": "chuyen doi so"},
    {"q": "một cửa"},
    {"q": "ho so"},
    {"q": "cai cach hanh chinh"},
]
RARE_SEARCHES = [
    {"q": "đất đai"},
    {"q": "truong hoa binh"},
    {"q": "{number}"},
    {"q": "tin thu tai so {number}"},
]


def collect(sample_size: int = 2000) -> dict[str, list[str]]:
    """Real URLs of every page type, sampled from the benchmark database."""
    from django.db import connection
    from django.urls import reverse

    from news.models import Article, Category, Tag
    from parindex.models import Edition, Result, Unit

    rng = random.Random(2026)
    # Sample public articles across the whole table, not just the newest.
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM news_article")
        (max_id,) = cursor.fetchone()
    candidate_ids = rng.sample(
        range(1, (max_id or 0) + 1), min(sample_size * 2, max_id or 0)
    )
    articles = list(
        Article.objects.published()
        .filter(pk__in=candidate_ids)
        .only("pk", "slug")[:sample_size]
    )
    categories = list(Category.objects.all())
    tags = list(Tag.objects.all()[:50])

    listing = ["/tin-tuc/"] + [f"/tin-tuc/?page={page}" for page in range(2, 30)]
    listing += [category.get_absolute_url() for category in categories]
    listing += [f"{category.get_absolute_url()}?page=2" for category in categories]
    listing += [tag.get_absolute_url() for tag in tags]
    editions = list(Edition.objects.released())
    ranking = [edition.get_absolute_url() for edition in editions]
    ranking += [f"{url}?sort=total" for url in ranking] + [
        f"{url}?sort=-name" for url in ranking
    ]
    ranked_units = {
        result.unit for result in Result.objects.public().select_related("unit")
    }
    units = list(Unit.objects.filter(articles__isnull=False).distinct()[:20])
    feeds = [reverse("news:feed")]
    feeds += [reverse("news:category-feed", args=[c.slug]) for c in categories]
    feeds += [reverse("news:tag-feed", args=[tag.slug]) for tag in tags[:20]]
    feeds += [reverse("news:unit-feed", args=[unit.slug]) for unit in units]
    search = reverse("search:results")
    from news.demo import BULK_SLUG_PREFIX

    bulk = Article.objects.filter(slug__startswith=BULK_SLUG_PREFIX).count()
    numbers = [bulk * 2 // 3 + 1, bulk // 3 + 7] if bulk else [1]
    rare = [
        {"q": params["q"].format(number=number)}
        for number in numbers
        for params in RARE_SEARCHES
        if "{number}" in params["q"] or number == numbers[0]
    ]
    return {
        "home": ["/"],
        "listing": listing,
        "article": [article.get_absolute_url() for article in articles],
        "ranking": ranking,
        "profile": sorted(unit.get_absolute_url() for unit in ranked_units),
        "search": [f"{search}?{urlencode(params)}" for params in SEARCHES],
        "search-common": [
            f"{search}?{urlencode(params)}" for params in COMMON_SEARCHES
        ],
        "search-rare": [f"{search}?{urlencode(params)}" for params in rare],
        "feeds": feeds,
    }


if __name__ == "__main__":
    django.setup()
    print(json.dumps(collect()))
