"""auditkit plugin: 政务新媒体联动 (links from the portal to its official new-media channels)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from auditkit import Check, hookimpl
from auditkit.settings import package_defaults
from auditkit_plugin_example.linkage import new_media_linkage

AUDITKIT_API = "1"


@hookimpl
def auditkit_default_settings() -> dict[str, dict[str, Any]]:
    return package_defaults(__name__)


@hookimpl
def auditkit_checks() -> list[Check]:
    return [new_media_linkage]


@hookimpl
def auditkit_profile_paths() -> list[Path]:
    return [Path(str(resources.files(__name__).joinpath("county-newmedia.yaml")))]
