"""Pagination links for NHS.UK pagination on any paged list."""

from django.core.paginator import Page
from django.http import HttpRequest


def page_links(request: HttpRequest, page: Page) -> dict:
    """NHS.UK pagination items: first, last and the pages around this one, with the filters kept."""

    def href(number: int) -> str:
        query = request.GET.copy()
        query["page"] = str(number)
        return "?" + query.urlencode()

    paginator = page.paginator
    items: list[dict] = []
    last = 0
    for number in paginator.page_range:
        if number in (1, paginator.num_pages) or abs(number - page.number) <= 2:
            if last and number - last > 1:
                items.append({"ellipsis": True})
            items.append({"number": number, "href": href(number), "current": number == page.number})
            last = number
    return {
        "items": items,
        "previous": {"href": href(page.previous_page_number())} if page.has_previous() else {},
        "next": {"href": href(page.next_page_number())} if page.has_next() else {},
    }
