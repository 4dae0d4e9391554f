"""Profiles: which rows a site type is scored on, their weights, and which checks score them.

Built-in profiles are the YAML files of the repository's ``profiles/`` folder
(installed as the package ``auditkit_profiles``); plugins may add more through
``auditkit_profile_paths``.
"""

from __future__ import annotations

from collections import Counter
from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from auditkit.checks import Check
from auditkit.models import Profile


class ProfileError(ValueError):
    pass


def builtin_profile_files() -> list[Path]:
    folder = resources.files("auditkit_profiles")
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".yaml"))


def read_profile(path: Path) -> Profile:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Profile.model_validate(data)
    except (yaml.YAMLError, ValidationError) as exc:
        raise ProfileError(f"{path}: {exc}") from exc


def validate_profile(profile: Profile, checks: dict[str, Check]) -> None:
    """Unknown check ids, duplicate rows, rows a check does not claim, weights that
    do not add up to the declared total: each is a clear error naming the row."""
    problems: list[str] = []
    dupes = [key for key, n in Counter(r.key for r in profile.rows).items() if n > 1]
    if dupes:
        problems.append(f"duplicate rows: {', '.join(dupes)}")
    weights = round(sum(r.weight for r in profile.rows), 6)
    if weights != profile.total:
        problems.append(f"row weights add up to {weights:g}, the profile declares total {profile.total:g}")
    for row in profile.rows:
        for ref in row.checks:
            found = checks.get(ref.id)
            if found is None:
                problems.append(f"row {row.key}: unknown check {ref.id!r}")
            elif row.key not in found.indicators:
                problems.append(
                    f"row {row.key}: check {ref.id!r} (plugin {found.plugin!r}) does not declare this row "
                    f"(it informs {', '.join(found.indicators)})"
                )
    if problems:
        raise ProfileError(f"profile {profile.id!r}: " + "; ".join(problems))


def load_profiles(extra_files: list[Path] | None = None) -> dict[str, Profile]:
    profiles: dict[str, Profile] = {}
    for path in [*builtin_profile_files(), *(extra_files or [])]:
        profile = read_profile(path)
        if profile.id in profiles:
            raise ProfileError(f"{path}: profile id {profile.id!r} is defined twice")
        profiles[profile.id] = profile
    return profiles


def resolve_profile(name: str, extra_files: list[Path] | None = None) -> Profile:
    """A profile by id, or a YAML file path."""
    path = Path(name)
    if path.suffix in (".yaml", ".yml") and path.exists():
        return read_profile(path)
    profiles = load_profiles(extra_files)
    if name not in profiles:
        raise ProfileError(f"unknown profile {name!r}; known: {', '.join(sorted(profiles))}")
    return profiles[name]
