"""The example plugin's own tests, written with auditkit's testing kit (no browser)."""

from __future__ import annotations

from datetime import date

from auditkit_plugin_example.linkage import new_media_linkage

from auditkit.testing import plugin_settings

AS_OF = date(2021, 10, 15)
SETTINGS = plugin_settings("auditkit_plugin_example")


def test_all_channels_found(auditkit_snapshot, auditkit_check) -> None:
    snapshot = auditkit_snapshot({"http://127.0.0.1/": (
        '<html><body><a href="https://weibo.com/qingshan">官方微博</a>'
        '<a href="https://mp.weixin.qq.com/s/abc"><img src="/qr.png" alt="微信公众号"></a>'
        '<a href="/app.html">青山 APP</a></body></html>')}, AS_OF)
    result = auditkit_check(new_media_linkage, snapshot, SETTINGS)
    assert result.score == 1.0 and set(result.details["found"]) == {"weibo", "wechat", "app"}


def test_missing_channels_are_findings(auditkit_snapshot, auditkit_check) -> None:
    snapshot = auditkit_snapshot({"http://127.0.0.1/": '<html><body><a href="/x">新闻</a></body></html>'}, AS_OF)
    result = auditkit_check(new_media_linkage, snapshot, SETTINGS)
    assert result.score == 0 and len(result.findings) == 4
