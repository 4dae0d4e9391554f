"""The bundled demo site: 青山县人民政府, a fictional county portal with planted defects.

``serve_demo(as_of)`` serves it on 127.0.0.1; ``DEFECTS`` and ``HEALTHY`` say
what an audit of it must and must not find (see DEFECTS.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from auditkit.demo.defects import DEFECTS, HEALTHY, Defect
    from auditkit.demo.server import serve_demo

__all__ = ["DEFECTS", "HEALTHY", "Defect", "serve_demo"]


def __getattr__(name: str) -> Any:
    # Lazy, so `python -m auditkit.demo.server` does not import the server twice (runpy warns).
    if name == "serve_demo":
        from auditkit.demo.server import serve_demo

        return serve_demo
    if name in ("DEFECTS", "HEALTHY", "Defect"):
        from auditkit.demo import defects

        return getattr(defects, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
