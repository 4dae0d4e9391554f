"""数据开放: the platform's catalogue, datasets, formats, domains and the 数据申请 function."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditkit.models import CheckStatus
from auditkit.testing import check_once, plugin_settings
from auditkit_plugins.open_data.checks import platform, quality, use

from .test_columns import page, snapshot_of

SETTINGS = plugin_settings("auditkit_plugins.open_data")

CATALOGUE = (
    "<table><tr><th>序号</th><th>数据集名称</th><th>所属领域</th><th>格式</th><th>更新频率</th><th>下载</th></tr>"
    '<tr><td>1</td><td>医疗机构名录</td><td>医疗卫生</td><td>CSV、XLSX</td><td>每季度</td>'
    '<td><a href="/d/1.csv">下载</a></td></tr>'
    '<tr><td>2</td><td>公交线路</td><td>交通运输</td><td>JSON</td><td></td><td><a href="/d/2.json">下载</a></td></tr>'
    '<tr><td>3</td><td>企业信用</td><td>信用服务</td><td>API 接口</td><td>实时</td>'
    '<td><a href="/d/3">调用</a></td></tr>'
    "</table><p>字段说明见各数据集详情。</p>")


def site(tmp_path: Path, platform_href: str = "/sjkf/") -> object:
    pages = {"/": page("首页", f'<ul class="e"><li><a href="{platform_href}">数据开放</a></li></ul>'),
             "/sjkf/": page("数据开放", '<p>如需数据，请在线提交<a href="/sjkf/sq/">数据申请</a>。</p>'
                                      '<ul class="m"><li><a href="/sjkf/ml/">开放目录</a></li></ul>', "数据开放"),
             "/sjkf/ml/": page("开放目录", CATALOGUE, "数据开放 &gt; 开放目录")}
    return snapshot_of(tmp_path, pages)


def test_catalogue_datasets_and_domains(tmp_path: Path) -> None:
    result = check_once(platform, site(tmp_path), SETTINGS)
    assert result.status == CheckStatus.SCORED, result.reason
    datasets = {d["名称"]: d for d in result.details["数据集"]}
    assert set(datasets) == {"医疗机构名录", "公交线路", "企业信用"}
    assert datasets["医疗机构名录"]["格式"] == ["CSV", "XLSX"] and datasets["企业信用"]["格式"] == ["API"]
    assert result.details["覆盖领域"] == ["交通运输", "信用服务", "医疗卫生"]
    weights = SETTINGS["platform_weights"]
    assert result.score == pytest.approx(weights["platform"] + weights["catalogue"] + weights["datasets"] * 3 / 20
                                         + weights["domains"] * 3 / 22, abs=1e-3)


def test_quality_and_use(tmp_path: Path) -> None:
    snap = site(tmp_path)
    judged = check_once(quality, snap, SETTINGS)
    assert judged.details["格式"] == ["API", "CSV", "JSON", "XLSX"] and judged.details["注明更新频率"] == 2
    weights = SETTINGS["quality_weights"]
    assert judged.score == pytest.approx(weights["formats"] + weights["frequency"] * 2 / 3 + weights["description"])
    used = check_once(use, snap, SETTINGS)
    assert used.details["数据申请"] == ["数据申请"] and used.score == pytest.approx(SETTINGS["use_weights"]["apply"])


def test_platform_on_another_host_needs_a_person(tmp_path: Path) -> None:
    snap = site(tmp_path, "http://data.qs.gov.cn/")
    for check in (platform, quality, use):
        result = check_once(check, snap, SETTINGS)
        assert result.status == CheckStatus.NEEDS_MANUAL_REVIEW and "不在本次抓取范围内" in result.reason
        assert result.findings[0].url == "http://data.qs.gov.cn/"


def test_no_platform(tmp_path: Path) -> None:
    result = check_once(platform, snapshot_of(tmp_path, {"/": page("首页", "<p>欢迎</p>")}), SETTINGS)
    assert result.score == 0.0 and result.findings[0].severity == "serious"
