"""Shared fixtures: the farm's Swift binaries (built by `swift build`) and small helpers."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from renderfarm.rollout import Shape

REPO = Path(__file__).resolve().parents[2]
# MuJoCo picks its GL backend at import; Mesa's EGL renders headless here and in CI.
os.environ.setdefault("MUJOCO_GL", "egl")


def _bin_dir() -> Path | None:
    if os.environ.get("FARM_BIN_DIR"):
        return Path(os.environ["FARM_BIN_DIR"])
    try:
        out = subprocess.run(["swift", "build", "--show-bin-path"], cwd=REPO, capture_output=True, text=True,
                             timeout=120, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(out.stdout.strip())


@pytest.fixture(scope="session")
def farm_bin() -> Path:
    """Directory holding farmctl and farm-worker (FARM_BIN_DIR, else `swift build --show-bin-path`)."""
    directory = _bin_dir()
    if directory is None or not (directory / "farmctl").exists() or not (directory / "farm-worker").exists():
        pytest.skip(f"farm binaries not built (looked in {directory}); run `swift build` or set FARM_BIN_DIR")
    return directory


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
