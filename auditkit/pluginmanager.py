"""Loading plugins: built-ins and third-party alike arrive through the
``auditkit.plugins`` entry-point group (like pytest's ``pytest11``)."""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from typing import Any

import pluggy

from auditkit import hookspecs
from auditkit.checks import Check
from auditkit.models import PluginInfo, Profile
from auditkit.profiles import check_claims, load_profiles, plugin_profile_files

ENTRY_POINT_GROUP = "auditkit.plugins"


class PluginError(RuntimeError):
    pass


@dataclass
class LoadedPlugins:
    manager: pluggy.PluginManager
    checks: dict[str, Check] = field(default_factory=dict)
    defaults: dict[str, dict[str, Any]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # plugin faults, reported with the run

    def infos(self) -> list[PluginInfo]:
        dists = {id(plugin): dist for plugin, dist in self.manager.list_plugin_distinfo()}
        infos = []
        for name, plugin in self.manager.list_name_plugin():
            if plugin is None:
                continue
            dist = dists.get(id(plugin))
            infos.append(PluginInfo(
                name=name,
                package=dist.metadata["name"] if dist else None,
                version=dist.version if dist else None,
                checks=sorted(c.id for c in self.checks.values() if c.plugin == name),
            ))
        return infos


def plugin_manager(disable: list[str] | tuple[str, ...] = (), extra: list[object] | tuple[object, ...] = ()
                   ) -> pluggy.PluginManager:
    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    for name in disable:
        manager.set_blocked(name)
    manager.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    for plugin in extra:
        # Named after its class or module, so errors say which plugin (not an object id).
        manager.register(plugin, name=getattr(plugin, "__name__", type(plugin).__name__))
    for name, plugin in manager.list_name_plugin():
        wanted = getattr(plugin, "AUDITKIT_API", hookspecs.API_VERSION)
        if str(wanted) != hookspecs.API_VERSION:
            manager.unregister(plugin)
            raise PluginError(
                f"plugin {name!r} needs auditkit plugin API {wanted}, this auditkit provides {hookspecs.API_VERSION}"
            )
    try:
        manager.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(str(exc)) from exc
    return manager


def _call_each(manager: pluggy.PluginManager, hook_name: str, problems: list[str]) -> list[tuple[str, Any]]:
    """Call a hook plugin by plugin so each answer is attributed and a raising plugin is isolated."""
    answers = []
    for impl in getattr(manager.hook, hook_name).get_hookimpls():
        try:
            answers.append((impl.plugin_name, impl.function()))
        except Exception as exc:
            problems.append(f"plugin {impl.plugin_name!r}: {hook_name} raised {type(exc).__name__}: {exc}\n"
                            + traceback.format_exc())
    return answers


def load_plugins(disable: list[str] | tuple[str, ...] = (), extra: list[object] | tuple[object, ...] = ()
                 ) -> LoadedPlugins:
    manager = plugin_manager(disable, extra)
    loaded = LoadedPlugins(manager=manager)
    for plugin_name, section_map in _call_each(manager, "auditkit_default_settings", loaded.problems):
        for section, values in (section_map or {}).items():
            if section in loaded.defaults and set(loaded.defaults[section]) & set(values):
                raise PluginError(f"plugin {plugin_name!r} redefines settings in section {section!r}")
            loaded.defaults.setdefault(section, {}).update(values)
    for plugin_name, checks in _call_each(manager, "auditkit_checks", loaded.problems):
        for item in checks or []:
            if not isinstance(item, Check):
                raise PluginError(f"plugin {plugin_name!r} returned {item!r} from auditkit_checks, not a Check")
            if item.id in loaded.checks:
                raise PluginError(
                    f"check id {item.id!r} of plugin {plugin_name!r} is already provided by "
                    f"{loaded.checks[item.id].plugin!r}"
                )
            loaded.checks[item.id] = Check(**{**item.__dict__, "plugin": plugin_name})
    return loaded


def load_plugins_and_profiles(
    disable: list[str] | tuple[str, ...] = (), extra: list[object] | tuple[object, ...] = ()
) -> tuple[LoadedPlugins, dict[str, Profile]]:
    """Plugins, then every profile (built-in and plugin-shipped). A check that claims a
    row no profile has is left out of the run and reported, naming its plugin."""
    loaded = load_plugins(disable, extra)
    profiles = load_profiles(plugin_profile_files(loaded.manager))
    for problem, check_id in check_claims(loaded.checks, profiles):
        loaded.checks.pop(check_id, None)
        loaded.problems.append(problem + "; the check is left out of this run")
    return loaded, profiles
