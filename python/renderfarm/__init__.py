"""RenderFarm's trainer-side package: rollout files and scene export (see python/README.md).

``renderfarm.rollout`` and ``renderfarm.scene`` need numpy only: a trainer that writes rollout files
needs no ZeroMQ. ``renderfarm.FarmClient`` (pyzmq) is imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from .client import FarmClient

__all__ = ["FarmClient", "__version__"]


def __getattr__(name: str) -> Any:
    if name == "FarmClient":
        from .client import FarmClient

        return FarmClient
    raise AttributeError(f"module 'renderfarm' has no attribute {name!r}")
