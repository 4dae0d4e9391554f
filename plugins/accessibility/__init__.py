"""功能设计: 适老化及无障碍改造 (elderly-friendly design and accessibility), checked in the browser.

Rows: 功能设计/适老化及无障碍改造 (government sites); evidence for 功能设计推广/设计规范
(development zones). Rules: 工信部《互联网网站适老化通用设计规范》 and GB/T 37668-2019;
thresholds and word lists: ``settings.toml``.
"""

from __future__ import annotations

from typing import Any

from auditkit import Check, hookimpl
from auditkit.settings import package_defaults
from auditkit_plugins.accessibility.axe import axe
from auditkit_plugins.accessibility.elder import elder_mode
from auditkit_plugins.accessibility.keyboard import keyboard
from auditkit_plugins.accessibility.toolbar import toolbar

AUDITKIT_API = "1"


@hookimpl
def auditkit_default_settings() -> dict[str, dict[str, Any]]:
    return package_defaults(__name__)


@hookimpl
def auditkit_checks() -> list[Check]:
    return [axe, elder_mode, keyboard, toolbar]
