"""Charts are PNGs drawn with a font that has Chinese glyphs: 汉字, not boxes."""

from __future__ import annotations

import io
import warnings
from decimal import Decimal

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from handlers.charts import (
    FALLBACK_FAMILY,
    Bar,
    aging_chart,
    cjk_font_path,
    font_families,
    forecast_chart,
    pipeline_chart,
)
from handlers.i18n import Translator
from handlers.report_text import compact

ZH = Translator("zh_Hans_CN")


def _missing_glyphs(draw: object) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert callable(draw)
        draw()
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def _charts() -> dict[str, bytes]:
    fmt = compact(ZH, "CNY")
    return {
        "pipeline": pipeline_chart(
            "销售漏斗（东区团队，CNY）",
            [Bar("资格确认", Decimal(300000), Decimal(30000)),
             Bar("方案报价", Decimal(200000), Decimal(100000)),
             Bar("商务谈判", Decimal("33333.33"), Decimal("24999.9975"))],
            "金额", "加权金额", fmt),
        "aging": aging_chart("应收账龄（全部，CNY）", [
            Bar("未到期", Decimal(100000)), Bar("1–30天", Decimal(0)),
            Bar("31–60天", Decimal(5000)), Bar("61–90天", Decimal(0)),
            Bar("90天以上", Decimal(15000))], fmt),
        "forecast": forecast_chart("业绩预测与目标（全部，CNY）", [
            ("2026-11", Decimal(200000), Decimal(50000), Decimal(300000)),
            ("2026-12", Decimal(0), Decimal(4000), Decimal(500000)),
            ("2027-01", Decimal(0), Decimal(0), None)], "已赢单", "加权", "目标", fmt),
    }


def test_the_cjk_font_ships_with_the_installed_packages() -> None:
    path = cjk_font_path()
    assert path.suffix == ".otf" and path.stat().st_size > 1_000_000
    assert font_families() == ("Noto Sans CJK SC", FALLBACK_FAMILY)


def test_chinese_labelled_charts_render_without_missing_glyphs() -> None:
    rendered: dict[str, bytes] = {}
    assert _missing_glyphs(lambda: rendered.update(_charts())) == []
    for name, png in rendered.items():
        image = Image.open(io.BytesIO(png))
        assert image.format == "PNG", name
        assert image.width >= 600 and image.height >= 300, name


def test_the_glyph_check_would_notice_boxes() -> None:
    """The same Chinese text set in the default font does warn: the check above can fail."""

    def default_font() -> None:
        figure = Figure()
        FigureCanvasAgg(figure)
        figure.add_subplot().set_title("销售漏斗")
        figure.savefig(io.BytesIO(), format="png")

    assert _missing_glyphs(default_font)


@pytest.mark.parametrize("amount, shown", [
    (Decimal(125000), "¥12.5万"), (Decimal(3000), "¥3000"), (Decimal(0), "¥0")])
def test_chart_amounts_are_short(amount: Decimal, shown: str) -> None:
    assert compact(ZH, "CNY")(amount) == shown
    assert compact(Translator("en"), "CNY")(Decimal(1250000)) == "CN¥1.2M"
