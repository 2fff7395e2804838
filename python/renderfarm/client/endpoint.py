"""Where the coordinator's client endpoint is: farmctl's rule, which depends on no repository layout.

First match wins:

1. the ``endpoint`` argument (farmctl's ``--coordinator``);
2. ``FARM_COORDINATOR``, when not empty;
3. ``client_endpoint`` in ``farm.yaml`` of the configs directory: the ``config_dir`` argument
   (farmctl's ``--config-dir``; must exist), else ``FARM_CONFIG_DIR`` (must exist), else
   ``./configs`` in the working directory. A configs directory without ``farm.yaml``, or a
   ``farm.yaml`` without ``client_endpoint``, means the default;
4. the default, ``tcp://127.0.0.1:5556`` (a local farm on loopback).

farmctl also looks for a ``configs/`` beside its own executable (a source build's
``<repo>/.build/debug/farmctl`` finds ``<repo>/configs``); the package's own location plays no
part here: name the directory (``config_dir``, ``FARM_CONFIG_DIR``) when it is not ``./configs``.
python/tests/test_client.py checks that farmctl resolves the same endpoint in every case.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

BUILTIN_CLIENT_ENDPOINT = "tcp://127.0.0.1:5556"
ENDPOINT_VARIABLE = "FARM_COORDINATOR"
CONFIG_DIR_VARIABLE = "FARM_CONFIG_DIR"

Environ = Mapping[str, str]


class ConfigError(ValueError):
    """A named configs directory that does not exist, or a farm.yaml that cannot be read."""


def find_config_dir(config_dir: str | os.PathLike[str] | None = None, *, environ: Environ | None = None,
                    cwd: str | os.PathLike[str] | None = None) -> Path | None:
    """The configs directory: ``config_dir``, ``FARM_CONFIG_DIR``, ``./configs``; None when there is none."""
    environ = os.environ if environ is None else environ
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
    local = Path(os.getcwd() if cwd is None else cwd) / "configs"
    return local if local.is_dir() else None


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
    return {str(key): value for key, value in loaded.items()}


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


def resolve_endpoint(endpoint: str | None = None, *, config_dir: str | os.PathLike[str] | None = None,
                     environ: Environ | None = None, cwd: str | os.PathLike[str] | None = None) -> str:
    """The client endpoint, looked up in farmctl's order (see the module's docstring)."""
    environ = os.environ if environ is None else environ
    if endpoint:
        return endpoint
    if environ.get(ENDPOINT_VARIABLE, ""):
        return environ[ENDPOINT_VARIABLE]
    directory = find_config_dir(config_dir, environ=environ, cwd=cwd)
    if directory is None:
        return BUILTIN_CLIENT_ENDPOINT
    value = read_farm_settings(directory).get("client_endpoint", BUILTIN_CLIENT_ENDPOINT)
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{directory / 'farm.yaml'}: client_endpoint must be a non-empty string")
    return value
