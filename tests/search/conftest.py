import pytest

from tests.factories import ArticleFactory, CategoryFactory


@pytest.fixture
def category(db):
    return CategoryFactory(name="Cải cách thủ tục hành chính", show_in_nav=True)


@pytest.fixture
def article(category):
    return ArticleFactory(title="Đẩy mạnh cải cách hành chính", category=category)
