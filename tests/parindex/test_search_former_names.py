"""Searching by a former province's name finds it and its successor."""

import re

import pytest

pytestmark = pytest.mark.django_db


def squeezed(response) -> str:
    return " ".join(response.content.decode().split())


@pytest.mark.parametrize(
    ("q", "former", "successor"),
    [
        ("quang nam", "Tỉnh Quảng Nam", "Thành phố Đà Nẵng (từ 07/2025)"),
        ("kien giang", "Tỉnh Kiên Giang", "Tỉnh An Giang (từ 07/2025)"),
    ],
)
def test_searching_a_former_province_finds_it_and_its_successor(
    reference, client, q, former, successor
):
    html = squeezed(client.get("/tim-kiem/", {"q": q}))
    section = html[html.index('id="don-vi-phu-hop"') :]
    section = section[: section.index("</section>")]
    items = re.findall(r"<li>(.*?)</li>", section)
    labels = [
        re.search(r'<a href="[^"]+">([^<]+)</a>', item).group(1) for item in items
    ]
    assert former in labels and successor in labels
    assert labels.index(successor) == labels.index(former) + 1
    former_item = items[labels.index(former)]
    assert f"đơn vị cũ: từ 01/07/2025 thuộc {successor}" in former_item
    assert f"đơn vị hiện nay, kế thừa {former}" in items[labels.index(successor)]
