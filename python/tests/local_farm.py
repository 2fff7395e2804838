"""A real local farm for tests and benchmarks: farm-coordinator and farm-worker processes on free
loopback ports, as `farmctl up` starts them. Always stopped by `stop()` (workers first, SIGTERM,
then SIGKILL after a grace period)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def bin_directory() -> Path:
    """``FARM_BIN_DIR`` (as conftest.py), else ``FARM_BIN`` (as farmctl up), else the package's debug
    build (``swift build``), else its release build."""
    named = os.environ.get("FARM_BIN_DIR") or os.environ.get("FARM_BIN")
    if named:
        return Path(named)
    for configuration in ("debug", "release"):
        candidate = REPO / ".build" / configuration
        if (candidate / "farm-coordinator").is_file():
            return candidate
    raise FileNotFoundError(f"no farm binaries: run `swift build` in {REPO} or set FARM_BIN")


def process_cpu(pids: list[int]) -> float:
    """User + system CPU seconds the processes have used so far, from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def free_endpoint() -> str:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return f"tcp://127.0.0.1:{probe.getsockname()[1]}"


class LocalFarm:
    def __init__(self, root: Path, *, workers: int = 1, logs_root: Path | None = None,
                 coordinator_arguments: list[str] = (), launcher: list[str] = ()):
        """``launcher`` prefixes every process's command line (``["taskset", "-c", "1"]`` pins the farm)."""
        self.root = Path(root)
        self.state_dir = self.root / "state"
        self.logs_root = Path(logs_root) if logs_root else self.root / "logs"
        self.worker_endpoint = free_endpoint()
        self.client_endpoint = free_endpoint()
        self.bin = bin_directory()
        self.worker_count = workers
        self.coordinator_arguments = list(coordinator_arguments)
        self.launcher = list(launcher)
        self.coordinator: subprocess.Popen | None = None
        self.workers: list[subprocess.Popen] = []

    def start(self) -> LocalFarm:
        self.root.mkdir(parents=True, exist_ok=True)
        self.coordinator = self._launch("coordinator", [
            str(self.bin / "farm-coordinator"), "--state-dir", str(self.state_dir), "--logs-root", str(self.logs_root),
            "--worker-endpoint", self.worker_endpoint, "--client-endpoint", self.client_endpoint,
            "--config-dir", str(REPO / "configs"), *self.coordinator_arguments])
        for index in range(self.worker_count):
            self.workers.append(self._launch(f"worker-{index}", [
                str(self.bin / "farm-worker"), "--coordinator", self.worker_endpoint,
                "--config-dir", str(REPO / "configs")]))
        return self

    def _launch(self, name: str, arguments: list[str]) -> subprocess.Popen:
        log = open(self.root / f"{name}.log", "wb")
        try:
            return subprocess.Popen([*self.launcher, *arguments], stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        finally:
            log.close()

    def wait_for_workers(self, client, timeout: float = 60.0) -> None:
        """Polls WORKERS until every worker has registered."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.check_alive()
            if len([w for w in client.workers() if w["state"] != "lost"]) >= self.worker_count:
                return
            time.sleep(0.1)
        raise TimeoutError(f"{self.worker_count} workers did not register within {timeout} s; see {self.root}/*.log")

    def check_alive(self) -> None:
        for name, process in [("coordinator", self.coordinator), *((f"worker-{i}", w) for i, w in enumerate(self.workers))]:
            if process is not None and process.poll() is not None:
                log = (self.root / f"{name}.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"{name} exited with {process.returncode}:\n{log}")

    def stop(self, grace: float = 20.0) -> None:
        for group in (self.workers, [self.coordinator] if self.coordinator else []):
            for process in group:
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + grace
            for process in group:
                try:
                    process.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        self.workers = []
        self.coordinator = None

    def pids(self) -> list[int]:
        return [p.pid for p in [self.coordinator, *self.workers] if p is not None]

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def ffprobe_frames(path: Path) -> tuple[int, int, int]:
    """(frames, width, height) of an MP4's video stream, counted by decoding (ffprobe -count_frames)."""
    out = subprocess.run(["ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
                          "stream=nb_read_frames,width,height", "-of", "csv=p=0", str(path)],
                         capture_output=True, text=True, check=True).stdout.strip()
    width, height, frames = (int(v) for v in out.split(","))
    return frames, width, height


try:
    import pytest
except ImportError:  # the benchmark imports LocalFarm without pytest
    pytest = None

if pytest is not None:
    @pytest.fixture(scope="module")
    def local_farm(tmp_path_factory):
        """A coordinator and one worker for the test module, stopped at its end."""
        from renderfarm.client import FarmClient

        farm = LocalFarm(tmp_path_factory.mktemp("farm")).start()
        try:
            with FarmClient(farm.client_endpoint, timeout=10) as client:
                farm.wait_for_workers(client)
            yield farm
        finally:
            farm.stop()
