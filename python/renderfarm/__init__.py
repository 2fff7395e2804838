"""RenderFarm's trainer-side package: rollout files and scene export (see python/README.md)."""

__version__ = "0.1.0"

from .client import FarmClient  # noqa: E402  (the farm's client; renderfarm.client has the rest)
