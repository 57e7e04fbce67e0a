"""Pages as the web pages have them: ``?page=N``, ``TALENTHUB["PAGE_SIZE"]`` rows a page,
counted only when a page is full (``CountWhenFullPaginator``)."""

from django.conf import settings
from rest_framework.pagination import PageNumberPagination

from talenthub.core.pagination import CountWhenFullPaginator


class PagePagination(PageNumberPagination):
    django_paginator_class = CountWhenFullPaginator

    @property
    def page_size(self):
        return settings.TALENTHUB["PAGE_SIZE"]
