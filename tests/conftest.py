from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

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

