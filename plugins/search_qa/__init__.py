"""功能设计: 智能搜索 and 智能问答 (search and Q&A), probed in the browser like a visitor.

Rows: 功能设计/智能搜索, 功能设计/智能问答 (government sites) and 功能设计推广/辅助功能
(development zones). Word lists, limits and weights: ``settings.toml``; probe
material (topics, near-miss characters, sensitive words): ``data/``.
"""

from __future__ import annotations

from typing import Any

from auditkit import Check, hookimpl
from auditkit.settings import package_defaults
from auditkit_plugins.search_qa.qa import qa
from auditkit_plugins.search_qa.search import search

AUDITKIT_API = "1"


@hookimpl
def auditkit_default_settings() -> dict[str, dict[str, Any]]:
    return package_defaults(__name__)


@hookimpl
def auditkit_checks() -> list[Check]:
    return [search, qa]
