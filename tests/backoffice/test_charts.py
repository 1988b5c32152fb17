"""The server-drawn SVG bar charts: an image named by its title, one titled bar per value,
heights to scale, every text escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from decimal import Decimal

import pytest

from espacefamille.backoffice.charts import HEIGHT, Series, bar_chart, horizontal_bar_chart
from espacefamille.core.money import format_euros

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)  # noqa: S314 — our own output, under test


def _texts(root: ElementTree.Element, css_class: str) -> list[str | None]:
    return [text.text for text in root.findall(f"{SVG}text") if text.get("class") == css_class]


def test_an_image_named_by_its_title() -> None:
    root = _parse(
        bar_chart(chart_id="c", title="Réservations", labels=["a"], series=[Series("n", [1])])
    )
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c-title"
    title = root.find(f"{SVG}title")
    assert title is not None and title.get("id") == "c-title" and title.text == "Réservations"


def test_one_titled_bar_per_value_to_scale() -> None:
    root = _parse(
        bar_chart(
            chart_id="c",
            title="Occupation",
            labels=["REPAS", "MERCREDI"],
            series=[Series("Occupation", [50, 100])],
            format_value=lambda value: f"{value} %",
            maximum=100,
        )
    )
    bars = root.findall(f"{SVG}rect")
    assert [bar.findtext(f"{SVG}title") for bar in bars] == ["REPAS : 50 %", "MERCREDI : 100 %"]
    half, full = (float(bar.get("height", "0")) for bar in bars)
    assert full == pytest.approx(2 * half) and 0 < full < HEIGHT


def test_two_series_are_grouped_with_a_legend() -> None:
    root = _parse(
        bar_chart(
            chart_id="c",
            title="Facturé et encaissé",
            labels=["novembre 2026"],
            series=[
                Series("Facturé", [Decimal("17.50")]),
                Series("Encaissé", [Decimal("0")], "chart-bar-alt"),
            ],
            format_value=format_euros,
        )
    )
    titles = [bar.findtext(f"{SVG}title") for bar in root.findall(f"{SVG}rect")]
    assert "novembre 2026 — Facturé : 17,50\u00a0€" in titles
    assert "novembre 2026 — Encaissé : 0,00\u00a0€" in titles
    assert _texts(root, "chart-legend") == ["Facturé", "Encaissé"]


def test_texts_are_escaped() -> None:
    svg = bar_chart(chart_id="c", title="<script>", labels=["A & B"], series=[Series("n", [3])])
    assert "<script>" not in svg
    assert _parse(svg).find(f"{SVG}rect/{SVG}title").text == "A & B : 3"  # type: ignore[union-attr]


def test_empty_and_zero_values_draw_no_bar_height() -> None:
    root = _parse(bar_chart(chart_id="c", title="t", labels=["x"], series=[Series("n", [0])]))
    assert root.find(f"{SVG}rect").get("height") == "0.0"  # type: ignore[union-attr]


def test_labels_every_so_many() -> None:
    root = _parse(
        bar_chart(
            chart_id="c",
            title="t",
            labels=[str(day) for day in range(14)],
            series=[Series("n", [1] * 14)],
            label_every=7,
        )
    )
    assert _texts(root, "chart-label") == ["0", "7"]


def test_a_series_must_match_the_labels() -> None:
    with pytest.raises(ValueError):
        bar_chart(chart_id="c", title="t", labels=["a", "b"], series=[Series("n", [1])])


def test_horizontal_bars_name_their_rows_and_show_their_values() -> None:
    root = _parse(
        horizontal_bar_chart(
            chart_id="h",
            title="Occupation",
            labels=["REPAS", "MERCREDI JOURNEE"],
            series=[Series("Occupation", [25, 100])],
            format_value=lambda value: f"{value} %",
            maximum=100,
        )
    )
    assert root.get("role") == "img" and root.get("aria-labelledby") == "h-title"
    bars = root.findall(f"{SVG}rect")
    assert [bar.findtext(f"{SVG}title") for bar in bars] == [
        "REPAS : 25 %",
        "MERCREDI JOURNEE : 100 %",
    ]
    quarter, full = (float(bar.get("width", "0")) for bar in bars)
    assert full == pytest.approx(4 * quarter)
    assert _texts(root, "chart-label") == ["REPAS", "MERCREDI JOURNEE"]
    assert _texts(root, "chart-scale") == ["25 %", "100 %"]


def test_horizontal_chart_grows_with_its_rows() -> None:
    def height(rows: int) -> float:
        svg = horizontal_bar_chart(
            chart_id="h", title="t", labels=["x"] * rows, series=[Series("n", [1] * rows)]
        )
        return float(_parse(svg).get("viewBox", "").split()[3])

    assert height(8) > height(2)
