"""信息发布 / 政务信息公开 (information release).

Rows: 信息发布/法定主动公开, 政府信息公开平台, 业务专栏 (government sites); 政务信息公开/基本政务,
产业发展, 科技创新, 人才引进, 招商引资, 绿色集约 (development zones). Every check reads the core's
column map (``auditkit.columns.discover``: topics, synonyms and URL hints in
``auditkit/data/column_topics.yaml``); thresholds: ``settings.toml``.
"""

from __future__ import annotations

from typing import Any

from auditkit import Check, hookimpl
from auditkit.settings import package_defaults
from auditkit_plugins.info_disclosure.platform import disclosure_platform
from auditkit_plugins.info_disclosure.topic_columns import topic_columns
from auditkit_plugins.info_disclosure.topics import basic_affairs, mandatory_disclosure, mandatory_disclosure_ministry
from auditkit_plugins.info_disclosure.zone_rows import (
    zone_green,
    zone_industry,
    zone_innovation,
    zone_investment,
    zone_talent,
)

AUDITKIT_API = "1"


@hookimpl
def auditkit_default_settings() -> dict[str, dict[str, Any]]:
    return package_defaults(__name__)


@hookimpl
def auditkit_checks() -> list[Check]:
    return [mandatory_disclosure, mandatory_disclosure_ministry, basic_affairs, disclosure_platform, topic_columns,
            zone_industry, zone_innovation, zone_talent, zone_investment, zone_green]
