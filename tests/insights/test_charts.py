"""The SVG charts: accessible names, suppressed figures never drawn, text escaped."""

from xml.etree import ElementTree

from insights import charts
from insights.disclosure import Figure

SVG = "{http://www.w3.org/2000/svg}"


def parse(chart: str):
    """The chart's SVG, inside the figure that shows its title."""
    return ElementTree.fromstring(str(chart)).find(f".//{SVG}svg")


def test_every_chart_shows_its_title_and_axis_labels():
    made = [
        charts.rate_bars([("2025", Figure(60.0))], chart_id="r", title="Booked & more",
                         x_label="Places booked (%)", y_label="Year"),
        charts.stacked_shares([("Level 1", [("A", Figure(100.0))], Figure(100.0))],
                              chart_id="s", title="Shares", groups=["A", "P", "N"]),
        charts.trend_line([("2025", 4.0)], chart_id="t", title="Rating", maximum=5,
                          x_label="Cohort year", y_label="Mean rating (1 to 5)"),
    ]  # fmt: skip
    for chart, title in zip(made, ["Booked & more", "Shares", "Rating"], strict=True):
        figure = ElementTree.fromstring(str(chart))
        assert figure.tag == "figure"
        assert figure.find("figcaption").text == title  # visible, not only the SVG's <title>
        region = figure.find("div")
        assert region.get("tabindex") == "0" and region.get("role") == "region"
        axes = [t.text for t in figure.iter(f"{SVG}text") if t.get("class") == "th-chart__axis"]
        assert len(axes) == 2, axes
        sizes = [int(t.get("font-size")) for t in figure.iter(f"{SVG}text")]
        assert min(sizes) >= 12
    assert "Places booked (%)" in str(made[0]) and "Mean rating (1 to 5)" in str(made[2])


def test_rate_bars_are_an_image_with_a_title_and_description():
    svg = parse(
        charts.rate_bars(
            [("White", Figure(60.0)), ("Asian <script>", Figure(40.0))],
            chart_id="c1",
            title="Offered a place",
            reference=Figure(60.0),
        )
    )
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "c1-title c1-desc"
    assert svg.find(f"{SVG}title").text == "Offered a place"
    assert "60.0%" in svg.find(f"{SVG}desc").text
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "Asian <script>" in texts  # escaped in the markup, so it parses as text
    bars = [r for r in svg.iter(f"{SVG}rect") if r.get("fill") == charts.BAR]
    assert [float(r.get("width")) for r in bars] == [180.0, 120.0]
    assert svg.find(f"{SVG}line").get("stroke-dasharray")  # the reference line


def test_a_suppressed_rate_is_said_in_words_and_not_drawn():
    svg = parse(
        charts.rate_bars(
            [("Black", Figure(None, suppressed=True)), ("Mixed", Figure(None))],
            chart_id="c2",
            title="t",
            empty="nobody offered",
        )
    )
    texts = " ".join(t.text for t in svg.iter(f"{SVG}text"))
    assert "[c] hidden (small numbers)" in texts and "nobody offered" in texts
    assert not [r for r in svg.iter(f"{SVG}rect") if r.get("fill") == charts.BAR]


def test_stacked_shares_draw_hidden_shares_as_one_grey_segment():
    groups = ["White", "Asian", "Prefer not to say", "No monitoring information"]
    shares = [Figure(70.0), Figure(None, suppressed=True), Figure(None, suppressed=True),
              Figure(20.0)]  # fmt: skip
    svg = parse(
        charts.stacked_shares(
            [("Level 4", list(zip(groups, shares, strict=True)), Figure(100.0))],
            chart_id="c3",
            title="t",
            groups=groups,
        )
    )
    hidden = [r for r in svg.iter(f"{SVG}rect") if r.get("fill") == charts.HIDDEN]
    # One segment in the bar (10% of 420 px) and one legend swatch.
    assert sorted(float(r.get("width")) for r in hidden) == [12.0, 42.0]


def test_trend_line_breaks_where_a_value_is_missing():
    svg = parse(
        charts.trend_line(
            [("2021", 4.0), ("2022", None), ("2023", 4.5), ("2024", 4.2)],
            chart_id="c4",
            title="Feedback",
            maximum=5,
        )
    )
    assert len(list(svg.iter(f"{SVG}circle"))) == 3
    assert len(list(svg.iter(f"{SVG}polyline"))) == 1  # 2021 stands alone
