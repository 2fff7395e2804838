"""Trainer-side CPU of recording (issue 20's target: the trainer process, every thread counted, pays
<= 2% over the unrecorded loop at 30 of every 100 steps recorded).

For Ant-v5, a 16-env SyncVectorEnv and a 16-env AsyncVectorEnv of it (whose worker processes' CPU
is not the trainer's) the same seeded random-action loop runs, alternating,
``--repeats`` times in each mode: bare (no recording); ``renderfarm.gymnasium.RecordVideo`` on a local
farm with ``video_folder`` under the farm's logs root (each clip filed there by the coordinator),
outside it (each clip linked from the farm's folder, which this machine sees), and outside it with
the farm's folder taken as unseen, as from another machine (each clip fetched over FETCH_CLIP); and
gymnasium's RecordVideo (MuJoCo offscreen render + moviepy). Recorders: ``step_trigger = step % 100
== 0``, ``video_length=30``.

Trainer CPU is ``time.process_time()`` (every thread of this process) from the loop's first step
until ``close()`` returns, so the courier's work for every clip the loop recorded counts, however long
the farm takes; for bare and gymnasium runs, until the loop (and gymnasium's close) ends. Reported per
1,000 env steps as the median and the min–max of the repeats, with the training thread's share
(``time.thread_time()``), the rest (courier and ZeroMQ threads) and its median over the bare loop's,
and the farm processes' CPU (coordinator + worker, /proc). A second table shows per clip the
courier thread's CPU (its whole life) and ZeroMQ's background threads' (each thread's CPU clock) with
their wake-ups (voluntary context switches); with ``--breakdown`` also where the courier's time goes
(thread CPU of its wake-ups, turning poses into body_q, encoding rollouts, SUBMIT, STATUS, FETCH_CLIP, linking),
timed call by call, which costs CPU of its own, so those runs' figures include it. The header gives
the training thread's own work per step, timed alone.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import gymnasium as gym

from renderfarm.client import FarmClient
from renderfarm.client import courier
from renderfarm.client.courier import ClipCourier
from renderfarm.farm import LocalFarm, free_endpoint, process_cpu
from renderfarm.gymnasium import RecordVideo as FarmRecordVideo
from renderfarm.gymnasium.mujoco_capture import MujocoCapture, WorkerCapture
from renderfarm.gymnasium.vector import RecordVideo as FarmVectorRecordVideo
from renderfarm.rollout import SceneEncoder

REPO = Path(__file__).resolve().parents[1]
MODES = {"bare": "bare (no recording)", "farm-filed": "renderfarm RecordVideo, clips filed by the farm",
         "farm-linked": "renderfarm RecordVideo, clips linked from the farm's folder",
         "farm-fetched": "renderfarm RecordVideo, clips fetched (farm's folder unseen)",
         "gymnasium": "gymnasium RecordVideo"}
VIDEO_LENGTH, INTERVAL, VECTOR_ENVS = 30, 100, 16
# The courier's calls whose thread CPU is accounted per clip.
COURIER_CALLS = (("wake-ups", ClipCourier, "_wait_for_work"), ("poses", MujocoCapture, "body_q"),
                 ("poses by mj_kinematics", WorkerCapture, "body_q"), ("encode rollout", SceneEncoder, "encode"),
                 ("SUBMIT", FarmClient, "submit"), ("STATUS", FarmClient, "status"),
                 ("FETCH_CLIP", FarmClient, "fetch_clip"), ("link", courier, "link_atomically"))
#: The courier thread's whole life (its calls above, and its bookkeeping between them).
COURIER_THREAD = ("courier thread", ClipCourier, "_run")


def zeromq_threads() -> tuple[float, int]:
    """CPU seconds and wake-ups (voluntary context switches) of this process's ZeroMQ background
    threads (its I/O thread and reaper, named ``ZMQbg/...``) so far; CPU from each thread's own
    clock (nanoseconds; /proc's ticks are 10 ms)."""
    cpu, wakeups = 0.0, 0
    for task in Path("/proc/self/task").iterdir():
        try:
            if not (task / "comm").read_text().startswith("ZMQbg"):
                continue
            cpu += time.clock_gettime((~int(task.name) << 3) | 6)  # the thread's CPUCLOCK_SCHED
            status = (task / "status").read_text()
        except (OSError, ValueError):
            continue  # the thread ended meanwhile
        wakeups += int(status.split("voluntary_ctxt_switches:")[1].split()[0])
    return cpu, wakeups


def trigger(step: int) -> bool:
    return step % INTERVAL == 0


class CourierLedger:
    """Thread CPU and calls of the courier's work, by kind, while installed (class methods wrapped)."""

    def __init__(self, calls: tuple[tuple[str, object, str], ...]):
        self._calls = calls
        self.cpu_s: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._originals: list[tuple[object, str, Callable]] = []

    def __enter__(self) -> CourierLedger:
        for label, owner, name in self._calls:
            original = getattr(owner, name)
            self._originals.append((owner, name, original))
            setattr(owner, name, self._timed(label, original))
        return self

    def _timed(self, label: str, original: Callable) -> Callable:
        def timed(*args, **kwargs):
            started = time.thread_time()
            try:
                return original(*args, **kwargs)
            finally:
                self.cpu_s[label] += time.thread_time() - started
                self.calls[label] += 1
        return timed

    def __exit__(self, *exc_info) -> None:
        for owner, name, original in self._originals:
            setattr(owner, name, original)


@contextmanager
def farm_folder_unseen(mode: str) -> Iterator[None]:
    """For ``farm-fetched``: the courier takes the farm's folder as not on this machine, as for a farm
    on another one, and fetches every clip."""
    if mode != "farm-fetched":
        yield
        return
    seen = courier.farm_folder
    courier.farm_folder = lambda video_dir: None
    try:
        yield
    finally:
        courier.farm_folder = seen


def make_env(vectorization: str | None, mode: str, folder: Path, farm: LocalFarm, size: tuple[int, int]):
    """Ant-v5 alone (``vectorization`` None) or VECTOR_ENVS of it (``"sync"``, ``"async"``), wrapped for ``mode``."""
    render_mode = "rgb_array" if mode == "gymnasium" else None
    kwargs = dict(step_trigger=trigger, video_length=VIDEO_LENGTH)
    farm_kwargs = dict(kwargs, endpoint=farm.client_endpoint, width=size[0], height=size[1], queue_size=64)
    if vectorization:
        # Async workers start from a fork server: this process holds threads (ZeroMQ, couriers, Mesa's
        # llvmpipe after gymnasium's renders), and workers forked from it hung (measured, 16 of them).
        vector_kwargs = {"context": "forkserver"} if vectorization == "async" else {}
        env = gym.make_vec("Ant-v5", num_envs=VECTOR_ENVS, vectorization_mode=vectorization, render_mode=render_mode,
                           vector_kwargs=vector_kwargs, width=size[0], height=size[1])
        if mode == "gymnasium":
            return gym.wrappers.vector.RecordVideo(env, str(folder), **kwargs)
        return FarmVectorRecordVideo(env, str(folder), **farm_kwargs) if mode.startswith("farm") else env
    env = gym.make("Ant-v5", render_mode=render_mode, width=size[0], height=size[1])
    if mode == "gymnasium":
        return gym.wrappers.RecordVideo(env, str(folder), **kwargs)
    return FarmRecordVideo(env, str(folder), **farm_kwargs) if mode.startswith("farm") else env


def run(vectorization: str | None, mode: str, steps: int, folder: Path, farm: LocalFarm, size: tuple[int, int],
        breakdown: bool) -> dict:
    """One timed loop, through ``close()``; with ``breakdown``, the courier's calls timed one by one
    (which costs CPU of its own: the figures of such a run include it)."""
    ledger = CourierLedger((*COURIER_CALLS, COURIER_THREAD) if breakdown else (COURIER_THREAD,))
    with ledger, farm_folder_unseen(mode):
        env = make_env(vectorization, mode, folder, farm, size)  # in the ledger: its courier thread's whole life
        env.reset(seed=0)
        env.action_space.seed(0)
        farm_before = process_cpu(farm.pids())
        process_before, thread_before, zeromq_before = time.process_time(), time.thread_time(), zeromq_threads()
        for _ in range(steps):
            env.step(env.action_space.sample())
        missing = env.close()
        process_s, thread_s = time.process_time() - process_before, time.thread_time() - thread_before
        zeromq_after = zeromq_threads()
        farm_s = process_cpu(farm.pids()) - farm_before
    result = {"process": process_s, "thread": thread_s, "zeromq": zeromq_after[0] - zeromq_before[0],
              "zeromq_wakeups": zeromq_after[1] - zeromq_before[1],
              "farm": farm_s if mode.startswith("farm") else 0.0,
              "clips": len(list(folder.glob("*.mp4"))), "missing": missing or [], "ledger": ledger}
    if mode.startswith("farm"):
        result["latency"] = [clip.latency_s for clip in env.landed_clips]
        result["fetched"] = {clip.fetched for clip in env.landed_clips}
    return result


def spread(values: list[float], scale: float) -> str:
    return f"{statistics.median(values) * scale:.4f} ({min(values) * scale:.4f}–{max(values) * scale:.4f})"


def recorder_step_us(size: tuple[int, int]) -> tuple[float, float]:
    """The training thread's own work per env step, timed alone: the trigger check on every step and
    the pose copy on recorded ones (clip hand-over replaced by a no-op); (per env step at 30/100
    duty, per recorded step)."""
    env = FarmRecordVideo(gym.make("Ant-v5"), tempfile.mkdtemp(), step_trigger=trigger, video_length=VIDEO_LENGTH,
                          endpoint=free_endpoint(), width=size[0], height=size[1])
    env.reset(seed=0)
    env._courier.send = lambda order: True
    calls = 100_000
    started = time.thread_time()
    for _ in range(calls):
        env._after_step()
    per_step = (time.thread_time() - started) / calls
    env.close(timeout=1)
    return per_step * 1e6, per_step * calls / (calls * VIDEO_LENGTH / INTERVAL) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=1000, help="Ant-v5 env steps per run (default 1000)")
    parser.add_argument("--vector-steps", type=int, default=200,
                        help=f"steps of the {VECTOR_ENVS}-env sync vector env per run (default 200)")
    parser.add_argument("--async-steps", type=int, default=200,
                        help=f"steps of the {VECTOR_ENVS}-env AsyncVectorEnv per run (default 200; 0 skips it)")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each mode, alternated (default 3)")
    parser.add_argument("--size", default="480x480", help="frame size of both recorders (gymnasium's default 480x480)")
    parser.add_argument("--modes", default=",".join(MODES), help=f"comma-separated, of {', '.join(MODES)}")
    parser.add_argument("--breakdown", action="store_true",
                        help="time the courier's calls one by one (its CPU then includes that timing's)")
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.split("x"))
    modes = args.modes.split(",")

    multiprocessing.set_forkserver_preload(["gymnasium", "mujoco", "numpy"])
    root = Path(tempfile.mkdtemp(prefix="bench-trainer-"))
    farm = LocalFarm(root / "farm", config_dir=REPO / "configs").start()
    farm.wait_for_workers()
    rows = []
    try:
        groups = (("Ant-v5", None, args.steps), (f"Ant-v5 × {VECTOR_ENVS} (sync vector)", "sync", args.vector_steps),
                  (f"Ant-v5 × {VECTOR_ENVS} (async vector)", "async", args.async_steps))
        for label, vectorization, steps in groups:
            if not steps:
                continue
            runs: dict[str, list[dict]] = {mode: [] for mode in modes}
            for repeat in range(args.repeats):
                for mode in modes:
                    name = f"{vectorization or 'single'}-{mode}-{repeat}"
                    folder = (farm.logs_root / "bench" / "Ant-v5" / name / "videos" / "train" if mode == "farm-filed"
                              else root / name)
                    runs[mode].append(run(vectorization, mode, steps, folder, farm, size, args.breakdown))
            rows.append((label, steps * (VECTOR_ENVS if vectorization else 1), runs))
    finally:
        farm.stop()

    alone_step, alone_recorded = recorder_step_us(size)
    print(f"# tools/bench trainer --steps {args.steps} --vector-steps {args.vector_steps} "
          f"--async-steps {args.async_steps} --repeats {args.repeats} --modes {args.modes}"
          f"{' --breakdown' if args.breakdown else ''} "
          f"--size {args.size}: {os.cpu_count()} cores, load {' '.join(Path('/proc/loadavg').read_text().split()[:3])} "
          f"at the end; the training thread's own recorder work, timed alone: {alone_step:.2f} µs per env step "
          f"({alone_recorded:.1f} µs per recorded step)")
    print()
    print("| env | env steps | mode | trainer CPU s / 1k env steps, median (min–max) | vs bare (median) | "
          "training thread s / 1k | other threads s / 1k (courier, ZeroMQ) | other threads vs bare (medians) | "
          "farm processes CPU s / 1k | clips | clip latency s (median) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for label, env_steps, runs in rows:
        per_k = 1000 / env_steps
        bare = statistics.median(r["process"] for r in runs["bare"]) if "bare" in runs else None
        for mode, found in runs.items():
            process = [r["process"] for r in found]
            ratio = f"{statistics.median(process) / bare:.3f}×" if bare else ""
            farm_mode = mode.startswith("farm")
            other = statistics.median(r["process"] - r["thread"] for r in found)
            share = f"{other / bare:.2%}" if bare and farm_mode else ""
            latency = [s for r in found for s in r.get("latency", [])]
            print(f"| {label} | {env_steps} | {MODES[mode]} | {spread(process, per_k)} | {ratio} | "
                  f"{spread([r['thread'] for r in found], per_k)} | "
                  f"{spread([r['process'] - r['thread'] for r in found], per_k)} | {share} | "
                  f"{spread([r['farm'] for r in found], per_k) if farm_mode else ''} | {found[0]['clips']} | "
                  f"{f'{statistics.median(latency):.2f}' if latency else ''} |")
            missing = sorted({m for r in found for m in r["missing"]})
            if missing:
                print(f"<!-- {label}, {mode}: clips that did not land: {', '.join(missing)} -->")
    print()
    print("Courier thread and ZeroMQ threads' CPU per clip (µs, all repeats)"
          + (", the courier's calls timed one by one (--breakdown)" if args.breakdown else "") + ":")
    print()
    calls = COURIER_CALLS if args.breakdown else ()
    print("| env | mode | " + "".join(f"{label} (calls/clip) | " for label, _, _ in calls)
          + ("calls' total | " if calls else "")
          + "courier thread, all | ZeroMQ threads (wake-ups/clip) | per recorded step, both |")
    print("|---|---|" + "---|" * (len(calls) + bool(calls) + 3))
    for label, _, runs in rows:
        for mode, found in runs.items():
            if not mode.startswith("farm"):
                continue
            clips = sum(r["clips"] for r in found) or 1
            cells, total = [], 0.0
            for kind, _, _ in calls:
                cpu = sum(r["ledger"].cpu_s[kind] for r in found) / clips * 1e6
                total += cpu
                cells.append(f"{cpu:.0f} ({sum(r['ledger'].calls[kind] for r in found) / clips:.1f})")
            thread = sum(r["ledger"].cpu_s[COURIER_THREAD[0]] for r in found) / clips * 1e6
            zeromq = sum(r["zeromq"] for r in found) / clips * 1e6
            zeromq_wakeups = sum(r["zeromq_wakeups"] for r in found) / clips
            print(f"| {label} | {MODES[mode]} | " + "".join(f"{cell} | " for cell in cells)
                  + (f"{total:.0f} | " if calls else "") + f"{thread:.0f} | {zeromq:.0f} ({zeromq_wakeups:.1f}) | {(thread + zeromq) / VIDEO_LENGTH:.1f} |")


if __name__ == "__main__":
    main()
