"""Run settings: crawl politeness, limits, scoring bands and every plugin's thresholds.

Defaults live here (core) and in each plugin's ``settings.toml`` (contributed
through ``auditkit_default_settings``); a user's TOML file overrides any key.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from auditkit import __version__


class CrawlSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_pages: int = Field(default=200, ge=1)
    max_depth: int = Field(default=6, ge=0)
    #: hosts treated as the same site besides the start URL's (e.g. the 公开 platform's)
    extra_hosts: list[str] = Field(default_factory=list)
    respect_robots: bool = True
    #: pages rendered at once on one host, and the pause between two requests to it
    per_host_concurrency: int = Field(default=2, ge=1)
    per_host_delay_s: float = Field(default=0.5, ge=0)
    #: the national rule's limit: a page that has not opened after 15 s has failed
    page_timeout_s: float = Field(default=15.0, gt=0)
    user_agent: str = f"Mozilla/5.0 (compatible; auditkit/{__version__}; government website audit)"
    #: crawler-trap guards: endless calendars, session ids, query-string loops
    max_query_variants_per_path: int = Field(default=12, ge=1)
    max_url_length: int = Field(default=400, ge=32)
    max_repeated_path_segment: int = Field(default=3, ge=1)
    #: file endings checked over plain HTTP rather than rendered in the browser
    resource_extensions: list[str] = Field(default_factory=lambda: [
        ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".wps", ".et", ".zip", ".rar", ".7z",
        ".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".svg", ".ico", ".mp3", ".mp4", ".avi", ".flv",
        ".txt", ".csv", ".json", ".xml", ".js", ".css", ".apk", ".exe", ".ofd", ".tif", ".swf",
    ])
    screenshot_home: bool = True
    #: a tab renders this many pages, then a fresh one takes over: a long-lived tab's renderer
    #: grows by about 2 MiB a page, so memory stays bounded on big sites (benchmarks/audit_scale.py)
    pages_per_tab: int = Field(default=40, ge=1)


class LinkCheckSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    check_external: bool = True
    max_external: int = Field(default=500, ge=0)
    per_host_concurrency: int = Field(default=4, ge=1)
    total_concurrency: int = Field(default=16, ge=1)
    timeout_s: float = Field(default=15.0, gt=0)
    retries: int = Field(default=2, ge=0)
    backoff_s: float = Field(default=0.5, ge=0)
    #: at most this many body bytes are read from a GET (endless responses)
    max_body_bytes: int = Field(default=65536, ge=1024)


class NetworkSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: when set, only these hosts are contacted (tests and the demo: loopback);
    #: every other URL is recorded as "not checked: offline mode"
    allow_hosts: list[str] | None = None


class ScoringSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: grade bands as fractions of the profile's maximum; below the last band, or
    #: any veto hit, the site is 不合格 (the inspection rule's pass mark is 60)
    grades: list[tuple[float, str]] = Field(
        default_factory=lambda: [(0.9, "优秀"), (0.75, "良好"), (0.6, "合格")]
    )
    failed_grade: str = "不合格"
    pending_grade: str = "待定（尚有指标待人工评分）"


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    crawl: CrawlSettings = Field(default_factory=CrawlSettings)
    links: LinkCheckSettings = Field(default_factory=LinkCheckSettings)
    network: NetworkSettings = Field(default_factory=NetworkSettings)
    scoring: ScoringSettings = Field(default_factory=ScoringSettings)
    check_timeout_s: float = Field(default=300.0, gt=0)
    #: per-plugin sections, defaults from the plugins, overridden by the user
    plugins: dict[str, dict[str, Any]] = Field(default_factory=dict)


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def load_toml(path: Path) -> dict[str, Any]:
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    return data.get("tool", {}).get("auditkit", data) if path.name == "pyproject.toml" else data


def build_settings(
    plugin_defaults: dict[str, dict[str, Any]],
    user: dict[str, Any] | None = None,
) -> Settings:
    """Core defaults ← plugin defaults ← the user's file (which may set any key)."""
    user = dict(user or {})
    plugins = deep_merge(plugin_defaults, user.pop("plugins", {}))
    return Settings.model_validate({**user, "plugins": plugins})


def package_defaults(package: str) -> dict[str, dict[str, Any]]:
    """``{section: values}`` from the ``settings.toml`` beside a plugin's code: where a
    plugin keeps its thresholds (return it from ``auditkit_default_settings``)."""
    text = resources.files(package).joinpath("settings.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)
