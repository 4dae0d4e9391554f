"""办事服务 / 网上政务服务 (online services).

Rows: 办事服务/服务覆盖度, 网办深度, 服务准确度, 服务集成度 (government sites) and
网上政务服务/服务一体化, 服务准确度, 企业开办, 经营纳税, 项目投资, 就业创业, 公共服务
(development zones). Veto item 服务不实用 (``services.guide_elements``).
Thresholds: ``settings.toml``; label and word tables: ``data/``.
"""

from __future__ import annotations

from typing import Any

from auditkit import Check, hookimpl
from auditkit.settings import package_defaults
from auditkit_plugins.services.accuracy import downloads, guide_elements
from auditkit_plugins.services.depth import online_depth
from auditkit_plugins.services.integration import THEME_CHECKS, integration, platform_integration
from auditkit_plugins.services.lists import convenience_queries, local_lists, ministry_catalogue, zone_catalogue
from auditkit_plugins.services.rating import rating_channel

AUDITKIT_API = "1"


@hookimpl
def auditkit_default_settings() -> dict[str, dict[str, Any]]:
    return package_defaults(__name__)


@hookimpl
def auditkit_checks() -> list[Check]:
    return [guide_elements, downloads, online_depth, local_lists, ministry_catalogue, zone_catalogue,
            convenience_queries, integration, platform_integration, rating_channel, *THEME_CHECKS]
