"""The package's version has one owner (renderfarm/_version.py); the metadata, the ``farm`` extra's pin
and the wheel (with its PEP 561 marker) follow it."""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import renderfarm
from renderfarm._version import __version__

from conftest import REPO

PYPROJECT = REPO / "python" / "pyproject.toml"


def test_the_installed_metadata_is_the_owners_version() -> None:
    assert renderfarm.__version__ == __version__
    assert importlib.metadata.version("renderfarm") == __version__


def test_pyproject_spells_no_version_of_its_own_and_pins_the_farm_to_the_owners() -> None:
    text = PYPROJECT.read_text()
    assert not re.search(r"(?m)^version\s*=\s*\"", text), "python/pyproject.toml must take its version from _version.py"
    assert re.findall(r'"renderfarm-farm==([^"]+)"', text) == [__version__]


def test_the_wheel_carries_the_version_and_py_typed(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--disable-pip-version-check", "--no-deps",
                    "--no-build-isolation", "-w", str(tmp_path), str(REPO / "python")],
                   check=True, capture_output=True, timeout=300)
    [wheel] = tmp_path.glob("renderfarm-*.whl")
    assert wheel.name.startswith(f"renderfarm-{__version__}-")
    with zipfile.ZipFile(wheel) as archive:
        assert "renderfarm/py.typed" in archive.namelist()
