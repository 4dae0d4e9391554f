"""The whole plugin API of auditkit, read top to bottom.

A plugin is a module (or object) registered under the entry-point group
``auditkit.plugins``; the built-in indicator plugins arrive through that same
group. It implements any of the hooks below with ``@auditkit.hookimpl``.
Implementations may accept fewer arguments than the spec names, so hooks can
gain arguments without breaking plugins.

The order of an audit:

1. ``auditkit_default_settings`` — every plugin contributes its thresholds.
2. ``auditkit_checks`` — every plugin lists its checks (``auditkit.Check``).
3. The crawler gathers the snapshot once; then every check whose needs are
   met runs against it. A check that raises, or returns something that is
   not a ``CheckResult``, becomes an ``error`` result naming the plugin; the
   audit goes on.
4. ``auditkit_audit_finished`` — every plugin sees the scored result.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from auditkit.checks import Check
    from auditkit.models import AuditResult

PROJECT = "auditkit"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

#: Bumped when a hook changes incompatibly. A plugin may declare the version
#: it was written for as a module attribute ``AUDITKIT_API = "1"``.
API_VERSION = "1"


@hookspec
def auditkit_default_settings() -> dict[str, Any]:
    """Return this plugin's configurable defaults (thresholds, word lists, windows).

    Called once when settings are built, before any check runs. Return a
    mapping ``{section: {key: value}}``; sections are usually the plugin's
    name (``{"ops": {"home_broken_link_deduction": 1.0}}``). A user's config
    file overrides any key. Results of all plugins are merged; two plugins
    claiming the same key is an error.
    """


@hookspec
def auditkit_checks() -> list[Check]:
    """Return the checks this plugin provides.

    Called once per audit, after settings are built. Each item is a
    ``Check`` (usually made with the ``@check`` decorator), declaring its id,
    title, the indicator rows it informs (``"一级指标/二级指标"`` as in the
    seed's tables), the snapshot parts it needs and the veto items it can
    judge. Ids must be unique across all plugins. Results of all plugins are
    concatenated in plugin-registration order, which is also the order the
    checks run in.

    A check function takes a ``CheckContext`` (``ctx.snapshot``, ``ctx.settings``
    — its plugin's section —, ``ctx.as_of``) and returns ``ctx.result(...)``: a
    score fraction 0..1 or a deduction in points, the reason in words, findings
    with evidence, veto hits. Plain functions run in a worker thread; ``async``
    ones in the event loop, and those that declare ``needs=["browser"]`` get
    ``ctx.browser``. Each check has a time limit (``check_timeout_s``). A check
    that claims a row no profile has is left out of the run, its plugin named.
    """


@hookspec
def auditkit_profile_paths() -> list[Path]:
    """Return extra profile files (YAML) this plugin ships.

    Called when profiles are loaded, after the built-in ones. A file may define a
    whole table (``id``, ``name``, ``total``, ``rows``) or change another profile
    by reference: ``extends: county`` with ``add_rows``, ``remove_rows``,
    ``set_weights`` and ``set_checks``. A file whose id equals another profile's
    id is an error.
    """


@hookspec
def auditkit_audit_finished(result: AuditResult) -> None:
    """Called once after an audit is scored and stored, with the final result.

    For exporters and notifiers. Must not change ``result``. A raising
    implementation is reported as a problem of the run, never aborts it.
    """
