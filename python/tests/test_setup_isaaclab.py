"""tools/setup-isaaclab on a machine without Python 3.12: it says what to install and installs nothing."""

from __future__ import annotations

import subprocess

from conftest import REPO


def test_without_python_3_12_it_says_what_to_install(tmp_path):
    # Debian's own PATH: its python3 is 3.11, and no pyenv is reachable.
    result = subprocess.run([str(REPO / "tools" / "setup-isaaclab")], capture_output=True, text=True, timeout=60,
                            env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": str(tmp_path),
                                 "RENDERFARM_CACHE": str(tmp_path / "cache")})
    assert result.returncode == 1
    assert "needs Python 3.12" in result.stderr and "python3.12" in result.stderr
    assert not (tmp_path / "cache").exists() or not any((tmp_path / "cache").iterdir())


def test_the_venv_is_keyed_by_its_lock(tmp_path):
    path = subprocess.run([str(REPO / "tools" / "setup-isaaclab"), "--print-path"], capture_output=True, text=True,
                          timeout=60, env={"PATH": "/usr/bin:/bin", "RENDERFARM_CACHE": str(tmp_path)},
                          check=True).stdout.strip()
    lock_hash = subprocess.run(["sha256sum", str(REPO / "tools" / "locks" / "isaaclab.txt")], capture_output=True,
                               text=True, check=True).stdout[:16]
    assert path == f"{tmp_path}/isaaclab-{lock_hash}"
