"""LocalFarm: a real farm on this machine, for tests, benchmarks and trying the package out.

A farm-coordinator and ``workers`` farm-worker processes on free loopback ports, as ``farmctl up``
starts them, each logging to ``<root>/<name>.log``. Used as a context manager it waits for the
workers to register (none to wait for with ``workers=0``) and stops everything on exit (workers
first: SIGTERM, then SIGKILL after a grace period)::

    with LocalFarm(tmp_path) as farm, FarmClient(farm.client_endpoint) as client:
        client.submit(...)

The binaries are those in the folder ``FARM_BIN`` names, as for ``farmctl up`` and the cluster
scripts; without it, those beside the ``farm-coordinator`` on ``PATH`` (where the renderfarm-farm
wheel puts them; farmctl, which has no PATH lookup, takes its own folder).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

BIN_VARIABLE = "FARM_BIN"


def bin_directory() -> Path:
    """The folder of farm-coordinator, farm-worker and farmctl: ``FARM_BIN``, else ``PATH``'s."""
    named = os.environ.get(BIN_VARIABLE, "")
    if named:
        return Path(named)
    found = shutil.which("farm-coordinator")
    if found is None:
        raise FileNotFoundError(f"no farm binaries: set {BIN_VARIABLE} to their folder (a source checkout's is "
                                "`swift build --show-bin-path`), or pip install \"renderfarm[farm]\"")
    return Path(found).parent


LOWEST_FREE_PORT = 10_000


def ephemeral_range_start() -> int:
    """The kernel's first ephemeral port (IANA's 49152 where it cannot be read), at least 1,000 above
    ``LOWEST_FREE_PORT``."""
    try:
        start = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        start = 49_152
    return max(start, LOWEST_FREE_PORT + 1_000)


def free_port() -> int:
    """A loopback TCP port that binds now, chosen below the ephemeral range, by the rule of the farm's
    own launcher (``LoopbackPorts``): a port ``bind(0)`` hands out is ephemeral, and any outgoing
    connection may take it before the farm binds it; outgoing connections never take one below."""
    candidates = range(LOWEST_FREE_PORT, ephemeral_range_start())
    tries = 256
    for _ in range(tries):
        port = random.choice(candidates)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise OSError(f"no free loopback port in {candidates.start}-{candidates.stop - 1} after {tries} tries")


def free_endpoint() -> str:
    """A loopback TCP endpoint with a port nobody listens on right now (``free_port``)."""
    return f"tcp://127.0.0.1:{free_port()}"


def process_cpu(pids: Sequence[int]) -> float:
    """User + system CPU seconds the processes have used so far, from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / ticks


class LocalFarm:
    def __init__(self, root: str | os.PathLike[str], *, workers: int = 1,
                 logs_root: str | os.PathLike[str] | None = None, config_dir: str | os.PathLike[str] | None = None,
                 coordinator_arguments: Sequence[str] = (), worker_arguments: Sequence[str] = (),
                 launcher: Sequence[str] = (), bin_dir: str | os.PathLike[str] | None = None,
                 register_timeout: float = 60.0):
        """``root`` holds the state directory, the logs and (unless ``logs_root``) the clips.
        ``config_dir`` is every process's ``--config-dir`` (default: their own lookup).
        ``launcher`` prefixes every process's command line (``["taskset", "-c", "1"]`` pins the farm).
        ``bin_dir`` overrides ``bin_directory()``."""
        self.root = Path(root)
        self.state_dir = self.root / "state"
        self.logs_root = Path(logs_root) if logs_root is not None else self.root / "logs"
        self.worker_endpoint = free_endpoint()
        self.client_endpoint = free_endpoint()
        self.bin = Path(bin_dir) if bin_dir is not None else bin_directory()
        self.worker_count = workers
        self.config_arguments = ["--config-dir", str(config_dir)] if config_dir is not None else []
        self.coordinator_arguments = list(coordinator_arguments)
        self.worker_arguments = list(worker_arguments)
        self.launcher = list(launcher)
        self.register_timeout = register_timeout
        self.coordinator: subprocess.Popen[bytes] | None = None
        self.workers: list[subprocess.Popen[bytes]] = []

    def start(self) -> LocalFarm:
        """Starts the coordinator and the workers; returns at once (``wait_for_workers`` waits)."""
        self.root.mkdir(parents=True, exist_ok=True)
        self.coordinator = self._launch("coordinator", [
            str(self.bin / "farm-coordinator"), "--state-dir", str(self.state_dir), "--logs-root", str(self.logs_root),
            "--worker-endpoint", self.worker_endpoint, "--client-endpoint", self.client_endpoint,
            *self.config_arguments, *self.coordinator_arguments])
        for index in range(self.worker_count):
            self.workers.append(self._launch(f"worker-{index}", [
                str(self.bin / "farm-worker"), "--coordinator", self.worker_endpoint, *self.config_arguments,
                *self.worker_arguments]))
        return self

    def _launch(self, name: str, arguments: list[str]) -> subprocess.Popen[bytes]:
        with open(self.root / f"{name}.log", "wb") as log:
            return subprocess.Popen([*self.launcher, *arguments], stdout=log, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL)

    def __enter__(self) -> LocalFarm:
        try:
            self.start()
            if self.worker_count:
                self.wait_for_workers(timeout=self.register_timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.stop()

    def wait_for_workers(self, timeout: float = 60.0) -> None:
        """Polls WORKERS until every worker has registered."""
        from .client import FarmClient

        deadline = time.monotonic() + timeout
        with FarmClient(self.client_endpoint, timeout=10) as client:
            while time.monotonic() < deadline:
                self.check_alive()
                if len([w for w in client.workers() if w["state"] != "lost"]) >= self.worker_count:
                    return
                time.sleep(0.1)
        raise TimeoutError(f"{self.worker_count} workers did not register within {timeout:g} s; see {self.root}/*.log")

    def check_alive(self) -> None:
        """Raises, with the end of its log, if a process of the farm has exited."""
        named = [("coordinator", self.coordinator), *((f"worker-{i}", w) for i, w in enumerate(self.workers))]
        for name, process in named:
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
