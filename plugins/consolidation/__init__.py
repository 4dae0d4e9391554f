"""集约共享 (consolidation).

Rows: 集约共享/平台功能 and 资源调用共享互认 — what a crawler can see of a consolidated platform.
集约共享/标准规范 (the standards and management rules a region wrote) stays a manual row.
Thresholds: ``settings.toml``.
"""

from __future__ import annotations

from typing import Any

from auditkit import Check, hookimpl
from auditkit.settings import package_defaults
from auditkit_plugins.consolidation.functions import platform_functions, shared_sources

AUDITKIT_API = "1"


@hookimpl
def auditkit_default_settings() -> dict[str, dict[str, Any]]:
    return package_defaults(__name__)


@hookimpl
def auditkit_checks() -> list[Check]:
    return [platform_functions, shared_sources]
