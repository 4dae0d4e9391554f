"""数据开放 (open data).

Rows: 数据开放/开放平台 (province, city), 开放目录 (ministry), 数据质量, 开发利用. The platform
is found by the core's column map (topic ``open_data``); when it lives on another host the crawl
did not cover, the rows need a person. Thresholds: ``settings.toml``.
"""

from __future__ import annotations

from typing import Any

from auditkit import Check, hookimpl
from auditkit.settings import package_defaults
from auditkit_plugins.open_data.checks import platform, quality, use

AUDITKIT_API = "1"


@hookimpl
def auditkit_default_settings() -> dict[str, dict[str, Any]]:
    return package_defaults(__name__)


@hookimpl
def auditkit_checks() -> list[Check]:
    return [platform, quality, use]
