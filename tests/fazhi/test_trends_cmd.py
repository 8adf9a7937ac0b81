"""`fazhi trends`: the table a user reads and the chart file they open, on known multi-year figures."""
from __future__ import annotations

import re
from pathlib import Path

from tests.helpers import MULTI_YEAR_TOWNS, current_multi_year

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _cells(stdout: str, first: str) -> list[str]:
    """The cells of the table row whose first cells include `first`."""
    line = next(l for l in stdout.splitlines() if f" {first} " in l)
    return [c.strip() for c in re.split(r"[│┃]", line) if c.strip()]


def test_county_trend_table_and_png(fazhi_cli, multi_year_warehouse: Path, tmp_path: Path):
    out = tmp_path / "charts" / "disputes.png"
    proc = fazhi_cli("trends", "disputes_mediated", "--db", str(multi_year_warehouse), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "人民调解纠纷件数" in proc.stdout
    current = current_multi_year()
    for year in range(2020, 2025):
        values = [f["disputes_mediated"] for (t, y), f in current.items() if y == year]
        cells = _cells(proc.stdout, str(year))
        assert cells[2:4] == [f"{sum(values):g}", str(len(values))], year     # 合计, 填报乡镇数
    assert out.read_bytes().startswith(PNG_MAGIC) and out.stat().st_size > 5000
    assert str(out) in proc.stdout.replace("\n", "")


def test_by_township_from_year_svg_with_change(fazhi_cli, multi_year_warehouse: Path, tmp_path: Path):
    out = tmp_path / "by_town.svg"
    proc = fazhi_cli("trends", "disputes_mediated", "--by", "township", "--from", "2022",
                     "--db", str(multi_year_warehouse), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    header = _cells(proc.stdout, "乡镇")
    assert header[2:] == ["2022", "2023", "2024", "较上年"]
    # 青山镇 2022..2024: 14, 16, then the corrected 25 (+9, +56.3%)
    assert _cells(proc.stdout, "青山镇")[2:] == ["14", "16", "25", "+9 (+56.3%)"]
    assert _cells(proc.stdout, "红石镇")[2] == "—"                         # no 2022 report
    svg = out.read_text(encoding="utf-8")
    assert svg.startswith("<svg") and all(t in svg for t in MULTI_YEAR_TOWNS)   # legend names every township
    assert ">2021<" not in svg


def test_default_chart_goes_to_the_configured_charts_folder(fazhi_cli, multi_year_warehouse: Path, tmp_path: Path,
                                                            write_config):
    config = write_config('[paths]\ncharts = "my_charts"\n')
    proc = fazhi_cli("trends", "publicity_events", "--config", str(config), "--db", str(multi_year_warehouse))
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "my_charts" / "trend_publicity_events.png").read_bytes().startswith(PNG_MAGIC)


def test_unknown_metric_names_the_known_ones(fazhi_cli, multi_year_warehouse: Path):
    proc = fazhi_cli("trends", "disputes", "--db", str(multi_year_warehouse))
    assert proc.returncode == 1
    assert "no metric 'disputes'" in proc.stderr and "disputes_mediated" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_bad_chart_suffix_and_bad_grouping_are_refused(fazhi_cli, multi_year_warehouse: Path, tmp_path: Path):
    proc = fazhi_cli("trends", "disputes_mediated", "--db", str(multi_year_warehouse), "--out", str(tmp_path / "c.jpg"))
    assert proc.returncode == 1 and ".png or .svg" in proc.stderr
    proc = fazhi_cli("trends", "disputes_mediated", "--by", "county", "--db", str(multi_year_warehouse))
    assert proc.returncode == 2 and "--by township" in proc.stderr


def test_no_figures_after_from_year(fazhi_cli, multi_year_warehouse: Path):
    proc = fazhi_cli("trends", "disputes_mediated", "--from", "2030", "--db", str(multi_year_warehouse))
    assert proc.returncode == 1 and "nothing to draw" in proc.stderr


def test_missing_warehouse_says_what_to_do(fazhi_cli, tmp_path: Path):
    proc = fazhi_cli("trends", "disputes_mediated", "--db", str(tmp_path / "none.duckdb"))
    assert proc.returncode == 1 and "fazhi run" in proc.stderr


def test_a_metric_is_accepted_by_its_chinese_label(fazhi_cli, multi_year_warehouse: Path, tmp_path: Path):
    by_label = fazhi_cli("trends", "人民调解纠纷件数", "--db", str(multi_year_warehouse), "--out", str(tmp_path / "a.svg"))
    by_key = fazhi_cli("trends", "disputes_mediated", "--db", str(multi_year_warehouse), "--out", str(tmp_path / "b.svg"))
    assert by_label.returncode == 0, by_label.stderr
    assert by_label.stdout.replace("a.svg", "b.svg") == by_key.stdout


def test_png_without_a_chinese_font_warns_and_writes_svg(fazhi_cli, multi_year_warehouse: Path, tmp_path: Path):
    """fontconfig pointed at an empty font folder: a machine with no Chinese font installed."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?><fontconfig><dir>{tmp_path / "nofonts"}</dir>'
                    f'<cachedir>{tmp_path / "fc-cache"}</cachedir></fontconfig>', encoding="utf-8")
    out = tmp_path / "disputes.png"
    proc = fazhi_cli("trends", "disputes_mediated", "--db", str(multi_year_warehouse), "--out", str(out),
                     env={"FONTCONFIG_FILE": str(conf)})
    assert proc.returncode == 0, proc.stderr
    assert "no font with Chinese glyphs" in proc.stdout and "fonts-wqy-microhei" in proc.stdout
    assert not out.exists() and out.with_suffix(".svg").read_text(encoding="utf-8").startswith("<svg")
