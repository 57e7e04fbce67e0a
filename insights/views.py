"""The insights pages. Each report page has a CSV download of exactly the aggregates it
shows (suppressed cells stay suppressed), built from the same report object."""

from django import forms
from django.template.loader import render_to_string
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from talenthub.core.choices import CareerLevel
from talenthub.core.page_cache import kept_fragment
from talenthub.core.spreadsheets import csv_response

from . import charts, reports
from .choices import CHARACTERISTICS
from .disclosure import Figure, method, percent, rate, threshold
from .permissions import (
    InsightsAccessMixin,
    can_view_compact_insights,
    can_view_equality,
    can_view_programme_insights,
)

CHARACTERISTIC_CHOICES = [(name, c.label) for name, c in CHARACTERISTICS.items()]


@method_decorator(never_cache, name="dispatch")
class InsightsIndexView(InsightsAccessMixin, TemplateView):
    template_name = "insights/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            threshold=threshold(),
            can_equality=can_view_equality(user),
            can_programmes=can_view_programme_insights(user),
            can_compacts=can_view_compact_insights(user),
        )
        return context


class ProtectionView(TemplateView):
    """How the equality figures are protected, in plain English: public (it holds no
    figures), linked from every equality report, the member's equality pages and the
    privacy notice."""

    template_name = "insights/protection.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **method()}


class ReportView(InsightsAccessMixin, TemplateView):
    """A report page, or (``as_csv=True`` in the URL conf) its CSV download: every
    subclass defines ``render_csv()`` from the same report object as its page."""

    as_csv = False

    def get(self, request, *args, **kwargs):
        if self.as_csv:
            return self.render_csv()
        return super().get(request, *args, **kwargs)


# Journey by group -------------------------------------------------------------------------


class JourneyForm(forms.Form):
    # Not required: a link with only ?programme= shows that programme by ethnicity.
    characteristic = forms.ChoiceField(
        label=_("Characteristic"),
        choices=CHARACTERISTIC_CHOICES,
        initial="ethnicity",
        required=False,
    )
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=None,
        required=False,
        empty_label=_("All programmes"),
        to_field_name="slug",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = reports.journey_programmes()

    def choice(self):
        if self.is_bound and self.is_valid():
            data = self.cleaned_data
            return data["characteristic"] or "ethnicity", data["programme"]
        return "ethnicity", None


@method_decorator(never_cache, name="dispatch")
class JourneyView(ReportView):
    allowed = staticmethod(can_view_equality)
    template_name = "insights/journey.html"

    def report(self):
        form = JourneyForm(self.request.GET or None)
        characteristic, programme = form.choice()
        return form, reports.journey(characteristic=characteristic, programme=programme)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, report = self.report()
        transitions = []
        for i, label in enumerate(report.transitions):
            stage = i + 1
            transitions.append(
                {
                    "label": label,
                    "chart": charts.rate_bars(
                        [(str(r.label), r.rates[i]) for r in report.rows],
                        chart_id=f"journey-{stage}",
                        title=f"{label}, by {str(report.characteristic.label).lower()}",
                        reference=report.reference.rates[i],
                        x_label="Rate (%) from the previous stage",
                        y_label=str(report.characteristic.label).capitalize(),
                    ),
                    "rows": [
                        (r, r.counts[stage - 1], r.counts[stage], r.rates[i], r.gaps[i])
                        for r in [*report.rows, report.total]
                    ],
                    "previous": report.stages[stage - 1][1],
                    "stage": report.stages[stage][1],
                }
            )
        context.update(
            form=form,
            report=report,
            transitions=transitions,
            csv_query=self.request.GET.urlencode(),
        )
        return context

    def render_csv(self):
        _form, report = self.report()
        header = [
            "Group",
            "Reference group",
            *(str(label) for _key, label in report.stages),
            *(f"{t} (%)" for t in report.transitions),
            *(f"{t}: gap to reference (percentage points)" for t in report.transitions),
        ]
        rows = [
            [
                str(row.label),
                "yes" if row.is_reference else "",
                *(str(c) for c in row.counts),
                *(str(f) for f in row.rates),
                *(str(f) for f in row.gaps),
            ]
            for row in [*report.rows, report.total]
        ]
        scope = report.programme.slug if report.programme else "all-programmes"
        return csv_response(
            f"journey-{report.characteristic.field}-{scope}-{report.release.period:%Y-%m}.csv",
            header,
            rows,
        )


# Representation by career level ------------------------------------------------------------


class CharacteristicForm(forms.Form):
    characteristic = forms.ChoiceField(
        label=_("Characteristic"), choices=CHARACTERISTIC_CHOICES, initial="ethnicity"
    )

    def choice(self):
        if self.is_bound and self.is_valid():
            return self.cleaned_data["characteristic"]
        return "ethnicity"


LEVEL_SHORT = {
    CareerLevel.LEVEL_1: _("Level 1: entry"),
    CareerLevel.LEVEL_2: _("Level 2: advisory"),
    CareerLevel.LEVEL_3: _("Level 3: senior"),
    CareerLevel.LEVEL_4: _("Level 4: head and director"),
    None: _("Level not given"),
}


@method_decorator(never_cache, name="dispatch")
class RepresentationView(ReportView):
    allowed = staticmethod(can_view_equality)
    template_name = "insights/representation.html"

    def report(self):
        form = CharacteristicForm(self.request.GET or None)
        return form, reports.representation(characteristic=form.choice())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, report = self.report()
        sections = []
        for index, table in enumerate(report.tables):
            group_labels = [str(label) for _key, label in table.groups]
            rows = list(table.rows())
            bars = [
                (
                    str(LEVEL_SHORT[table.levels[i][0]]),
                    list(zip(group_labels, shares, strict=True)),
                    rate(total, total),
                )
                for i, (_label, _cells, total, shares) in enumerate(rows)
            ]
            sections.append(
                {
                    "table": table,
                    "levels": [str(LEVEL_SHORT[value]) for value, _label in table.levels],
                    # One row per group, one column per level: the table reads as the
                    # chart does, a level's shares adding up down its column.
                    "group_rows": [
                        (
                            label,
                            [(cells[j], shares[j]) for _label, cells, _total, shares in rows],
                            table.table.column_totals[j],
                            table.total_shares()[j],
                        )
                        for j, label in enumerate(group_labels)
                    ],
                    "level_totals": [total for _label, _cells, total, _shares in rows],
                    "chart": charts.stacked_shares(
                        bars,
                        chart_id=f"representation-{index}",
                        title=f"{table.title} by career level and "
                        f"{str(report.characteristic.label).lower()}",
                        groups=group_labels,
                    ),
                }
            )
        context.update(
            form=form,
            report=report,
            sections=sections,
            csv_query=self.request.GET.urlencode(),
        )
        return context

    def render_csv(self):
        _form, report = self.report()
        header = ["Population", "Career level", "Group", "Count", "Share of the level (%)"]
        rows = []
        for table in report.tables:
            for label, cells, total, shares in table.rows():
                for (_key, group), cell, share in zip(table.groups, cells, shares, strict=True):
                    rows.append([str(table.title), str(label), str(group), str(cell), str(share)])
                rows.append([str(table.title), str(label), "All", str(total), ""])
            for (_key, group), cell, share in zip(
                table.groups, table.table.column_totals, table.total_shares(), strict=True
            ):
                rows.append([str(table.title), "All levels", str(group), str(cell), str(share)])
            rows.append([str(table.title), "All levels", "All", str(table.table.grand_total), ""])
        return csv_response(
            f"representation-{report.characteristic.field}-{report.release.period:%Y-%m}.csv",
            header,
            rows,
        )


# Programme outcomes and event demand ----------------------------------------------------------


def _mean(value: float | None, places: int = 2) -> str:
    return "–" if value is None else f"{value:.{places}f}"


# The programme outcomes tables, as (caption, [(column, figure of a year)]): the page shows
# these and the CSV holds exactly these, in this order.
PROGRAMME_TABLES = [
    (
        _("Demand and completion"),
        [
            (_("Cohorts"), lambda r: r.cohorts),
            (_("Places"), lambda r: r.places),
            (_("Applications"), lambda r: r.applications),
            (_("Applications per place"), lambda r: _mean(r.applications_per_place, 1)),
            (_("Joined the waiting list"), lambda r: r.joined_waiting_list),
            (_("Still waiting"), lambda r: r.still_waiting),
            (_("Offered a place"), lambda r: r.offered),
            (_("Enrolled"), lambda r: r.enrolled),
            (_("Completed"), lambda r: r.completed),
            (_("Not completed"), lambda r: r.not_completed),
            (_("Withdrawn"), lambda r: r.withdrawn),
            (_("Completion rate (%)"), lambda r: str(r.completion_rate)),
        ],
    ),
    (
        _("Attendance and feedback"),
        [
            (_("Attendance recorded"), lambda r: r.sessions_recorded),
            (_("Present"), lambda r: r.present),
            (_("Absent"), lambda r: r.absent),
            (_("Apologies"), lambda r: r.apologies),
            (_("Attendance rate (%)"), lambda r: str(r.attendance_rate)),
            (_("No-show rate (%)"), lambda r: str(r.no_show_rate)),
            (_("Feedback responses"), lambda r: r.feedback_count),
            (_("Mean overall rating (1-5)"), lambda r: _mean(r.feedback_mean)),
        ],
    ),
]


@method_decorator(never_cache, name="dispatch")
class ProgrammeOutcomesView(ReportView):
    allowed = staticmethod(can_view_programme_insights)
    template_name = "insights/programmes.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = reports.programme_outcomes(user=self.request.user)
        programmes = []
        for programme_id in dict.fromkeys(r.programme_id for r in rows):
            years = [r for r in rows if r.programme_id == programme_id]
            title = years[0].programme
            programmes.append(
                {
                    "title": title,
                    "years": years,
                    "tables": [
                        {
                            "caption": caption,
                            "headers": [header for header, _figure in columns],
                            "rows": [
                                (r.year, [figure(r) for _h, figure in columns]) for r in years
                            ],
                        }  # fmt: skip
                        for caption, columns in PROGRAMME_TABLES
                    ],
                    "chart": charts.trend_line(
                        [(str(r.year), r.feedback_mean) for r in years],
                        chart_id=f"feedback-{programme_id}",
                        title=f"{title}: mean overall feedback rating (1 to 5) by cohort year",
                        maximum=5,
                        x_label="Cohort year",
                        y_label="Mean rating (1 to 5)",
                    ),
                    "completion_chart": charts.rate_bars(
                        [(str(r.year), r.completion_rate) for r in years],
                        chart_id=f"completion-{programme_id}",
                        title=f"{title}: completion rate by cohort year",
                        empty="no completion recorded yet",
                        x_label="Completed (%)",
                        y_label="Cohort year",
                    ),
                }
            )
        context["programmes"] = programmes
        return context

    def render_csv(self):
        columns = [column for _caption, table in PROGRAMME_TABLES for column in table]
        header = ["Programme", "Cohort year", *(str(h) for h, _figure in columns)]
        rows = [
            [r.programme, r.year, *(figure(r) for _h, figure in columns)]
            for r in reports.programme_outcomes(user=self.request.user)
        ]
        return csv_response("programme-outcomes.csv", header, rows)


@method_decorator(never_cache, name="dispatch")
class EventDemandView(ReportView):
    allowed = staticmethod(can_view_programme_insights)
    template_name = "insights/events.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        years = reports.event_demand(user=self.request.user)
        context["years"] = years
        context["no_show_chart"] = charts.rate_bars(
            [(str(y.year), y.no_show_rate) for y in years],
            chart_id="no-shows",
            title="No-show rate of attendance recorded, by year",
            empty="no attendance recorded",
            x_label="No-shows (%)",
            y_label="Year",
        )
        context["fill_chart"] = charts.rate_bars(
            [(str(y.year), Figure(min(y.fill_rate.value, 100.0)) if y.fill_rate.shown
              else y.fill_rate) for y in years],
            chart_id="fill",
            title="Places booked, by year",
            empty="no places",
            x_label="Places booked (%)",
            y_label="Year",
        )  # fmt: skip
        return context

    def render_csv(self):
        header = [
            "Year", "Events", "Places", "Booked", "Places booked (%)", "Attended", "No-shows",
            "No-show rate (%)", "Joined a waiting list", "Still waiting at the start",
            "Events that filled",
        ]  # fmt: skip
        rows = [
            [
                y.year,
                y.events,
                y.places,
                y.booked,
                str(y.fill_rate),
                y.attended,
                y.no_shows,
                str(y.no_show_rate),
                y.joined_waiting_list,
                y.still_waiting_at_start,
                y.full_events,
            ]  # fmt: skip
            for y in reports.event_demand(user=self.request.user)
        ]
        return csv_response("event-demand.csv", header, rows)


# Compact health ---------------------------------------------------------------------------------


class CompactYearForm(forms.Form):
    """The year the compact health page reports on (default: the current one)."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in years]

    def chosen(self) -> int | None:
        if self.is_bound and self.is_valid():
            return self.cleaned_data["year"] or None
        return None


@method_decorator(never_cache, name="dispatch")
class CompactHealthView(ReportView):
    """Each compact's health for the compacts the reader may see. The report depends only
    on the data, the URL (the year) and those compacts, so it is kept per data version
    (``page_cache.kept_fragment``) under their ids: a committed change shows on the next
    request, and a reader who sees other compacts never gets another's report
    (issue 16)."""

    allowed = staticmethod(can_view_compact_insights)
    template_name = "insights/compacts.html"

    def year(self):
        form = CompactYearForm(
            self.request.GET or None, years=reports.compact_health_years(user=self.request.user)
        )
        return form, form.chosen() or reports.today().year

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        compacts = reports.compact_ids_for_insights(self.request.user)
        context["report"] = kept_fragment(
            "insights-compacts",
            self.request,
            vary_on=(",".join(map(str, compacts)),),
            render=lambda: render_to_string(
                "insights/_compacts_report.html", self.report_context(), self.request
            ),
        )
        return context

    def report_context(self) -> dict:
        form, year = self.year()
        context = {"form": form, "year": year, "csv_query": self.request.GET.urlencode()}
        statuses = reports.status_labels()
        compacts = []
        for health in reports.compact_health(user=self.request.user, year=year):
            status_rows = [
                (label, health.status_counts[value],
                 percent(health.status_counts[value], health.actions))
                for value, label in statuses
            ]  # fmt: skip
            compacts.append(
                {
                    "health": health,
                    "status_rows": status_rows,
                    "flag_rows": [(label, health.flag_counts[key]) for key, label in reports.FLAGS],
                    "chart": charts.rate_bars(
                        [(str(label), share) for label, _n, share in status_rows],
                        chart_id=f"status-{health.compact.pk}",
                        title=f"{health.compact.name}: actions by status",
                        empty="no actions",
                        x_label="Share of actions (%)",
                        y_label="Status",
                    ),
                    "rule_share": percent(health.meeting_rule, health.organisations),
                }
            )
        context["compacts"] = compacts
        return context

    def render_csv(self):
        statuses = reports.status_labels()
        header = [
            "Compact", "Actions", *(f"Status: {label}" for _value, label in statuses),
            "Flagged actions", *(f"Flag: {label}" for _key, label in reports.FLAGS),
            "Attendance year", "Meetings held", "Member organisations",
            "Organisations meeting the attendance rule",
        ]  # fmt: skip
        rows = [
            [
                h.compact.name,
                h.actions,
                *(h.status_counts[value] for value, _label in statuses),
                h.flagged,
                *(h.flag_counts[key] for key, _label in reports.FLAGS),
                h.year,
                h.meetings_held,
                h.organisations,
                h.meeting_rule,
            ]  # fmt: skip
            for h in reports.compact_health(user=self.request.user, year=self.year()[1])
        ]
        return csv_response("compact-health.csv", header, rows)
