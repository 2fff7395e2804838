#!/usr/bin/env python3
"""Runs cluster/slurm/farm.sbatch under a real single-node Slurm (slurmctld + slurmd + munged).

1. Mechanics, with stand-ins for the farm binaries (tools/cluster-tests/stand-ins): the coordinator
   starts with the contract's flags, workers get the worker endpoint, the client endpoint file is
   written, one GPU per worker through --gpus-per-task, logs land where documented, and both ways of
   stopping (ordered TERM to the batch script; plain scancel) leave no process behind.
2. The farm itself, with the built binaries (FARM_BIN, else `swift build --show-bin-path`): the
   built-in Cartpole job through farmctl, every clip checked with ffprobe, scancel, then the state
   checked (SQLite integrity, and a restarted coordinator still reports the job completed).
   Skipped, saying so, while the binaries do not implement the farm's command line (README.md) yet.

Needs root and Debian's slurm-wlm and munge (tools/test-cluster installs them); else SKIPPED.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from clustertest import (REPO, Failure, Results, Skip, exit_on_signals, info, kill_all,  # noqa: E402
                         processes_running, run, wait_until)
from slurmcluster import SlurmCluster  # noqa: E402

SBATCH = REPO / "cluster" / "slurm" / "farm.sbatch"
STAND_INS = Path(__file__).resolve().parent / "stand-ins"
STAND_IN_GPUS = 2

# The farm job: two gymnasium clips of 60 frames (steps 0 and 300) at Cartpole's 60 fps.
FARM_STEPS, CLIP_LENGTH, CLIP_INTERVAL = 600, 60, 300
FARM_TASK, FARM_WORKFLOW, FARM_RUN = "Isaac-Cartpole-v0", "rl_games", "slurm-cartpole"
EXPECTED_SIZE, EXPECTED_FPS = (1280, 720), "60/1"
FARM_JOB_TIMEOUT = 420

# The keys folder farm.sbatch made for each client endpoint (FARM_AUTH=curve, its default), so
# farmctl() presents that farm's client key.
CLIENT_KEYS: dict[str, Path] = {}


# Slurm's final job states; anything else (RUNNING, COMPLETING, SIGNALING...) is still going.
FINAL_JOB_STATES = {"COMPLETED", "CANCELLED", "FAILED", "TIMEOUT", "NODE_FAIL", "PREEMPTED",
                    "OUT_OF_MEMORY", "BOOT_FAIL", "DEADLINE"}


class Allocation:
    """One farm.sbatch job in the test cluster, with its own state, logs and event files."""

    def __init__(self, cluster: SlurmCluster, root: Path, farm_bin: Path,
                 sbatch_args: list[str] = (), extra_env: dict[str, str] | None = None,
                 reuse: "Allocation | None" = None) -> None:
        """reuse: run on an earlier allocation's state dir and logs root."""
        self.cluster = cluster
        self.root = root
        self.state = reuse.state if reuse else root / "state"
        self.logs = reuse.logs if reuse else root / "logs"
        self.events = root / "events.jsonl"
        root.mkdir(parents=True)
        env = {"FARM_STATE_DIR": str(self.state), "FARM_LOGS_ROOT": str(self.logs),
               "FARM_BIN": str(farm_bin), "FARM_BIND_ADDRESS": "127.0.0.1",
               "FARM_STANDIN_EVENTS": str(self.events), **(extra_env or {})}
        done = cluster.command(["sbatch", "--parsable", f"--chdir={root}", "--time=15",
                                f"--output={root}/slurm-%j.out", *sbatch_args, str(SBATCH)], env=env)
        self.job = done.stdout.strip().split(";")[0]
        info(f"sbatch job {self.job} in {root}")

    @property
    def endpoint_file(self) -> Path:
        return self.state / "endpoint"

    @property
    def slurm_out(self) -> Path:
        return self.root / f"slurm-{self.job}.out"

    def output(self) -> str:
        return self.slurm_out.read_text(errors="replace") if self.slurm_out.exists() else "(no output)"

    def wait_for_endpoint(self, timeout: float = 60) -> str:
        def written() -> str | None:
            state = self.cluster.job_state(self.job)
            if state in FINAL_JOB_STATES:
                raise Failure(f"job {self.job} ended ({state}) before writing the endpoint:\n"
                              f"{self.output()}\n{self.component_logs()}")
            text = self.endpoint_file.read_text().strip() if self.endpoint_file.exists() else ""
            return text or None
        try:
            endpoint = wait_until(f"{self.endpoint_file}", timeout, written)
            CLIENT_KEYS[endpoint] = self.state / "keys"
            return endpoint
        except Failure as failure:
            raise Failure(f"{failure}\n{self.output()}\n{self.cluster.log_tail()}") from None

    def component_logs(self) -> str:
        parts = []
        for path in sorted((self.state / f"slurm-{self.job}").glob("*.log")):
            lines = path.read_text(errors="replace").splitlines()[-15:]
            parts.append(f"--- {path.name}\n" + "\n".join(lines))
        return "\n".join(parts)

    def wait_until_gone(self, timeout: float = 90) -> str:
        """Waits for the job to leave the queue; returns its final state."""
        def ended() -> str | None:
            state = self.cluster.job_state(self.job)
            return state if state in FINAL_JOB_STATES else None
        return wait_until(f"job {self.job} to end", timeout, ended) or "unknown"

    def events_of(self, who: str | None = None, event: str | None = None) -> list[dict]:
        if not self.events.exists():
            return []
        found = [json.loads(line) for line in self.events.read_text().splitlines() if line.strip()]
        return [e for e in found if (who is None or e["who"] == who)
                and (event is None or e["event"] == event)]


def option(argv: list[str], name: str) -> str | None:
    return argv[argv.index(name) + 1] if name in argv else None


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise Failure(message)


def expect_no_processes(executables: Path, what: str) -> None:
    left = processes_running(executables)
    if left:
        kill_all([pid for pid, _ in left])
        raise Failure(f"{what}: processes still running after the allocation ended: {left}")


def check_endpoint(endpoint: str) -> int:
    expect(endpoint.startswith("tcp://127.0.0.1:"), f"endpoint file holds {endpoint!r}, "
           "expected tcp://127.0.0.1:PORT (the node's NodeAddr)")
    port = int(endpoint.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=5):
        pass
    return port


# --- 1. mechanics with stand-ins ------------------------------------------------------------------
def mechanics_software(cluster: SlurmCluster, tmp: Path) -> None:
    # The allocation's end as Slurm signals it (farm.sbatch's `--signal=B:TERM@60`: TERM to the
    # batch shell only), brought forward: a 2-minute allocation signalled 100 s before its end
    # gets TERM 20-50 s after it starts (slurmctld checks time limits every 30 s), after the
    # checks below.
    alloc = Allocation(cluster, tmp / "software", STAND_INS,
                       sbatch_args=["--time=2", "--signal=B:TERM@100"],
                       extra_env={"FARM_STANDIN_DRAIN_SECONDS": "2"})
    client_port = check_endpoint(alloc.wait_for_endpoint())
    wait_until("the worker's hello at the coordinator's worker port", 30,
               lambda: alloc.events_of("coordinator", "worker-hello"))

    [coordinator] = alloc.events_of("coordinator", "started")
    argv = coordinator["argv"]
    expect(option(argv, "--state-dir") == str(alloc.state.resolve()), f"--state-dir in {argv}")
    expect(option(argv, "--logs-root") == str(alloc.logs.resolve()), f"--logs-root in {argv}")
    expect(option(argv, "--client-endpoint") == f"tcp://127.0.0.1:{client_port}",
           f"--client-endpoint in {argv} does not match the endpoint file's port {client_port}")
    worker_port = option(argv, "--worker-endpoint").rsplit(":", 1)[1]
    workers = alloc.events_of("worker", "started")
    expect(len(workers) == 1, f"one software worker expected on a node without GPUs, got {len(workers)}")
    expect(option(workers[0]["argv"], "--coordinator") == f"tcp://127.0.0.1:{worker_port}",
           f"worker argv {workers[0]['argv']} lacks --coordinator tcp://127.0.0.1:{worker_port}")
    expect("--cuda-device" not in workers[0]["argv"], "a software worker got --cuda-device")
    check_keys(alloc, argv, [workers[0]["argv"]])

    out = alloc.output()
    expect(f"client endpoint written to {alloc.endpoint_file.resolve()}" in out,
           f"slurm-{alloc.job}.out does not say where the endpoint is:\n{out}")
    job_dir = alloc.state / f"slurm-{alloc.job}"
    expect((job_dir / "coordinator.log").exists(), f"no {job_dir}/coordinator.log")
    expect(list(job_dir.glob(f"worker-{cluster.node}-0.log")), f"no worker log in {job_dir}")
    expect((alloc.state / "slurm-job").read_text().strip() == alloc.job, "slurm-job file")

    state = alloc.wait_until_gone(timeout=120)
    expect(state == "COMPLETED", f"job ended {state} at its time limit, expected COMPLETED (stopped "
           f"by its own trap before the limit):\n{alloc.output()}")
    drained = alloc.events_of("worker", "drained")
    coordinator_term = alloc.events_of("coordinator", "term")
    expect(len(drained) == 1 and len(coordinator_term) == 1,
           f"worker drained {len(drained)}x, coordinator got TERM {len(coordinator_term)}x:\n"
           f"{alloc.output()}")
    expect(drained[0]["t"] <= coordinator_term[0]["t"],
           "the coordinator was stopped before the worker finished draining")
    expect(alloc.events_of("coordinator", "stopped"), "coordinator did not stop cleanly")
    expect(not alloc.endpoint_file.exists(), "endpoint file left behind after the farm stopped")
    expect("coordinator stopped (exit status 0)" in alloc.output(), alloc.output())
    expect_no_processes(STAND_INS, "ordered stop")


def mechanics_gpus(cluster: SlurmCluster, tmp: Path) -> None:
    # No --ntasks-per-node: one CPU for two GPUs, which must still give one worker per GPU.
    alloc = Allocation(cluster, tmp / "gpus", STAND_INS,
                       sbatch_args=[f"--gpus-per-node={STAND_IN_GPUS}"],
                       extra_env={"FARM_STANDIN_DRAIN_SECONDS": "1"})
    check_endpoint(alloc.wait_for_endpoint())
    wait_until(f"{STAND_IN_GPUS} worker hellos", 30,
               lambda: len(alloc.events_of("coordinator", "worker-hello")) >= STAND_IN_GPUS)
    workers = alloc.events_of("worker", "started")
    expect(len(workers) == STAND_IN_GPUS, f"{len(workers)} workers for {STAND_IN_GPUS} GPUs")
    devices = sorted(w["cuda_visible_devices"] or "" for w in workers)
    expect(all(d and "," not in d for d in devices) and len(set(devices)) == STAND_IN_GPUS,
           f"each worker should see one distinct GPU, CUDA_VISIBLE_DEVICES were {devices}")
    for worker in workers:
        expect(option(worker["argv"], "--cuda-device") == "0",
               f"GPU worker argv {worker['argv']} lacks --cuda-device 0")
    info(f"workers bound to CUDA_VISIBLE_DEVICES {devices}")

    # A user's plain scancel: Slurm sends TERM to every process of the job at once.
    cluster.command(["scancel", alloc.job])
    state = alloc.wait_until_gone()
    expect(state == "CANCELLED", f"job ended {state} after scancel")
    expect(len(alloc.events_of("worker", "term")) == STAND_IN_GPUS, "not every worker got TERM")
    expect(not alloc.endpoint_file.exists(), "endpoint file left behind after scancel")
    expect_no_processes(STAND_INS, "scancel")


def mechanics_join(cluster: SlurmCluster, tmp: Path) -> None:
    farm = Allocation(cluster, tmp / "join-farm", STAND_INS)
    farm.wait_for_endpoint()
    worker_endpoint = (farm.state / "worker-endpoint").read_text().strip()
    joined = Allocation(cluster, tmp / "join-workers", STAND_INS, reuse=farm,
                        extra_env={"FARM_ROLE": "workers", "FARM_STANDIN_EVENTS": str(farm.events)})
    wait_until("the joined allocation's worker at the farm's coordinator", 30,
               lambda: len(farm.events_of("coordinator", "worker-hello")) >= 2)
    joined_workers = [w for w in farm.events_of("worker", "started")
                      if option(w["argv"], "--coordinator") == worker_endpoint]
    expect(len(joined_workers) == 2, f"both workers should use {worker_endpoint}: {joined_workers}")
    [coordinator] = farm.events_of("coordinator", "started")
    check_keys(farm, coordinator["argv"], [w["argv"] for w in joined_workers])
    expect(len(farm.events_of("coordinator", "started")) == 1, "the joining allocation started a coordinator")

    cluster.command(["scancel", "--batch", "--signal=TERM", farm.job])
    expect(farm.wait_until_gone() == "COMPLETED", f"farm job did not complete:\n{farm.output()}")
    state = joined.wait_until_gone(timeout=60)
    expect(state == "COMPLETED", f"joined workers ended {state} once the farm stopped:\n{joined.output()}")
    expect(f"the farm at {worker_endpoint} stopped" in joined.output(), joined.output())
    expect(len(farm.events_of("worker", "drained")) == 2, "not every worker drained")
    expect_no_processes(STAND_INS, "joined workers")


# --- 2. the farm itself ---------------------------------------------------------------------------
def farm_binaries() -> Path:
    if os.environ.get("FARM_BIN"):
        return Path(os.environ["FARM_BIN"])
    done = run(["swift", "build", "--show-bin-path"], timeout=180, cwd=REPO, check=False)
    if done.returncode != 0:
        raise Skip(f"`swift build --show-bin-path` failed: {done.stderr.strip()[-300:]}")
    return Path(done.stdout.strip().splitlines()[-1])


def require_contract(farm_bin: Path) -> None:
    """Skips (saying why) while the binaries lack the farm's flags (README.md); once they have them, any
    failure of the farm is a test failure."""
    for binary in ("farm-coordinator", "farm-worker", "farmctl"):
        if not os.access(farm_bin / binary, os.X_OK):
            raise Skip(f"{farm_bin / binary} not built (run `swift build` first)")
    # farm-worker is not probed: its options may sit under a default subcommand that --help does
    # not show. Once these two have their flags, a worker that does not work fails the test.
    wanted = [(["farm-coordinator", "--help"], "--state-dir"),
              (["farmctl", "submit", "--help"], "--builtin")]
    for args, flag in wanted:
        binary = farm_bin / args[0]
        done = run([str(binary), *args[1:]], timeout=30, check=False)
        if flag not in done.stdout + done.stderr:
            raise Skip(f"`{binary.name} {' '.join(args[1:])}` does not offer {flag} yet: the farm "
                       "does not implement the farm's command line (README.md) in this build")


def parse_json(text: str, what: str):
    try:
        return json.loads(text)
    except ValueError:
        raise Failure(f"`{what}` did not print JSON: {text[:500]!r}") from None


def farmctl(farm_bin: Path, args: list[str], endpoint: str, timeout: float,
            check: bool = True) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    keys = CLIENT_KEYS.get(endpoint)
    if keys is not None:
        env["FARM_COORDINATOR_KEY"] = (keys / "coordinator.key.pub").read_text().strip()
        env["FARM_CLIENT_KEY_FILE"] = str(keys / "client.key")
    return run([str(farm_bin / "farmctl"), *args, "--coordinator", endpoint], timeout=timeout,
               env=env, check=check)


def check_keys(alloc: Allocation, coordinator_argv: list[str], worker_argvs: list[list[str]]) -> None:
    """farm.sbatch's default FARM_AUTH=curve: key pairs only the owner reads, allow lists, and the
    flags that hand them to the coordinator and every worker."""
    keys = alloc.state.resolve() / "keys"
    expect(keys.is_dir() and keys.stat().st_mode & 0o777 == 0o700, f"{keys} should be a 0700 folder")
    for name in ("coordinator", "worker", "client"):
        mode = (keys / f"{name}.key").stat().st_mode & 0o777
        expect(mode == 0o600, f"{keys}/{name}.key has mode {oct(mode)}, expected 0o600")
    for flag, name in (("--curve-key-file", "coordinator.key"), ("--worker-allow-list", "workers.allow"),
                       ("--client-allow-list", "clients.allow"), ("--operator-allow-list", "operators.allow")):
        expect(option(coordinator_argv, flag) == str(keys / name), f"{flag} in {coordinator_argv}")
    expect((keys / "workers.allow").read_text() == (keys / "worker.key.pub").read_text(),
           "workers.allow should list the farm's worker key")
    coordinator_key = (keys / "coordinator.key.pub").read_text().strip()
    for argv in worker_argvs:
        expect(option(argv, "--key-file") == str(keys / "worker.key"), f"--key-file in {argv}")
        expect(option(argv, "--coordinator-key") == coordinator_key, f"--coordinator-key in {argv}")


def ffprobe(clip: Path) -> dict:
    done = run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-count_frames",
                "-show_entries", "stream=codec_name,width,height,nb_read_frames,avg_frame_rate,pix_fmt",
                "-of", "json", str(clip)], timeout=60)
    streams = json.loads(done.stdout).get("streams", [])
    if not streams:
        raise Failure(f"{clip}: no video stream")
    return streams[0]


def sqlite_files(state: Path) -> list[Path]:
    found = []
    for path in state.rglob("*"):
        if path.is_file():
            with path.open("rb") as file:
                if file.read(16) == b"SQLite format 3\x00":
                    found.append(path)
    return found


def check_state_consistent(state: Path, tmp: Path) -> None:
    databases = sqlite_files(state)
    expect(databases, f"no SQLite database under {state}")
    for database in databases:
        copy_dir = tmp / "db-copy"
        shutil.rmtree(copy_dir, ignore_errors=True)
        copy_dir.mkdir()
        for sibling in database.parent.glob(database.name + "*"):
            shutil.copy2(sibling, copy_dir / sibling.name)
        with sqlite3.connect(copy_dir / database.name) as connection:
            verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
        expect(verdict == "ok", f"{database}: integrity_check says {verdict}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def restarted_coordinator_reports(farm_bin: Path, alloc: Allocation, job_id: str) -> None:
    """A coordinator started again on the allocation's state still knows the job as completed."""
    worker_port, client_port = free_port(), free_port()
    keys = alloc.state / "keys"
    CLIENT_KEYS[f"tcp://127.0.0.1:{client_port}"] = keys
    log = open(alloc.root / "restarted-coordinator.log", "wb")
    coordinator = subprocess.Popen(
        [str(farm_bin / "farm-coordinator"), "--state-dir", str(alloc.state),
         "--logs-root", str(alloc.logs), "--worker-endpoint", f"tcp://127.0.0.1:{worker_port}",
         "--client-endpoint", f"tcp://127.0.0.1:{client_port}",
         "--curve-key-file", str(keys / "coordinator.key"), "--worker-allow-list", str(keys / "workers.allow"),
         "--client-allow-list", str(keys / "clients.allow")],
        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    log.close()
    try:
        done = farmctl(farm_bin, ["status", job_id, "--wait", "--json"],
                       f"tcp://127.0.0.1:{client_port}", timeout=60, check=False)
        expect(done.returncode == 0, f"after restart, `farmctl status {job_id} --wait` exited "
               f"{done.returncode}: {done.stderr.strip()[-500:]}")
    finally:
        coordinator.terminate()
        try:
            status = coordinator.wait(timeout=20)
        except subprocess.TimeoutExpired:
            coordinator.kill()
            coordinator.wait(timeout=5)
            raise Failure("restarted coordinator did not stop within 20 s of TERM") from None
    expect(status == 0, f"restarted coordinator exited {status} on TERM")


def wait_for_worker(farm_bin: Path, endpoint: str, timeout: float = 90) -> dict:
    """The first worker `farmctl workers --json` lists, checked for the fields README.md names."""
    def workers_listed() -> list | None:
        done = farmctl(farm_bin, ["workers", "--json"], endpoint, timeout=20, check=False)
        if done.returncode != 0:
            return None
        listed = parse_json(done.stdout, "farmctl workers --json")
        expect(isinstance(listed, list), f"`farmctl workers --json` printed {done.stdout[:300]!r}, "
               "expected a list of workers")
        return listed or None
    worker = wait_until("a worker in `farmctl workers --json`", timeout, workers_listed, interval=1)[0]
    for field in ("id", "host", "pid", "device", "renderer", "state", "clip", "fps", "last_beat"):
        expect(field in worker, f"`farmctl workers --json` entry lacks {field}: {worker}")
    return worker


def plan_clips(farm_bin: Path, steps: int, length: int, interval: int) -> list[dict]:
    plan = parse_json(run([str(farm_bin / "farmctl"), "plan", "--steps", str(steps), "--video_length",
                           str(length), "--video_interval", str(interval), "--json"],
                          timeout=30).stdout, "farmctl plan --json")
    expect(len(plan) >= 2, f"the plan for {steps} steps has {len(plan)} clips")
    return plan


def submit(farm_bin: Path, endpoint: str, run_name: str, steps: int, length: int, interval: int,
           wait: bool) -> dict:
    """Submits the built-in Cartpole job; returns the job record farmctl prints."""
    done = farmctl(farm_bin, [
        "submit", "--builtin", "cartpole", "--steps", str(steps), "--num_envs", "4",
        "--task", FARM_TASK, "--workflow", FARM_WORKFLOW, "--run", run_name,
        "--video_length", str(length), "--video_interval", str(interval), "--json",
        *(["--wait"] if wait else [])], endpoint, timeout=FARM_JOB_TIMEOUT, check=False)
    expect(done.returncode == 0, f"farmctl submit{' --wait' if wait else ''} exited "
           f"{done.returncode}: {done.stderr.strip()[-800:]}")
    record = parse_json(done.stdout, "farmctl submit --json")
    expect(isinstance(record, dict) and "id" in record,
           f"farmctl submit --json printed {done.stdout[:300]!r}, expected the job record")
    return record


def videos_dir(alloc: Allocation, run_name: str, record: dict) -> Path:
    run_dirs = [d for d in (alloc.logs / FARM_WORKFLOW / FARM_TASK).glob("*")
                if d.name == run_name or d.name.endswith("_" + run_name)]
    expect(len(run_dirs) == 1, f"expected one run directory for {run_name} under "
           f"{alloc.logs / FARM_WORKFLOW / FARM_TASK}, found {run_dirs}")
    videos = run_dirs[0] / "videos" / "train"
    reported = record.get("video_dir", record.get("videoDir"))
    expect(reported is None or Path(reported).resolve() == videos.resolve(),
           f"the job record's video_dir {reported} is not where the clips are ({videos})")
    return videos


def check_clips(videos: Path, plan: list[dict]) -> None:
    """The folder holds exactly the planned clips (nothing half-written), each valid."""
    present = sorted(p.name for p in videos.iterdir()) if videos.is_dir() else []
    expected = sorted(clip["file"] for clip in plan)
    expect(present == expected, f"{videos} holds {present}, the plan says {expected}")
    for clip in plan:
        stream = ffprobe(videos / clip["file"])
        got = (stream.get("codec_name"), stream.get("width"), stream.get("height"),
               int(stream.get("nb_read_frames", -1)), stream.get("avg_frame_rate"))
        want = ("h264", *EXPECTED_SIZE, clip["frames"], EXPECTED_FPS)
        expect(got == want, f"{clip['file']}: (codec, width, height, frames, fps) = {got}, "
               f"expected {want}")


def farm_allocation(cluster: SlurmCluster, root: Path, farm_bin: Path,
                    reuse: Allocation | None = None) -> Allocation:
    # The node's CPUs for the software worker, and no GPUs: --exclusive would also hand it the
    # test node's stand-in GPUs.
    return Allocation(cluster, root, farm_bin,
                      sbatch_args=[f"--cpus-per-task={min(2, os.cpu_count() or 1)}"], reuse=reuse)


def refused_without_keys(farm_bin: Path, alloc: Allocation, endpoint: str) -> None:
    """The farm refuses farmctl with no key, and with a key not in its client allow list."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FARM_")}
    done = run([str(farm_bin / "farmctl"), "workers", "--coordinator", endpoint, "--timeout", "3"],
               timeout=30, env=env, check=False)
    expect(done.returncode != 0 and "refused this client's connection" in done.stderr and "requires CURVE keys" in done.stderr,
           f"farmctl without a key was answered, or not told why (exit {done.returncode}): {done.stdout[:200]!r} {done.stderr[-300:]!r}")
    stranger = alloc.root / "stranger.key"
    run([str(farm_bin / "farmctl"), "keys", "generate", "--out", str(stranger)], timeout=30, env=env)
    env["FARM_COORDINATOR_KEY"] = (alloc.state / "keys" / "coordinator.key.pub").read_text().strip()
    env["FARM_CLIENT_KEY_FILE"] = str(stranger)
    done = run([str(farm_bin / "farmctl"), "workers", "--coordinator", endpoint, "--timeout", "3"],
               timeout=30, env=env, check=False)
    expect(done.returncode != 0 and "refused this client's connection" in done.stderr and "not in its client allow list" in done.stderr,
           f"farmctl with an unlisted key was answered, or not told why (exit {done.returncode}): {done.stdout[:200]!r} "
           f"{done.stderr[-300:]!r}")
    info("farmctl without a key, and with an unlisted key, was refused and told so")


def explained(alloc: Allocation, failure: Failure) -> Failure:
    return Failure(f"{failure}\n--- slurm-{alloc.job}.out\n{alloc.output()}\n{alloc.component_logs()}")


def farm_cartpole(cluster: SlurmCluster, tmp: Path, farm_bin: Path) -> None:
    started = time.monotonic()
    alloc = farm_allocation(cluster, tmp / "farm", farm_bin)
    try:
        endpoint = alloc.wait_for_endpoint()
        check_endpoint(endpoint)
        worker = wait_for_worker(farm_bin, endpoint)
        info(f"worker {worker['id']} on {worker['device']} ({worker['renderer']})")
        refused_without_keys(farm_bin, alloc, endpoint)

        plan = plan_clips(farm_bin, FARM_STEPS, CLIP_LENGTH, CLIP_INTERVAL)
        record = submit(farm_bin, endpoint, FARM_RUN, FARM_STEPS, CLIP_LENGTH, CLIP_INTERVAL, wait=True)
        job_id = str(record["id"])
        farmctl(farm_bin, ["status", job_id, "--wait", "--json"], endpoint, timeout=60)
        info(f"farm job {job_id} completed {time.monotonic() - started:.0f} s after sbatch")
        check_clips(videos_dir(alloc, FARM_RUN, record), plan)
        info(f"{len(plan)} clips valid: h264 {EXPECTED_SIZE[0]}x{EXPECTED_SIZE[1]} at {EXPECTED_FPS}")

        beats = (alloc.state / "heartbeats.jsonl").read_text().splitlines()
        expect(beats, "heartbeats.jsonl is empty")
        expect(all(isinstance(json.loads(line), dict) for line in beats if line.strip()),
               "heartbeats.jsonl has a line that is not a JSON object")

        cluster.command(["scancel", alloc.job])
        state = alloc.wait_until_gone()
        expect(state == "CANCELLED", f"farm job ended {state} after scancel")
        expect("coordinator stopped (exit status 0)" in alloc.output(),
               "the coordinator did not stop cleanly on TERM")
        expect(not alloc.endpoint_file.exists(), "endpoint file left behind after scancel")
        expect_no_processes(farm_bin, "farm after scancel")
        check_state_consistent(alloc.state, tmp)
        restarted_coordinator_reports(farm_bin, alloc, job_id)
        info(f"farm test took {time.monotonic() - started:.0f} s from sbatch to verified state")
    except Failure as failure:
        raise explained(alloc, failure) from None
    finally:
        left = processes_running(farm_bin)
        if left:
            kill_all([pid for pid, _ in left])


def farm_drain_and_resume(cluster: SlurmCluster, tmp: Path, farm_bin: Path) -> None:
    """TERM while a clip renders (what the time limit does): the worker finishes and files it,
    then the coordinator stops; a new allocation on the same state dir finishes the job."""
    started = time.monotonic()
    steps, length, interval, run_name = 600, 120, 300, "slurm-resume"
    first = farm_allocation(cluster, tmp / "drain-1", farm_bin)
    second = None
    try:
        endpoint = first.wait_for_endpoint()
        wait_for_worker(farm_bin, endpoint)
        plan = plan_clips(farm_bin, steps, length, interval)
        record = submit(farm_bin, endpoint, run_name, steps, length, interval, wait=False)

        def rendering() -> dict | None:
            done = farmctl(farm_bin, ["workers", "--json"], endpoint, timeout=20, check=False)
            busy = [w for w in parse_json(done.stdout, "farmctl workers --json") or []
                    if w.get("state") == "rendering"] if done.returncode == 0 else []
            return busy[0] if busy else None
        busy = wait_until("a worker rendering the job's first clip", 60, rendering, interval=0.5)
        cluster.command(["scancel", "--batch", "--signal=TERM", first.job])
        state = first.wait_until_gone(timeout=120)
        expect(state == "COMPLETED", f"first allocation ended {state} after TERM")
        expect("workers stopped (srun exit status 0)" in first.output(), "workers did not drain cleanly")
        expect("coordinator stopped (exit status 0)" in first.output(), "coordinator did not stop cleanly")
        videos = videos_dir(first, run_name, record)
        index = busy.get("clip")
        expect(isinstance(index, int) and 0 <= index < len(plan),
               f"`farmctl workers` reports clip {index!r} for a job of {len(plan)} clips")
        filed = {p.name for p in videos.iterdir()}
        expect(plan[index]["file"] in filed, f"the clip in flight at TERM, {plan[index]['file']}, "
               f"was not filed; {videos} holds {sorted(filed)}")
        check_clips(videos, [clip for clip in plan if clip["file"] in filed])
        info(f"clip {plan[index]['file']} in flight at TERM was finished and filed")

        second = farm_allocation(cluster, tmp / "drain-2", farm_bin, reuse=first)
        endpoint = second.wait_for_endpoint()
        farmctl(farm_bin, ["status", str(record["id"]), "--wait", "--json"], endpoint,
                timeout=FARM_JOB_TIMEOUT)
        check_clips(videos, plan)
        cluster.command(["scancel", "--batch", "--signal=TERM", second.job])
        expect(second.wait_until_gone(timeout=120) == "COMPLETED", "second allocation did not stop")
        expect_no_processes(farm_bin, "farm after the second allocation")
        info(f"job resumed by a second allocation; {time.monotonic() - started:.0f} s in all")
    except Failure as failure:
        raise explained(second or first, failure) from None
    finally:
        left = processes_running(farm_bin)
        if left:
            kill_all([pid for pid, _ in left])


def shellcheck_clean() -> None:
    tool = shutil.which("shellcheck")
    if not tool:
        raise Skip("shellcheck not installed (Debian package shellcheck)")
    run([tool, "--external-sources", str(SBATCH), str(REPO / "tools" / "test-cluster")], timeout=60)


def main() -> None:
    exit_on_signals()
    results = Results()
    results.check("slurm: farm.sbatch and tools/test-cluster pass shellcheck", shellcheck_clean)
    names = ["slurm: software worker, endpoint file, ordered drain at the allocation's time limit",
             "slurm: one worker per GPU, plain scancel",
             "slurm: FARM_ROLE=workers allocation joins a farm and leaves with it; scancel --batch drains",
             "slurm: Cartpole job through the farm under sbatch, clips valid, scancel stops it",
             "slurm: TERM mid-clip drains and files it; a new allocation on the state finishes the job"]
    if os.geteuid() != 0:
        for name in names:
            results.skip(name, "needs root to run slurmctld/slurmd/munged (Debian's slurm-wlm and munge, no cgroups)")
        results.exit()
    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="farm-slurm-test-"))
    try:
        with SlurmCluster(tmp / "cluster", gpus=STAND_IN_GPUS) as cluster:
            results.check(names[0], lambda: mechanics_software(cluster, tmp))
            results.check(names[1], lambda: mechanics_gpus(cluster, tmp))
            results.check(names[2], lambda: mechanics_join(cluster, tmp))

            try:
                farm_bin = farm_binaries()
                require_contract(farm_bin)
            except Skip as skip:
                results.skip(names[3], str(skip))
                results.skip(names[4], str(skip))
            else:
                if results.check(names[3], lambda: farm_cartpole(cluster, tmp, farm_bin)):
                    results.check(names[4], lambda: farm_drain_and_resume(cluster, tmp, farm_bin))
                else:
                    results.skip(names[4], "runs only once the Cartpole farm test above passes")
    except Skip as skip:
        for name in names:
            results.skip(name, str(skip))
    except Failure as failure:
        results.fail("slurm: single-node cluster", str(failure))
    finally:
        if os.environ.get("FARM_TEST_KEEP"):
            info(f"kept {tmp} (FARM_TEST_KEEP is set)")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
        info(f"slurm tests took {time.monotonic() - started:.0f} s")
    results.exit()


if __name__ == "__main__":
    main()
