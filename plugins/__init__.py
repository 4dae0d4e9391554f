"""Built-in indicator plugins, one folder per first-level indicator.

This folder installs as the package ``auditkit_plugins`` (``plugins/ops`` is
``auditkit_plugins.ops``). Each is registered under the ``auditkit.plugins``
entry-point group in pyproject.toml, the same way a third-party plugin is.
"""
