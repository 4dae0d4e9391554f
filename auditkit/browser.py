"""Finding and launching Chromium: the one place that decides which browser runs.

Order: ``AUDITKIT_CHROMIUM`` (a path) → Playwright's own Chromium when it is
installed → the system's Chromium (Debian's ``/usr/bin/chromium`` and friends).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, BrowserContext, Playwright, async_playwright

ENV_VAR = "AUDITKIT_CHROMIUM"
SYSTEM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

#: Headless Chromium keeps calling Google services; on a closed network every
#: such call fails loudly. These flags stop it (see docs/environment notes).
QUIET_ARGS = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class BrowserNotFound(RuntimeError):
    pass


def find_chromium(playwright: Playwright | None = None) -> str | None:
    """Path of the Chromium to launch, or None to use Playwright's bundled build."""
    override = os.environ.get(ENV_VAR)
    if override:
        if not Path(override).exists():
            raise BrowserNotFound(f"{ENV_VAR}={override} does not exist")
        return override
    if playwright is not None:
        bundled = playwright.chromium.executable_path
        if bundled and Path(bundled).exists():
            return None
    for name in SYSTEM_CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    raise BrowserNotFound(
        "no Chromium found: install Debian's 'chromium' (make demo does), run "
        f"'playwright install chromium', or set {ENV_VAR} to a Chromium binary"
    )


def launch_args(allow_hosts: list[str] | None) -> list[str]:
    args = list(QUIET_ARGS)
    if allow_hosts is not None:
        # Offline mode (tests, demo): the browser may resolve nothing else.
        rules = ", ".join(["MAP * ~NOTFOUND", *(f"EXCLUDE {h}" for h in allow_hosts)])
        args.append(f"--host-resolver-rules={rules}")
    return args


@dataclass
class BrowserSession:
    """One browser for an audit (or a whole batch); contexts are cheap, browsers are not."""

    allow_hosts: list[str] | None = None
    user_agent: str | None = None
    _playwright: Playwright | None = field(default=None, init=False)
    _browser: Browser | None = field(default=None, init=False)

    async def __aenter__(self) -> BrowserSession:
        self._playwright = await async_playwright().start()
        try:
            executable = find_chromium(self._playwright)
            self._browser = await self._playwright.chromium.launch(
                executable_path=executable, headless=True, args=launch_args(self.allow_hosts)
            )
        except BaseException:
            await self._playwright.stop()
            raise
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._browser is not None:
            await self._browser.close()
        if self._playwright is not None:
            await self._playwright.stop()

    async def new_context(self, **options: Any) -> BrowserContext:
        assert self._browser is not None, "BrowserSession not entered"
        options.setdefault("user_agent", self.user_agent)
        options.setdefault("viewport", {"width": 1366, "height": 900})
        options.setdefault("ignore_https_errors", True)  # certificate faults are findings, not crashes
        options.setdefault("accept_downloads", False)
        options.setdefault("locale", "zh-CN")
        return await self._browser.new_context(**options)


def has_cjk_font() -> bool:
    """Screenshots of Chinese pages need a CJK font; fontconfig knows whether one is there."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    listing = subprocess.run([fc_list, ":lang=zh"], capture_output=True, text=True, check=False).stdout
    return bool(listing.strip())


if __name__ == "__main__":
    # `python -m auditkit.browser --check`: exit 0 when a browser and a CJK font are there.
    import sys

    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        bundled = pw.chromium.executable_path
    try:
        path = find_chromium() if not (bundled and Path(bundled).exists()) else bundled
    except BrowserNotFound as exc:
        print(exc, file=sys.stderr)
        sys.exit(1)
    print(path)
    sys.exit(0 if has_cjk_font() else 1)
