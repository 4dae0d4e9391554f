"""Profiles: which rows a site type is scored on, their weights, and which checks score them.

Built-in profiles are the YAML files of the repository's ``profiles/`` folder
(installed as the package ``auditkit_profiles``); plugins may add more through
``auditkit_profile_paths``.
"""

from __future__ import annotations

from collections import Counter
from importlib import resources
from pathlib import Path

import pluggy
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from auditkit.checks import Check
from auditkit.models import CheckRef, IndicatorRow, Profile


class ProfileError(ValueError):
    pass


def builtin_profile_files() -> list[Path]:
    folder = resources.files("auditkit_profiles")
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".yaml"))


class ProfileChanges(BaseModel):
    """A profile written as changes to another (``extends: county``), not as a copy."""

    model_config = ConfigDict(extra="forbid")
    id: str
    name: str
    extends: str
    total: float | None = None  # defaults to the base's total plus the changes
    bonus: float | None = None
    note: str = ""
    add_rows: list[IndicatorRow] = Field(default_factory=list)
    remove_rows: list[str] = Field(default_factory=list)  # "一级/二级" keys
    set_weights: dict[str, float] = Field(default_factory=dict)
    set_checks: dict[str, list[str]] = Field(default_factory=dict)

    def apply(self, base: Profile) -> Profile:
        known = {row.key for row in base.rows}
        for key in [*self.remove_rows, *self.set_weights, *self.set_checks]:
            if key not in known:
                raise ProfileError(f"profile {self.id!r}: {base.id!r} has no row {key!r}")
        rows = []
        for row in base.rows:
            if row.key in self.remove_rows:
                continue
            update: dict[str, object] = {}
            if row.key in self.set_weights:
                update["weight"] = self.set_weights[row.key]
            if row.key in self.set_checks:
                update["checks"] = [CheckRef(id=c) for c in self.set_checks[row.key]]
            rows.append(row.model_copy(update=update))
        rows += self.add_rows
        return Profile(id=self.id, name=self.name, note=self.note or base.note, rows=rows,
                       total=self.total if self.total is not None else round(sum(r.weight for r in rows), 6),
                       bonus=self.bonus if self.bonus is not None else base.bonus, bonus_name=base.bonus_name,
                       bonus_cases=base.bonus_cases, vetoes=base.vetoes)


def _read_yaml(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, OSError) as exc:
        raise ProfileError(f"{path}: {exc}") from exc
    if not isinstance(data, dict):
        raise ProfileError(f"{path}: a profile is a mapping with id, name, rows (or extends)")
    return data


def _build(path: Path, data: dict, known: dict[str, Profile]) -> Profile:
    try:
        if "extends" not in data:
            return Profile.model_validate(data)
        changes = ProfileChanges.model_validate(data)
    except ValidationError as exc:
        raise ProfileError(f"{path}: {exc}") from exc
    if changes.extends not in known:
        raise ProfileError(f"{path}: extends unknown profile {changes.extends!r}")
    return changes.apply(known[changes.extends])


def read_profile(path: Path, known: dict[str, Profile] | None = None) -> Profile:
    """One profile file; an ``extends`` profile is resolved against ``known`` (default: all loaded)."""
    data = _read_yaml(path)
    if "extends" in data and known is None:
        known = load_profiles()
    return _build(path, data, known or {})


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
    """Built-in profiles plus ``extra_files`` (from plugins); profiles that extend others
    are built after their bases, whatever the file order."""
    pending = [(path, _read_yaml(path)) for path in [*builtin_profile_files(), *(extra_files or [])]]
    profiles: dict[str, Profile] = {}
    while pending:
        ready = [(p, d) for p, d in pending if d.get("extends") is None or d["extends"] in profiles]
        if not ready:
            names = ", ".join(f"{d.get('id')} (extends {d.get('extends')})" for _, d in pending)
            raise ProfileError(f"profiles extend unknown or circular bases: {names}")
        for path, data in ready:
            profile = _build(path, data, profiles)
            if profile.id in profiles:
                raise ProfileError(f"{path}: profile id {profile.id!r} is defined twice")
            profiles[profile.id] = profile
        pending = [(p, d) for p, d in pending if (p, d) not in ready]
    return profiles


def plugin_profile_files(manager: pluggy.PluginManager) -> list[Path]:
    """Profile files that plugins ship through ``auditkit_profile_paths``."""
    return [Path(p) for paths in manager.hook.auditkit_profile_paths() for p in paths or []]


def check_claims(checks: dict[str, Check], profiles: dict[str, Profile]) -> list[tuple[str, str]]:
    """(problem, check id) for rows that checks say they inform but no profile has."""
    rows = {row.key for profile in profiles.values() for row in profile.rows}
    return [(f"plugin {c.plugin!r}: check {c.id!r} claims row {key!r}, which no profile has", c.id)
            for c in checks.values() for key in c.indicators if key not in rows]


def resolve_profile(name: str, profiles: dict[str, Profile] | None = None) -> Profile:
    """A profile by id, or a YAML file path (which may extend any of ``profiles``)."""
    profiles = profiles if profiles is not None else load_profiles()
    path = Path(name)
    if path.suffix in (".yaml", ".yml") and path.exists():
        return read_profile(path, profiles)
    if name not in profiles:
        raise ProfileError(f"unknown profile {name!r}; known: {', '.join(sorted(profiles))}")
    return profiles[name]
