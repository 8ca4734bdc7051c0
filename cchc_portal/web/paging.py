"""Paging for long lists without COUNT(*).

Listings and search results page with "Xem thêm" (next page) links; nothing
shows the total number of pages, so counting 100,000 rows on every request
(tens of milliseconds) buys nothing. A page fetches one row more than it
shows to know whether a next page exists.
"""

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator

# No list on this site comes near ten million rows (the load test has 100,000
# articles); a page further on is empty without asking the database, whose
# OFFSET is a bigint that a 20-digit ?page= would overflow (a 500).
MAX_OFFSET = 10_000_000


class NextPagePaginator(Paginator):
    """A Paginator that never counts: pages know only whether a next one exists.

    Django's own `count` (used only by `?page=last`) and
    `previous_page_number` serve unchanged.
    """

    def validate_number(self, number):
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from error
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        if (number - 1) * self.per_page > MAX_OFFSET:
            raise EmptyPage(self.error_messages["no_results"])
        return number

    def page(self, number):
        number = self.validate_number(number)
        offset = (number - 1) * self.per_page
        rows = list(self.object_list[offset : offset + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        return NextPage(
            rows[: self.per_page], number, self, has_next=len(rows) > self.per_page
        )


class NextPage(Page):
    def __init__(self, object_list, number, paginator, *, has_next: bool):
        super().__init__(object_list, number, paginator)
        self._has_next = has_next

    def has_next(self):
        return self._has_next

    def next_page_number(self):
        if not self._has_next:
            raise EmptyPage(self.paginator.error_messages["no_results"])
        return self.number + 1
