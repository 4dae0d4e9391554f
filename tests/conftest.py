from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from auditkit import Check, check, hookimpl
from auditkit.models import AuditResult
from auditkit.pluginmanager import load_plugins
from auditkit.profiles import resolve_profile
from auditkit.runner import run_audit
from auditkit.settings import build_settings
from auditkit.store import Store
from auditkit.testing import Route, RouteSite
from auditkit.urls import LOOPBACK_HOSTS

AS_OF = date(2021, 10, 15)
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Real government pages are never committed; tests that read them skip without them.
    skip = pytest.mark.skip(reason=f"corpus not present at {CORPUS}")
    for item in items:
        if "corpus" in item.keywords and not CORPUS.is_dir():
            item.add_marker(skip)


@pytest.fixture(scope="session")
def demo_url() -> Iterator[str]:
    from auditkit.demo.server import serve_demo

    with serve_demo(AS_OF) as url:
        yield url



# Short names for the kit's fixtures (auditkit.pytest_plugin), used all over these tests.
@pytest.fixture
def serve(auditkit_serve: Callable[[dict[str, Route]], RouteSite]) -> Callable[[dict[str, Route]], RouteSite]:
    return auditkit_serve


@pytest.fixture
def loopback_only(auditkit_offline: list[str]) -> list[str]:
    return auditkit_offline


@check(id="thirdparty.explodes", title="a plugin with a bug", indicators=["运维保障/日常运维"])
def explodes(ctx: object) -> None:
    raise ZeroDivisionError("third-party bug")


class ExplodingPlugin:
    """A third-party plugin whose check raises: the demo audit must go on without it."""

    @hookimpl
    def auditkit_checks(self) -> list[Check]:
        return [explodes]


@pytest.fixture(scope="session")
def demo_audit(demo_url: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[AuditResult, Path]:
    """One audit of the demo site (county profile) shared by every end-to-end test."""
    db = tmp_path_factory.mktemp("db") / "auditkit.db"
    plugins = load_plugins(extra=[ExplodingPlugin()])
    settings = build_settings(plugins.defaults, {
        "crawl": {"max_pages": 250, "per_host_delay_s": 0, "per_host_concurrency": 4},
        "network": {"allow_hosts": LOOPBACK_HOSTS},
        "plugins": {"ops": {"security_probe_delay_s": 0.0}},
    })
    store = Store(db)
    result = asyncio.run(run_audit(demo_url, resolve_profile("county"), settings, store, plugins, AS_OF))
    store.close()
    return result, db
