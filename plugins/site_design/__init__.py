"""功能设计推广 (development zones) — 设计规范 and 网站推广 — and the footer identity
evidence every profile shows (党政机关网站标识, 网站标识码, 主办单位, ICP, 公安备案, 网站地图).
"""

from __future__ import annotations

from typing import Any

from auditkit import Check, hookimpl
from auditkit.settings import package_defaults
from auditkit_plugins.site_design.footer import footer_identity
from auditkit_plugins.site_design.promotion import promotion

AUDITKIT_API = "1"


@hookimpl
def auditkit_default_settings() -> dict[str, dict[str, Any]]:
    return package_defaults(__name__)


@hookimpl
def auditkit_checks() -> list[Check]:
    return [footer_identity, promotion]
