"""Page-number pagination, 50 rows by default and 100 at most (``page_size``): one count and
one page query, whatever the page size. Every list orders on a unique key last (the id), so a
page never repeats or skips a row between two requests."""

from __future__ import annotations

from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100
