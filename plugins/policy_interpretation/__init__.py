"""政策解读 / 政策解读回应 (policy interpretation).

Rows: 政策解读/解读比例, 解读质量, 精准解读 (government sites); 政策解读回应/政策解读, 热点回应
(development zones). Policy documents and interpretations come from the core's column map
(``auditkit.columns.discover``) and are paired by links, then by title (``pairing.py``).
Thresholds: ``settings.toml``.
"""

from __future__ import annotations

from typing import Any

from auditkit import Check, hookimpl
from auditkit.settings import package_defaults
from auditkit_plugins.policy_interpretation.checks import hot_topic_response, quality, ratio, targeted

AUDITKIT_API = "1"


@hookimpl
def auditkit_default_settings() -> dict[str, dict[str, Any]]:
    return package_defaults(__name__)


@hookimpl
def auditkit_checks() -> list[Check]:
    return [ratio, quality, targeted, hot_topic_response]
