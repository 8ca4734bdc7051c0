"""The two editorial roles, shared by the workflow, admin and history tests."""

import pytest

from tests.factories import ReviewerFactory, WriterFactory


@pytest.fixture
def writer(db):
    """A Biên tập viên."""
    return WriterFactory(first_name="Nguyễn Thu Hà")


@pytest.fixture
def reviewer(db):
    """A Duyệt bài."""
    return ReviewerFactory(first_name="Trần Minh Đức")


@pytest.fixture
def writer_client(client, writer):
    client.force_login(writer)
    return client


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client
