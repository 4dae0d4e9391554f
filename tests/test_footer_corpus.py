"""Footer identity on real government home pages (../shared/corpus, never committed)."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from auditkit.models import Link, PageRecord
from auditkit_plugins.site_design.footer import inspect_footer

from .conftest import CORPUS

SETTINGS = tomllib.loads(
    (Path(__file__).parents[1] / "plugins" / "site_design" / "settings.toml").read_text(encoding="utf-8")
)["site_design"]


def saved_page(name: str) -> PageRecord:
    html = (CORPUS / "homepages" / name).read_text(encoding="utf-8")
    tree = LexborHTMLParser(html)
    links = [Link(url=a.attributes.get("href") or "", text=a.text(strip=True)) for a in tree.css("a[href]")]
    return PageRecord(url=f"https://{name.removesuffix('.html')}/", status=200, fetched_at=datetime.now(UTC),
                      html=html, text=tree.body.text(separator="\n") if tree.body else "", links=links)


@pytest.mark.corpus
@pytest.mark.parametrize("name, expected", [
    ("changsha.gov.cn.html", {"site_code": "4301000052", "icp_filing": "湘ICP备10009181号-1",
                              "psb_filing": "湘公网安备 43010402000432号", "sponsor": "主办单位：长沙市人民政府"}),
    ("yn.gov.cn.html", {"site_code": "5300000033", "icp_filing": "滇ICP备05000002", "sitemap": "网站地图"}),
    ("bjft.gov.cn.html", {"icp_filing": "京ICP备05083647号-1", "psb_filing": "京公网安备11010602060030号",
                          "gov_site_mark": "conac.cn"}),
    ("wehdz.gov.cn.html", {"icp_filing": "鄂ICP备16021917号-1", "psb_filing": "鄂公网安备 42018502000744号"}),
])
def test_footer_elements_on_real_pages(name: str, expected: dict[str, str]) -> None:
    found, malformed, _ = inspect_footer(saved_page(name), SETTINGS)
    assert {key: found[key] for key in expected} == expected
    assert not malformed
    assert found["gov_domain"] == name.removesuffix(".html")


@pytest.mark.corpus
def test_splash_page_has_no_footer_elements() -> None:
    found, _, _ = inspect_footer(saved_page("ningbo.gov.cn.html"), SETTINGS)
    assert not found["site_code"] and not found["icp_filing"]
