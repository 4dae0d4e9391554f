"""Every profile matches the seed's tables (tests/data/indicators-2021.yaml, a copy
of the reference) row by row, and validation catches broken profiles."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from auditkit.models import Profile
from auditkit.pluginmanager import load_plugins
from auditkit.profiles import ProfileError, load_profiles, validate_profile

REFERENCE = yaml.safe_load((Path(__file__).parent / "data" / "indicators-2021.yaml").read_text(encoding="utf-8"))
GOVERNMENT = ("ministry", "province", "city", "county")
ZONES = ("etdz", "hitech")


def expected_rows(profile_id: str) -> list[tuple[str, str, float]]:
    table = REFERENCE["government_sites"] if profile_id in GOVERNMENT else REFERENCE["development_zones"]
    return [(r["l1"], r["l2"], r["weight"][profile_id]) for r in table
            if "weight" in r and profile_id in r["weight"]]


@pytest.fixture(scope="module")
def profiles() -> dict[str, Profile]:
    return load_profiles()


@pytest.mark.parametrize("profile_id", GOVERNMENT + ZONES)
def test_profile_matches_seed_table(profiles: dict[str, Profile], profile_id: str) -> None:
    profile = profiles[profile_id]
    assert [(r.l1, r.l2, r.weight) for r in profile.rows] == expected_rows(profile_id)
    assert profile.total == sum(w for _, _, w in expected_rows(profile_id))


def test_totals_and_bonus(profiles: dict[str, Profile]) -> None:
    assert profiles["ministry"].total == 102  # the seed's draft table, kept as printed
    assert "102" in profiles["ministry"].note
    for pid in ("province", "city", "county", "etdz", "hitech"):
        assert profiles[pid].total == 100
    for pid in GOVERNMENT:
        bonus_row = next(r for r in REFERENCE["government_sites"] if "bonus" in r)
        assert profiles[pid].bonus == bonus_row["bonus"][pid]
    for pid in ZONES:
        assert profiles[pid].bonus == 0


def test_builtin_profiles_validate_against_installed_checks(profiles: dict[str, Profile]) -> None:
    checks = load_plugins().checks
    for profile in profiles.values():
        validate_profile(profile, checks)


def _profile(rows: list[dict], total: float = 10) -> Profile:
    return Profile.model_validate({"id": "t", "name": "t", "total": total, "rows": rows})


def test_validation_errors_are_clear() -> None:
    checks = load_plugins().checks
    with pytest.raises(ProfileError, match=r"unknown check 'nope\.check'"):
        validate_profile(_profile([{"l1": "a", "l2": "b", "weight": 10, "checks": ["nope.check"]}]), checks)
    with pytest.raises(ProfileError, match="duplicate rows: a/b"):
        validate_profile(_profile([{"l1": "a", "l2": "b", "weight": 5}, {"l1": "a", "l2": "b", "weight": 5}]),
                         checks)
    with pytest.raises(ProfileError, match="add up to 9"):
        validate_profile(_profile([{"l1": "a", "l2": "b", "weight": 9}]), checks)
    with pytest.raises(ProfileError, match="does not declare this row"):
        validate_profile(_profile([{"l1": "a", "l2": "b", "weight": 10, "checks": ["ops.broken_links"]}]), checks)


def test_digital_government_profile_matches_the_reference_row_by_row(profiles: dict[str, Profile]) -> None:
    table = [r for r in REFERENCE["digital_government"] if "weight" in r]
    profile = profiles["digital_gov"]
    assert [(r.l1, r.l2, r.l3, r.weight, r.automatable) for r in profile.rows] == [
        (r["l1"], r["l2"], r["l3"], r["weight"], r["automatable"]) for r in table]
    assert profile.total == 100 and profile.bonus == 10 and len(profile.rows) == 47
    bonus = next(r for r in REFERENCE["digital_government"] if "bonus" in r)
    assert profile.bonus_cases == [c.strip() for c in bonus["l2"].split("/")]
    assert profile.rows[0].key == "基础保障度/组织保障/领导机制"


def test_digital_government_rows_are_wired_by_how_much_the_web_shows(profiles: dict[str, Profile]) -> None:
    """web rows: scored by checks; partial rows: checks plus what the expert adds; manual rows: no check."""
    for row in profiles["digital_gov"].rows:
        if row.automatable == "manual":
            assert not row.checks, row.key
        else:
            assert row.checks, row.key
        if row.automatable == "partial":
            assert row.unchecked, row.key
    assert not profiles["digital_gov"].vetoes and profiles["county"].vetoes
