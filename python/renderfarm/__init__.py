"""RenderFarm's trainer-side package: rollout files and scene export (see python/README.md)."""

__version__ = "0.1.0"
