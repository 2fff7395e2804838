#!/usr/bin/env python3
"""Checks cluster/systemd/ offline: `systemd-analyze verify` (strict: any warning fails) and
`systemd-analyze security --offline` exposure limits, inside a throwaway root that holds the
units, the example environment file and stand-in executables at the units' ExecStart paths.

Works without systemd as PID 1 (as in containers); SKIPPED where systemd-analyze is missing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from clustertest import REPO, Failure, Results, Skip, exit_on_signals, run  # noqa: E402

UNITS = REPO / "cluster" / "systemd"
ENV_EXAMPLE = UNITS / "farm.env.example"
ENV_INSTALLED = "etc/render-farm/farm.env"
# Exposure limits from `systemd-analyze security` (0 = locked down, 10 = exposed). The worker
# needs GPU devices and executable memory, so its limit is higher.
EXPOSURE_LIMITS = {"farm-coordinator.service": 2.0, "farm-worker@0.service": 4.0}
SYSTEM_UNIT_DIRS = ["/usr/lib/systemd/system", "/lib/systemd/system"]


def analyze() -> str:
    found = shutil.which("systemd-analyze")
    if not found:
        raise Skip("systemd-analyze not installed (Debian package systemd)")
    return found


def build_root(tmp: Path) -> Path:
    """A filesystem root with the distribution's units, ours, the env file and stand-in binaries."""
    root = tmp / "root"
    system_dir = next((Path(d) for d in SYSTEM_UNIT_DIRS if Path(d, "sysinit.target").exists()), None)
    if system_dir is None:
        raise Skip(f"no systemd unit directory with sysinit.target in {SYSTEM_UNIT_DIRS}")
    shutil.copytree(system_dir, root / "usr/lib/systemd/system", symlinks=True)
    ours = root / "etc/systemd/system"
    ours.mkdir(parents=True)
    for unit in UNITS.glob("*.service"):
        shutil.copy(unit, ours / unit.name)
        for executable in re.findall(r"^ExecStart=[-@:+!]*(/\S+)", unit.read_text(), re.M):
            stand_in = root / executable.lstrip("/")
            stand_in.parent.mkdir(parents=True, exist_ok=True)
            stand_in.write_text("#!/bin/sh\n")
            stand_in.chmod(0o755)
    (root / ENV_INSTALLED).parent.mkdir(parents=True)
    shutil.copy(ENV_EXAMPLE, root / ENV_INSTALLED)
    return root


def verify(tool: str, root: Path, unit: str) -> None:
    done = run([tool, "verify", f"--root={root}", "--man=no", "--generators=no", unit],
               timeout=60, check=False, cwd=root / "etc/systemd/system")
    output = (done.stdout + done.stderr).strip()
    if done.returncode != 0 or output:
        raise Failure(f"systemd-analyze verify {unit} (exit {done.returncode}):\n{output}")


def exposure(tool: str, root: Path, unit: str) -> None:
    done = run([tool, "security", "--offline=yes", f"--root={root}", "--no-pager", unit],
               timeout=60, check=False, env=dict(os.environ, SYSTEMD_COLORS="0"))
    match = re.search(r"Overall exposure level for \S+: ([0-9.]+)", done.stdout)
    if not match:
        if "--offline" in done.stderr or "unrecognized option" in done.stderr:
            raise Skip(f"this systemd-analyze has no offline security mode: {done.stderr.strip()}")
        raise Failure(f"no exposure level from systemd-analyze security {unit}: "
                      f"{(done.stderr or done.stdout).strip()[-500:]}")
    level = float(match.group(1))
    limit = EXPOSURE_LIMITS[unit]
    if level > limit:
        raise Failure(f"{unit}: exposure {level} above the limit {limit}")
    print(f"  {unit}: exposure {level} (limit {limit})", flush=True)


def worker_binds_its_gpu() -> None:
    text = (UNITS / "farm-worker@.service").read_text()
    for line in ("Environment=CUDA_VISIBLE_DEVICES=%i", "Environment=CUDA_DEVICE_ORDER=PCI_BUS_ID",
                 "Environment=NVIDIA_DRIVER_CAPABILITIES=compute,utility,graphics"):
        if line not in text.splitlines():
            raise Failure(f"farm-worker@.service lacks `{line}`")
    if "--cuda-device 0" not in text:
        raise Failure("farm-worker@.service does not pass --cuda-device 0")


def env_example_defines_every_variable() -> None:
    defined = set(re.findall(r"^([A-Z_][A-Z0-9_]*)=", ENV_EXAMPLE.read_text(), re.M))
    for unit in UNITS.glob("*.service"):
        used = set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*)\}", unit.read_text()))
        missing = used - defined
        if missing:
            raise Failure(f"{unit.name} uses {sorted(missing)}, which farm.env.example leaves unset")


def auth_on() -> None:
    """CURVE is on: the coordinator has its key pair and allow lists, and the workers (which read
    FARM_COORDINATOR_KEY and FARM_WORKER_KEY_FILE from farm.env) are given both."""
    text = (UNITS / "farm-coordinator.service").read_text()
    for option in ("--curve-key-file", "--worker-allow-list", "--client-allow-list"):
        if option not in text:
            raise Failure(f"farm-coordinator.service does not pass {option}")
    defined = set(re.findall(r"^([A-Z_][A-Z0-9_]*)=", ENV_EXAMPLE.read_text(), re.M))
    missing = {"FARM_COORDINATOR_KEY", "FARM_WORKER_KEY_FILE"} - defined
    if missing:
        raise Failure(f"farm.env.example leaves the workers' {sorted(missing)} unset")
    if "EnvironmentFile=" not in (UNITS / "farm-worker@.service").read_text():
        raise Failure("farm-worker@.service reads no EnvironmentFile, so it gets no keys")


def main() -> None:
    exit_on_signals()
    results = Results()
    tmp = Path(tempfile.mkdtemp(prefix="farm-systemd-test-"))
    try:
        try:
            tool = analyze()
            root = build_root(tmp)
        except Skip as skip:
            for name in ("systemd: verify units", "systemd: hardening exposure"):
                results.skip(name, str(skip))
            tool = root = None
        if tool and root:
            for unit in ("farm-coordinator.service", "farm-worker@0.service"):
                results.check(f"systemd: verify {unit}", lambda u=unit: verify(tool, root, u))
                results.check(f"systemd: hardening exposure of {unit}",
                              lambda u=unit: exposure(tool, root, u))
        results.check("systemd: worker instance binds its GPU", worker_binds_its_gpu)
        results.check("systemd: CURVE on: coordinator keys and allow lists, worker keys", auth_on)
        results.check("systemd: farm.env.example defines the units' variables",
                      env_example_defines_every_variable)
    except subprocess.SubprocessError as error:
        results.fail("systemd", str(error))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    results.exit()


if __name__ == "__main__":
    main()
