"""auditkit: audit Chinese government websites the way the national evaluators do."""

__version__ = "0.1.0"

from auditkit.checks import Check, CheckContext, check
from auditkit.hookspecs import API_VERSION, hookimpl

__all__ = ["API_VERSION", "Check", "CheckContext", "__version__", "check", "hookimpl"]
