"""Shared helper: a plugin's defaults live in the ``settings.toml`` beside its code."""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import Any


def plugin_defaults(package: str) -> dict[str, dict[str, Any]]:
    """``{section: values}`` read from ``<package>/settings.toml``."""
    text = resources.files(package).joinpath("settings.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)
