"""Shared fixtures: the farm's Swift binaries, a local farm per test module, and small helpers.

The binaries are the folder ``FARM_BIN`` names (as for farmctl and tools/test-cluster), else this
checkout's ``swift build --show-bin-path``; either way ``FARM_BIN`` is set for the session, so
``renderfarm.farm.LocalFarm`` and farmctl start those binaries."""

from __future__ import annotations

import functools
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from renderfarm.farm import BIN_VARIABLE, LocalFarm
from renderfarm.rollout import Shape

REPO = Path(__file__).resolve().parents[2]
CONFIGS = REPO / "configs"
# MuJoCo picks its GL backend at import; Mesa's EGL renders headless here and in CI.
os.environ.setdefault("MUJOCO_GL", "egl")


@functools.cache
def bin_directory() -> Path:
    """The folder of farmctl, farm-coordinator and farm-worker (``FARM_BIN``, else ``swift build
    --show-bin-path``), exported as ``FARM_BIN``; FileNotFoundError when they are not built."""
    directory: Path | None = Path(os.environ[BIN_VARIABLE]) if os.environ.get(BIN_VARIABLE) else None
    if directory is None:
        try:
            out = subprocess.run(["swift", "build", "--show-bin-path"], cwd=REPO, capture_output=True, text=True,
                                 timeout=120, check=True)
            directory = Path(out.stdout.strip())
        except (OSError, subprocess.SubprocessError):
            pass
    missing = [name for name in ("farmctl", "farm-coordinator", "farm-worker")
               if directory is None or not (directory / name).exists()]
    if directory is None or missing:
        raise FileNotFoundError(f"farm binaries not built (no {', '.join(missing)} in {directory}); run "
                                f"`swift build` or set {BIN_VARIABLE}")
    os.environ[BIN_VARIABLE] = str(directory)
    return directory


@pytest.fixture(scope="session", autouse=True)
def _export_farm_bin() -> None:
    """Sets ``FARM_BIN`` for the session when the binaries are built (tests that need them say so)."""
    try:
        bin_directory()
    except FileNotFoundError:
        pass


@pytest.fixture(scope="session")
def farm_bin() -> Path:
    """The binaries' folder; skips the test when they are not built."""
    try:
        return bin_directory()
    except FileNotFoundError as error:
        pytest.skip(str(error))


@pytest.fixture(scope="module")
def local_farm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalFarm]:
    """A coordinator and one worker with the checkout's configs for the test module, stopped at its end."""
    with LocalFarm(tmp_path_factory.mktemp("farm"), config_dir=CONFIGS, bin_dir=bin_directory()) as farm:
        yield farm


@pytest.fixture
def inspect_rollout(farm_bin: Path):
    """Runs `farmctl inspect FILE --json` and returns what the Swift reader understood."""

    def run(path: Path) -> dict:
        result = subprocess.run([str(farm_bin / "farmctl"), "inspect", str(path), "--json"], capture_output=True,
                                text=True, timeout=120)
        assert result.returncode == 0, f"farmctl inspect refused {path}: {result.stderr}"
        return json.loads(result.stdout)

    return run


def assert_same_shapes(read: tuple[Shape, ...] | list[Shape], written: tuple[Shape, ...] | list[Shape]) -> None:
    """A rollout's shapes as read back: the header is JSON, whose numbers round-trip exactly, so every
    field is bit-exact but the pose, whose quaternion is normalised again on reading (normalising a
    unit quaternion may move its last bits). The pose is compared within float64 tolerance."""
    assert len(read) == len(written)
    for index, (got, want) in enumerate(zip(read, written)):
        assert got.transform == pytest.approx(want.transform, rel=0, abs=1e-12), f"shape {index}"
        got_fields, want_fields = got.to_json(), want.to_json()
        del got_fields["transform"], want_fields["transform"]
        assert got_fields == want_fields, f"shape {index}"
