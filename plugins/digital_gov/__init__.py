"""数字政府服务能力 (the digital-government capability evaluation of provinces and key cities).

Rows of profile ``digital_gov`` that the web channels evidence and no website indicator plugin
already judges: entries found as a visitor finds them (``finders.py`` over ``data/finders.yaml``
— 统一身份认证, 移动政务服务, 数字化战疫, the public-service platforms, 市场监管, 生态环境 …),
published results (``published.py``: 好差评效果, 答复效果评价) and 数据同源 across the portal's
versions (``same_source.py``). The profile reuses the website plugins' checks for search,
services, interaction, open data and privacy. Thresholds: ``settings.toml``.
"""

from __future__ import annotations

from typing import Any

from auditkit import Check, hookimpl
from auditkit.settings import package_defaults
from auditkit_plugins.digital_gov.finders import finder_checks
from auditkit_plugins.digital_gov.published import rating_results, reply_results
from auditkit_plugins.digital_gov.same_source import same_source

AUDITKIT_API = "1"


@hookimpl
def auditkit_default_settings() -> dict[str, dict[str, Any]]:
    return package_defaults(__name__)


@hookimpl
def auditkit_checks() -> list[Check]:
    return [*finder_checks(), rating_results, reply_results, same_source]
