"""Shared pieces of the cluster tests: result lines, bounded waits, commands with timeouts.

Every test prints one line per check: `PASS: name`, `FAIL: name: why` or `SKIPPED: name: why`.
tools/test-cluster counts those lines and prints the closing `N passed, N failed, N skipped`.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, TypeVar

REPO = Path(__file__).resolve().parents[2]
T = TypeVar("T")


class Skip(Exception):
    """The check cannot run here; the message says why."""


class Failure(Exception):
    """The check ran and found something wrong; the message says what."""


class Results:
    def __init__(self) -> None:
        self.failed = 0

    def passed(self, name: str) -> None:
        print(f"PASS: {name}", flush=True)

    def fail(self, name: str, why: str) -> None:
        self.failed += 1
        print(f"FAIL: {name}: {why}", flush=True)

    def skip(self, name: str, why: str) -> None:
        print(f"SKIPPED: {name}: {why}", flush=True)

    def check(self, name: str, body: Callable[[], None]) -> bool:
        """Runs one check; returns whether it passed."""
        try:
            body()
        except Skip as skip:
            self.skip(name, str(skip))
            return False
        except Failure as failure:
            self.fail(name, str(failure))
            return False
        except (subprocess.SubprocessError, OSError, ValueError, KeyError) as error:
            self.fail(name, f"{type(error).__name__}: {error}")
            return False
        self.passed(name)
        return True

    def exit(self) -> None:
        sys.exit(1 if self.failed else 0)


def info(message: str) -> None:
    print(f"  {message}", flush=True)


def run(args: list[str], timeout: float, env: dict[str, str] | None = None,
        check: bool = True, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Runs a command with a time limit; with check, a non-zero exit is a Failure."""
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=timeout, env=env,
                              cwd=cwd, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as expired:
        raise Failure(f"`{' '.join(args)}` did not finish within {timeout:.0f} s") from expired
    if check and done.returncode != 0:
        raise Failure(f"`{' '.join(args)}` exited {done.returncode}: "
                      f"{(done.stderr or done.stdout).strip()[-800:]}")
    return done


def wait_until(what: str, timeout: float, probe: Callable[[], T | None],
               interval: float = 0.25) -> T:
    """Polls probe until it returns something other than None/False, or fails after timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise Failure(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def exit_on_signals() -> None:
    """Turns TERM/INT/HUP into SystemExit so `finally` blocks clean up daemons and temp dirs."""
    def handler(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, handler)


def processes_mentioning(marker: str) -> list[int]:
    """PIDs whose command line or environment contains marker (a unique temp path of ours)."""
    found = []
    needle = marker.encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if needle in (entry / "cmdline").read_bytes() or needle in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def processes_running(executables_dir: Path) -> list[tuple[int, str]]:
    """(pid, path) of processes whose executable or script lies in executables_dir."""
    found = []
    prefix = str(executables_dir.resolve()) + "/"
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            exe = os.readlink(entry / "exe")
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        script = argv[1].decode(errors="replace") if len(argv) > 1 else ""
        for path in (exe.removesuffix(" (deleted)"), script):
            if path.startswith(prefix):
                found.append((int(entry.name), path))
                break
    return found


def kill_all(pids: list[int], grace: float = 5.0) -> None:
    """TERM, then KILL after grace, each of the given PIDs (ours: found by our unique markers)."""
    for pid in pids:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + grace
    for pid in pids:
        while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        if Path(f"/proc/{pid}").exists():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
