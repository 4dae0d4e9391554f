"""运维保障 (operations): availability, links, freshness, serious errors, security, privacy.

Rows: 运维保障/日常运维, 安全防护, 隐私保护 (government sites) and 功能设计推广/运维保障
(development zones). Thresholds: ``settings.toml`` beside this file.
"""

from __future__ import annotations

from typing import Any

from auditkit import Check, hookimpl
from auditkit.settings import package_defaults
from auditkit_plugins.ops.availability import availability
from auditkit_plugins.ops.freshness import column_freshness, home_freshness
from auditkit_plugins.ops.links import broken_links
from auditkit_plugins.ops.privacy import privacy
from auditkit_plugins.ops.security import security
from auditkit_plugins.ops.serious_errors import serious_errors

AUDITKIT_API = "1"


@hookimpl
def auditkit_default_settings() -> dict[str, dict[str, Any]]:
    return package_defaults(__name__)


@hookimpl
def auditkit_checks() -> list[Check]:
    return [availability, broken_links, column_freshness, home_freshness, serious_errors, security, privacy]
