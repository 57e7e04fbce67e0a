"""A paginator that counts only when it has to (issue 21).

Django's ``Paginator`` runs ``SELECT COUNT(*)`` before every page, then the page's own
query. When the page asked for is not full, its rows already say how many there are
(``offset + len(rows)``), so the count is a wasted round trip; most managers' lists fit
on one page. This one reads one row more than a page: a page that is not full sets the
count from its rows; a full one (more pages follow) counts as Django's does. Page links,
``count``, ``num_pages`` and out-of-range pages behave as Django's.
"""

from django.core.paginator import InvalidPage, Paginator

# The largest OFFSET PostgreSQL takes (a bigint): past it the query fails with DataError.
LARGEST_OFFSET = 2**63 - 1


class CountWhenFullPaginator(Paginator):
    def page(self, number):
        if "count" in self.__dict__ or self.orphans:
            return super().page(number)
        try:
            number = int(number)
        except (TypeError, ValueError):
            return super().page(number)  # Django's PageNotAnInteger
        if number < 1:
            return super().page(number)  # Django's EmptyPage
        if (number - 1) * self.per_page > LARGEST_OFFSET:
            # ``?page=99999999999999999999``: no table has that many rows, and the OFFSET
            # would not fit PostgreSQL's bigint (a DataError, a 500). Django counts and
            # refuses it as past the end.
            return super().page(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if len(rows) > self.per_page:
            pass  # more pages follow: validate_number() counts them, as Django does
        elif rows or number == 1:
            self.count = bottom + len(rows)  # the last page: its rows say how many
        else:
            return super().page(number)  # past the end: Django counts and refuses
        try:
            self.validate_number(number)
        except InvalidPage:  # rows deleted between the page and its count
            return super().page(number)
        return self._get_page(rows[: self.per_page], number, self)
