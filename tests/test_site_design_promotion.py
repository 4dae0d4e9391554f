"""网站推广: links to the official 微博, 微信公众号 and App, and a version in another language."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditkit.testing import check_once, plugin_settings
from auditkit_plugins.site_design.promotion import promotion

from .test_columns import page, snapshot_of

SETTINGS = plugin_settings("auditkit_plugins.site_design")


def test_channels_found_by_text_alt_and_address(tmp_path: Path) -> None:
    body = ('<a href="https://weibo.com/qsfb">官方微博</a>'
            '<a href="/xmt/wx.html"><img src="/wx.png" alt="青山发布微信公众号"></a><a href="/en/">English</a>'
            '<p><a href="/xwzx/1.html">县融媒体中心微博微信矩阵建设经验在全省推广交流会召开</a></p>')
    result = check_once(promotion, snapshot_of(tmp_path, {"/": page("首页", body)}), SETTINGS)
    channels = result.details["入口"]
    assert channels["官方微博"] == ["https://weibo.com/qsfb"] and channels["多语言版本"] == ["http://www.qs.gov.cn/en/"]
    # a QR image counts by its alt text; the long news title mentioning 微博微信 is no channel
    assert channels["微信公众号"] == ["http://www.qs.gov.cn/wx.png"] and channels["移动客户端（App）"] == []
    weights = SETTINGS["promotion_weights"]
    assert result.score == pytest.approx(weights["media"] * 2 / 3 + weights["language"])
    assert [f.message for f in result.findings] == ["网站未提供移动客户端（App）入口"]


def test_nothing_promoted(tmp_path: Path) -> None:
    result = check_once(promotion, snapshot_of(tmp_path, {"/": page("首页", "<p>欢迎</p>")}), SETTINGS)
    assert result.score == 0.0 and len(result.findings) == 4
    assert {f.severity for f in result.findings} == {"moderate"}
