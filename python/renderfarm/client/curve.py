"""CURVE keys for an authenticated farm, looked up as farmctl looks them up (docs/PROTOCOL.md,
"Security"): the coordinator's public key from the ``coordinator_key`` argument, else
``FARM_COORDINATOR_KEY``, else farm.yaml's ``coordinator_key``; the client's key pair from the
``key_file`` argument, else ``FARM_CLIENT_KEY_FILE``, else farm.yaml's ``client_key_file``. No
coordinator key means an open farm (a local one on loopback)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from .endpoint import ConfigError, Environ, find_config_dir, read_farm_settings

_KEY_LINE = re.compile(r'^\s*(public|secret)(?:-key)?\s*=\s*"?([^"\s]{40})"?\s*$')


@dataclass(frozen=True)
class CurveKeys:
    server_public: bytes
    public: bytes
    secret: bytes


def read_key_file(path: str | os.PathLike[str]) -> tuple[bytes, bytes]:
    """(public, secret) Z85 keys from ``farmctl keys generate``'s file or a ZeroMQ zcert secret file."""
    found: dict[str, bytes] = {}
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"cannot read the client key file {path}: {error}") from error
    for line in text.splitlines():
        match = _KEY_LINE.match(line)
        if match:
            found[match.group(1)] = match.group(2).encode("ascii")
    if set(found) != {"public", "secret"}:
        raise ConfigError(f"{path} holds no 'public = <Z85>' and 'secret = <Z85>' key pair "
                          "(write one with farmctl keys generate --out FILE)")
    return found["public"], found["secret"]


def resolve_curve_keys(coordinator_key: str | None = None, key_file: str | os.PathLike[str] | None = None, *,
                       config_dir: str | os.PathLike[str] | None = None, environ: Environ | None = None,
                       cwd: str | os.PathLike[str] | None = None) -> CurveKeys | None:
    environ = os.environ if environ is None else environ
    settings: dict[str, object] | None = None

    def setting(name: str) -> object:
        nonlocal settings
        if settings is None:
            directory = find_config_dir(config_dir, environ=environ, cwd=cwd)
            settings = read_farm_settings(directory) if directory else {}
        return settings.get(name)

    server = coordinator_key or environ.get("FARM_COORDINATOR_KEY") or setting("coordinator_key")
    if not server:
        return None
    if len(str(server)) != 40:
        raise ConfigError(f"the coordinator key must be 40 Z85 characters, got {len(str(server))}")
    keys = key_file or environ.get("FARM_CLIENT_KEY_FILE") or setting("client_key_file")
    if not keys:
        raise ConfigError("the farm is authenticated (a coordinator key is set) but no client key file is: pass "
                          "key_file=, or set FARM_CLIENT_KEY_FILE or client_key_file in configs/farm.yaml")
    public, secret = read_key_file(keys if isinstance(keys, (str, os.PathLike)) else str(keys))
    return CurveKeys(str(server).encode("ascii"), public, secret)
