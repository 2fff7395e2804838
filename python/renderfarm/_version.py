"""The renderfarm package's version: its one owner. python/pyproject.toml reads it (``dynamic``), and
the ``farm`` extra there pins renderfarm-farm to it."""

__version__ = "0.1.0"
