"""互动交流 / 互动交流参与 (interaction).

Rows: 互动交流/咨询投诉, 征集调查 (government sites) and 互动交流参与/咨询投诉, 调查征集,
互动知识库 (development zones); 在线访谈 as evidence for 热点回应. Veto item 互动回应差
(``interaction.consultation``). Thresholds: ``settings.toml``; labels: ``data/labels.yaml``.
Messages and surveys are read with the labelled-field engine of the services plugin
(``auditkit_plugins.services.fields``).
"""

from __future__ import annotations

from typing import Any

from auditkit import Check, hookimpl
from auditkit.settings import package_defaults
from auditkit_plugins.interaction.consultation import consultation
from auditkit_plugins.interaction.knowledge import knowledge_base, online_interview
from auditkit_plugins.interaction.satisfaction import reply_rating
from auditkit_plugins.interaction.surveys import surveys

AUDITKIT_API = "1"


@hookimpl
def auditkit_default_settings() -> dict[str, dict[str, Any]]:
    return package_defaults(__name__)


@hookimpl
def auditkit_checks() -> list[Check]:
    return [consultation, surveys, knowledge_base, online_interview, reply_rating]
