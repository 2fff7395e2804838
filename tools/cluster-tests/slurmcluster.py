"""A private single-node Slurm cluster (munged, slurmctld, slurmd) in a temp directory.

Runs as root with no cgroups (ProctrackType=proctrack/linuxproc, TaskPlugin=task/none), on
loopback, with its own munge socket, ports, spool and state, so it touches nothing of the machine's
own Slurm or munge. The node optionally advertises GPUs as gres backed by /dev/null-like devices so
that `--gpus-per-task` binding (CUDA_VISIBLE_DEVICES per task) can be exercised without GPUs.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

from clustertest import Failure, Skip, info, kill_all, processes_mentioning, run, wait_until

START_TIMEOUT = 40.0
STOP_TIMEOUT = 60.0
# Character devices present everywhere, standing in for GPU device files in gres.conf.
STAND_IN_GPU_DEVICES = ["/dev/null", "/dev/zero", "/dev/full", "/dev/random"]


def daemon(name: str) -> str:
    found = shutil.which(name) or next((f"{d}/{name}" for d in ("/usr/sbin", "/usr/bin", "/sbin")
                                        if os.access(f"{d}/{name}", os.X_OK)), None)
    if not found:
        raise Skip(f"{name} not installed (Debian packages slurm-wlm and munge)")
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SlurmCluster:
    def __init__(self, root: Path, gpus: int = 0) -> None:
        if gpus > len(STAND_IN_GPU_DEVICES):
            raise ValueError(f"at most {len(STAND_IN_GPU_DEVICES)} stand-in GPUs")
        self.root = root
        self.gpus = gpus
        self.node = socket.gethostname().split(".")[0]
        self.conf = root / "etc" / "slurm.conf"
        self.daemons: list[subprocess.Popen[bytes]] = []
        self.env = dict(os.environ, SLURM_CONF=str(self.conf))
        self.env.pop("SLURM_JOB_ID", None)

    # --- lifecycle ------------------------------------------------------------------------------
    def start(self) -> None:
        munged, slurmctld, slurmd = daemon("munged"), daemon("slurmctld"), daemon("slurmd")
        for sub in ("etc", "munge-key", "munge", "ctld", "spool", "log"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        os.chmod(self.root / "munge-key", 0o700)
        os.chmod(self.root / "munge", 0o755)
        key = self.root / "munge-key" / "munge.key"
        key.write_bytes(os.urandom(1024))
        os.chmod(key, 0o400)
        socket_path = self.root / "munge" / "munge.socket"
        self._spawn("munged", [munged, "--foreground", "--force", f"--socket={socket_path}",
                               f"--key-file={key}", f"--pid-file={self.root / 'munge' / 'pid'}",
                               f"--log-file={self.root / 'log' / 'munged.log'}",
                               f"--seed-file={self.root / 'munge' / 'seed'}"])
        wait_until("munged's socket", 10, socket_path.exists)
        self._write_config(socket_path)
        self._spawn("slurmctld", [slurmctld, "-D", "-i", "-f", str(self.conf)])
        self._spawn("slurmd", [slurmd, "-D", "-f", str(self.conf)])
        started = time.monotonic()
        wait_until(f"node {self.node} idle in sinfo", START_TIMEOUT, self._node_idle, interval=0.3)
        info(f"slurm cluster up in {time.monotonic() - started:.1f} s (config {self.conf})")

    def stop(self) -> None:
        """Cancels every job, stops the daemons, and kills anything left that carries our paths."""
        if self.daemons and all(d.poll() is None for d in self.daemons):
            subprocess.run(["scancel", "--full", "--user=root"], env=self.env, timeout=20,
                           capture_output=True, stdin=subprocess.DEVNULL)
            try:
                wait_until("every job to leave squeue", STOP_TIMEOUT, lambda: not self.jobs())
            except Failure as failure:
                info(str(failure))
        for proc in reversed(self.daemons):
            if proc.poll() is None:
                proc.terminate()
        for proc in reversed(self.daemons):
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        self.daemons.clear()
        leftovers = processes_mentioning(str(self.root))
        if leftovers:
            info(f"killing leftover processes of the test cluster: {leftovers}")
            kill_all(leftovers)

    def __enter__(self) -> "SlurmCluster":
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    # --- queries --------------------------------------------------------------------------------
    def command(self, args: list[str], timeout: float = 30, check: bool = True,
                env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        return run(args, timeout=timeout, env=dict(self.env, **(env or {})), check=check)

    def jobs(self) -> list[str]:
        done = self.command(["squeue", "--noheader", "--format=%i %T"], check=False)
        return [line for line in done.stdout.splitlines() if line.strip()]

    def job_state(self, job: str) -> str | None:
        """RUNNING, PENDING, COMPLETED, CANCELLED... while slurmctld remembers the job."""
        done = self.command(["scontrol", "show", "job", job], check=False)
        for field in done.stdout.split():
            if field.startswith("JobState="):
                return field.split("=", 1)[1]
        return None

    def log_tail(self, lines: int = 30) -> str:
        parts = []
        for name in ("slurmctld.log", "slurmd.log"):
            path = self.root / "log" / name
            if path.exists():
                parts.append(f"--- {name}\n" + "\n".join(path.read_text(errors="replace")
                                                         .splitlines()[-lines:]))
        return "\n".join(parts)

    # --- internals ------------------------------------------------------------------------------
    def _spawn(self, name: str, args: list[str]) -> None:
        out = open(self.root / "log" / f"{name}.out", "wb")
        self.daemons.append(subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT,
                                             stdin=subprocess.DEVNULL, env=self.env,
                                             start_new_session=True))
        out.close()

    def _node_idle(self) -> bool:
        for proc in self.daemons:
            if proc.poll() is not None:
                raise Failure(f"{proc.args[0]} exited with {proc.returncode}\n{self.log_tail()}")
        done = self.command(["sinfo", "--noheader", "--format=%T"], check=False, timeout=10)
        return done.returncode == 0 and done.stdout.strip() == "idle"

    def _write_config(self, munge_socket: Path) -> None:
        r = self.root
        cpus = os.cpu_count() or 1
        gres_node = ""
        lines = [
            "ClusterName=farmtest",
            f"SlurmctldHost={self.node}(127.0.0.1)",
            f"SlurmctldPort={free_port()}",
            f"SlurmdPort={free_port()}",
            "SlurmUser=root",
            "SlurmdUser=root",
            "AuthType=auth/munge",
            "CredType=cred/munge",
            f"AuthInfo=socket={munge_socket}",
            f"StateSaveLocation={r / 'ctld'}",
            f"SlurmdSpoolDir={r / 'spool'}",
            f"SlurmctldPidFile={r / 'ctld' / 'slurmctld.pid'}",
            f"SlurmdPidFile={r / 'spool' / 'slurmd.pid'}",
            f"SlurmctldLogFile={r / 'log' / 'slurmctld.log'}",
            f"SlurmdLogFile={r / 'log' / 'slurmd.log'}",
            "ProctrackType=proctrack/linuxproc",
            "TaskPlugin=task/none",
            "MpiDefault=none",
            "MailProg=/bin/true",
            "SchedulerType=sched/builtin",
            "SelectType=select/cons_tres",
            "SelectTypeParameters=CR_Core",
            "ReturnToService=2",
            "JobCompType=jobcomp/none",
            "JobAcctGatherType=jobacct_gather/none",
            "AccountingStorageType=accounting_storage/none",
            "SlurmdParameters=config_overrides",
            "KillWait=30",
            "MinJobAge=600",
        ]
        if self.gpus:
            lines.append("GresTypes=gpu")
            gres_node = f" Gres=gpu:{self.gpus}"
            (r / "etc" / "gres.conf").write_text(
                "AutoDetect=off\n" + "".join(f"Name=gpu File={device}\n"
                                             for device in STAND_IN_GPU_DEVICES[:self.gpus]))
        lines += [
            f"NodeName={self.node} NodeAddr=127.0.0.1 CPUs={cpus}{gres_node} State=UNKNOWN",
            f"PartitionName=farm Nodes={self.node} Default=YES MaxTime=INFINITE State=UP",
        ]
        self.conf.write_text("\n".join(lines) + "\n")
