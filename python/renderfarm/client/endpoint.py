"""Where the coordinator's client endpoint is: the same lookup as farmctl.

1. the ``endpoint`` argument; 2. ``FARM_COORDINATOR`` (when not empty); 3. ``client_endpoint`` in
the ``farm.yaml`` of the configs directory, found as farmctl finds it (``config_dir`` argument, which
must exist; ``FARM_CONFIG_DIR``, which must exist; ``./configs``; a ``configs/`` holding
``presets.yaml`` in the package's folder or one of its six nearest parents — a source checkout's
``<repo>/configs`` for ``<repo>/python/renderfarm``); 4. the built-in ``tcp://127.0.0.1:5556``.
A configs directory without ``farm.yaml`` also means the built-in value.
"""

from __future__ import annotations

import os
from pathlib import Path

BUILTIN_CLIENT_ENDPOINT = "tcp://127.0.0.1:5556"
ENDPOINT_VARIABLE = "FARM_COORDINATOR"
CONFIG_DIR_VARIABLE = "FARM_CONFIG_DIR"
_ANCESTOR_LIMIT = 6


class ConfigError(ValueError):
    """A named configs directory that does not exist, or a farm.yaml that cannot be read."""


def find_config_dir(config_dir: str | os.PathLike | None = None, *, environ=None, cwd=None,
                    anchor: str | os.PathLike | None = None) -> Path | None:
    """The configs directory farmctl would read, or None for the built-in configuration."""
    environ = os.environ if environ is None else environ
    cwd = Path(os.getcwd() if cwd is None else cwd)
    if config_dir is not None:
        path = Path(config_dir)
        if not path.is_dir():
            raise ConfigError(f"configs directory {path} (named by config_dir) does not exist")
        return path
    named = environ.get(CONFIG_DIR_VARIABLE, "")
    if named:
        if not Path(named).is_dir():
            raise ConfigError(f"configs directory {named} (named by {CONFIG_DIR_VARIABLE}) does not exist")
        return Path(named)
    local = cwd / "configs"
    if local.is_dir():
        return local
    folder = Path(anchor if anchor is not None else Path(__file__).resolve().parent.parent)
    for _ in range(_ANCESTOR_LIMIT):
        if (folder / "configs" / "presets.yaml").is_file():
            return folder / "configs"
        if folder.parent == folder:
            break
        folder = folder.parent
    return None


def read_farm_settings(config_dir: Path) -> dict[str, object]:
    """farm.yaml's top-level keys (empty when the file is absent)."""
    path = config_dir / "farm.yaml"
    if not path.is_file():
        return {}
    text = path.read_text(encoding="utf-8")
    try:
        import yaml
    except ImportError:
        return _flat_mapping(text, path)
    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: not valid YAML: {error}") from error
    if not isinstance(loaded, dict):
        raise ConfigError(f"{path}: expected a mapping of keys to values")
    return loaded


def _flat_mapping(text: str, path: Path) -> dict[str, object]:
    """farm.yaml is one flat mapping of scalars; read that much YAML without PyYAML."""
    settings: dict[str, object] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        key, separator, value = stripped.partition(":")
        if not separator:
            raise ConfigError(f"{path} line {number}: expected 'key: value'")
        value = value.strip()
        if value[:1] in ("'", '"'):
            settings[key.strip()] = value[1:value.index(value[0], 1)]
        else:
            settings[key.strip()] = value.split(" #", 1)[0].strip()
    return settings


def resolve_endpoint(endpoint: str | None = None, *, config_dir: str | os.PathLike | None = None,
                     environ=None, cwd=None, anchor=None) -> str:
    """The client endpoint, looked up in farmctl's order."""
    environ = os.environ if environ is None else environ
    if endpoint:
        return endpoint
    if environ.get(ENDPOINT_VARIABLE, ""):
        return environ[ENDPOINT_VARIABLE]
    directory = find_config_dir(config_dir, environ=environ, cwd=cwd, anchor=anchor)
    if directory is None:
        return BUILTIN_CLIENT_ENDPOINT
    value = read_farm_settings(directory).get("client_endpoint", BUILTIN_CLIENT_ENDPOINT)
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{directory / 'farm.yaml'}: client_endpoint must be a non-empty string")
    return value
