"""Trainer-side cost of recording (issue 8's target: the farm wrapper adds <= 2% to the
unrecorded cost at 30 of every 100 steps recorded).

For Ant-v5 and a 16-env SyncVectorEnv of Ant-v5, the same seeded random-action loop runs in three
modes in one process run: no recording; gymnasium's RecordVideo (MuJoCo offscreen render + moviepy,
video_length=30, step_trigger every 100 steps); renderfarm's RecordVideo on a local farm (same
arguments). Reported per 1,000 env steps: CPU seconds of the trainer process (every thread, so the
courier thread's rollout building and submission count) and of the training thread alone; the farm
processes' CPU (coordinator + worker, from /proc) for the farm mode; and for the farm's last clip,
the latency from its last recorded step to its file in video_folder against `farm-worker render`
of the same clip alone (render + encode, including that process's start-up).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "python" / "tests"))
sys.path.insert(0, str(REPO / "python"))

import gymnasium as gym  # noqa: E402
import numpy as np  # noqa: E402

from local_farm import LocalFarm, process_cpu  # noqa: E402
from renderfarm.gymnasium import RecordVideo as FarmRecordVideo  # noqa: E402
from renderfarm.gymnasium.vector import RecordVideo as FarmVectorRecordVideo  # noqa: E402



def trigger(step: int) -> bool:
    return step % 100 == 0


def make_env(vector: bool, mode: str, folder: Path, farm: LocalFarm | None, size: tuple[int, int]):
    render_mode = "rgb_array" if mode == "gymnasium" else None
    if vector:
        env = gym.make_vec("Ant-v5", num_envs=16, vectorization_mode="sync", render_mode=render_mode,
                           width=size[0], height=size[1])
        if mode == "gymnasium":
            return gym.wrappers.vector.RecordVideo(env, str(folder), step_trigger=trigger, video_length=30)
        if mode == "farm":
            return FarmVectorRecordVideo(env, str(folder), step_trigger=trigger, video_length=30,
                                         endpoint=farm.client_endpoint, width=size[0], height=size[1])
        return env
    env = gym.make("Ant-v5", render_mode=render_mode, width=size[0], height=size[1])
    if mode == "gymnasium":
        return gym.wrappers.RecordVideo(env, str(folder), step_trigger=trigger, video_length=30)
    if mode == "farm":
        return FarmRecordVideo(env, str(folder), step_trigger=trigger, video_length=30,
                               endpoint=farm.client_endpoint, width=size[0], height=size[1])
    return env


def run(vector: bool, mode: str, steps: int, folder: Path, farm: LocalFarm | None, size: tuple[int, int],
        background: list[bytes] = ()) -> dict:
    """One timed loop. ``background`` rollouts are submitted to the farm just before it, so the farm
    renders the same clips while an unrecorded loop runs: the control for the farm wrapper on a
    machine where the farm shares the trainer's cores."""
    env = make_env(vector, "none" if mode == "busy" else mode, folder, farm, size)
    busy = []
    if background:
        from renderfarm.client import FarmClient

        with FarmClient(farm.client_endpoint) as client:
            busy = [client.submit(rollout, task="busy", run=f"busy-{time.monotonic_ns()}", clip_file=f"c{i}.mp4",
                                  video_length=30, width=size[0], height=size[1], presets=["newton_mjwarp"])["id"]
                    for i, rollout in enumerate(background)]
    orders = []
    if mode == "farm":
        courier = env._recorder.courier
        send = courier.send
        courier.send = lambda order: (orders.append(order), send(order))[1]
    env.reset(seed=0)
    env.action_space.seed(0)
    farm_before = process_cpu(farm.pids()) if mode == "farm" else 0.0
    process_before, thread_before = time.process_time(), time.thread_time()
    for _ in range(steps):
        env.step(env.action_space.sample())
    process_cpu_s, thread_cpu_s = time.process_time() - process_before, time.thread_time() - thread_before
    close_started = time.monotonic()
    missing = env.close()
    if busy:
        from renderfarm.client import FarmClient

        with FarmClient(farm.client_endpoint) as client:
            for job in busy:
                client.wait(job, timeout=600)
    result = {"process": process_cpu_s, "thread": thread_cpu_s, "close_s": time.monotonic() - close_started,
              "clips": len(list(folder.glob("*.mp4")))}
    if mode == "farm":
        result["process_with_close"] = time.process_time() - process_before
        result["farm"] = process_cpu(farm.pids()) - farm_before
        result["missing"] = missing
        result["latency"] = [clip.latency_s for clip in env.landed_clips]
        result["orders"] = orders
        result["last_order"] = orders[-1] if orders else None
        job = {**env._recorder.courier._job, **(orders[-1].job if orders else {})}
        result["camera"] = {"eye": job["eye"], "lookat": job["lookat"]}
    return result


def render_alone(order, env_camera: dict, size: tuple[int, int], workdir: Path) -> float:
    rollout = workdir / "alone.rlt"
    rollout.write_bytes(order.build_rollout())
    started = time.monotonic()
    subprocess.run([str(Path(os.environ.get("FARM_BIN_DIR", REPO / ".build/debug")) / "farm-worker"), "render",
                    "--rollout", str(rollout), "--out", str(workdir / "alone.mp4"), "--presets", "newton_mjwarp",
                    f"--eye={','.join(map(str, env_camera['eye']))}",
                    f"--lookat={','.join(map(str, env_camera['lookat']))}",
                    "--width", str(size[0]), "--height", str(size[1])], check=True, capture_output=True)
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=1000, help="Ant-v5 env steps per mode (default 1000)")
    parser.add_argument("--vector-steps", type=int, default=200,
                        help="steps of the 16-env vector env per mode (16 env steps each; default 200)")
    parser.add_argument("--repeats", type=int, default=3,
                        help="runs of no recording and of the farm wrapper, alternated; the least CPU is shown")
    parser.add_argument("--size", default="480x480", help="frame size of both recorders (gymnasium's default 480x480)")
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.split("x"))

    root = Path(tempfile.mkdtemp(prefix="bench-trainer-"))
    farm = LocalFarm(root / "farm").start()
    from renderfarm.client import FarmClient

    with FarmClient(farm.client_endpoint) as client:
        farm.wait_for_workers(client)
    rows = []
    try:
        for label, vector, steps in (("Ant-v5", False, args.steps), ("Ant-v5 × 16 (sync vector)", True, args.vector_steps)):
            env_steps = steps * (16 if vector else 1)
            runs: dict[str, list[dict]] = {"none": [], "busy": [], "farm": [], "gymnasium": []}
            # No recording, no recording beside a busy farm, and the farm wrapper alternate (this
            # machine's load drifts); gymnasium's recorder, two orders of magnitude dearer, runs once.
            background: list[bytes] = []
            for repeat in range(args.repeats):
                for mode in ("none", "busy", "farm"):
                    folder = root / f"{'vec' if vector else 'single'}-{mode}-{repeat}"
                    runs[mode].append(run(vector, mode, steps, folder, farm, size,
                                          background=background if mode == "busy" else ()))
                    if mode == "farm" and not background:
                        background = [order.build_rollout() for order in runs["farm"][-1]["orders"]]
            runs["gymnasium"].append(run(vector, "gymnasium", steps, root / f"{'vec' if vector else 'single'}-gym",
                                         None, size))
            results = {mode: min(found, key=lambda r: r["process"]) for mode, found in runs.items()}
            per_k = 1000 / env_steps
            base = results["busy"]["process"]
            farm_result = results["farm"]
            alone = None
            if farm_result["last_order"] is not None:
                alone = render_alone(farm_result["last_order"], farm_result["camera"], size, root)
            rows.append((label, env_steps, results, per_k, base, alone))
    finally:
        farm.stop()

    print(f"# tools/bench trainer --steps {args.steps} --vector-steps {args.vector_steps} --repeats {args.repeats} "
          f"--size {args.size}; recorder work alone: {recorder_step_us(size):.2f} µs per env step at 30/100 duty; "
          f"{os.cpu_count()} cores, load {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    print("| env | env steps | mode | trainer process CPU s / 1k steps | training thread CPU s / 1k | vs no recording beside the busy farm | clips | "
          "farm CPU s / 1k | clip latency s (median) | same clip rendered alone s |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for label, env_steps, results, per_k, base, alone in rows:
        for mode, name in (("none", "no recording"), ("busy", "no recording, farm rendering the same clips"),
                           ("gymnasium", "gymnasium RecordVideo"), ("farm", "renderfarm RecordVideo")):
            r = results[mode]
            ratio = f"{r['process'] / base:.3f}×" if mode != "busy" else "1"
            farm_cpu = f"{r['farm'] * per_k:.2f}" if mode == "farm" else ""
            latency = f"{np.median(r['latency']):.2f}" if mode == "farm" and r["latency"] else ""
            alone_s = f"{alone:.2f}" if mode == "farm" and alone is not None else ""
            print(f"| {label} | {env_steps} | {name} | {r['process'] * per_k:.4f} | {r['thread'] * per_k:.4f} | "
                  f"{ratio} | {r['clips']} | {farm_cpu} | {latency} | {alone_s} |")
        missing = results["farm"]["missing"]
        if missing:
            print(f"<!-- {label}: clips that did not land: {', '.join(missing)} -->")


def recorder_step_us(size: tuple[int, int]) -> float:
    """The training thread's added work per step, isolated: the wrapper's trigger check and, on
    recorded steps, the qpos copy (clip hand-over replaced by a no-op)."""
    from local_farm import free_endpoint

    env = FarmRecordVideo(gym.make("Ant-v5"), tempfile.mkdtemp(), step_trigger=trigger, video_length=30,
                          endpoint=free_endpoint(), width=size[0], height=size[1])
    recorder = env._recorder
    recorder.courier.send = lambda order: True
    calls = 100_000
    started = time.thread_time()
    for _ in range(calls):
        recorder.on_step()
    elapsed = time.thread_time() - started
    env.close(timeout=1)
    return elapsed / calls * 1e6


if __name__ == "__main__":
    main()
