"""`tools/bench isaaclab`: what recording costs a live Isaac Lab 3 training, three ways, in one run.

    none      isaaclab train ... --viz none                     (no visualizer, no video)
    isaaclab  isaaclab train ... --viz newton_gl --video ...    (Isaac Lab records in-process)
    farm      the same with --external_callback renderfarm.isaaclab.install (the farm records)

Each is `isaaclab train --task Isaac-Cartpole-Direct --num_envs N --max_iterations I` on the CPU,
kit-less on Newton, from the venv tools/setup-isaaclab makes; the variants alternate, repeat R times.
Reported per variant: env-steps/s (rsl_rl's "Steps per second", the median over iterations after the
first, which compiles Warp's kernels), the trainer process's CPU seconds (all its threads and
children, getrusage), and for `farm` the farm's CPU seconds (coordinator and worker, /proc), beside
the ratio to `none`. Two placements: `shared` (trainer and farm on both cores) and `pinned` (every
trainer on core 0 with `taskset -c 0`, the farm's processes on core 1).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from renderfarm.client import FarmClient
from renderfarm.farm import LocalFarm, process_cpu

REPO = Path(__file__).resolve().parents[1]

VARIANTS = ("none", "isaaclab", "farm")


def train(venv: Path, variant: str, cwd: Path, *, endpoint: str, envs: int, iterations: int, video_length: int,
          video_interval: int, pin: str | None) -> tuple[float, float]:
    """Runs one training; returns (median env-steps/s after the first iteration, trainer CPU s)."""
    arguments = [str(venv / "bin" / "isaaclab"), "train", "--rl_library", "rsl_rl", "--task", "Isaac-Cartpole-Direct",
                 "--num_envs", str(envs), "--max_iterations", str(iterations), "--device", "cpu"]
    if variant == "none":
        arguments += ["--viz", "none"]
    else:
        arguments += ["--viz", "newton_gl", "--video", "--video_length", str(video_length),
                      "--video_interval", str(video_interval)]
    if variant == "farm":
        arguments += ["--external_callback", "renderfarm.isaaclab.install"]
    arguments.append("agent.device=cpu")
    if pin is not None:
        arguments = ["taskset", "-c", pin, *arguments]
    env = {**os.environ, "FARM_COORDINATOR": endpoint, "ISAACSIM_ASSET_ROOT": str(venv / "assets"),
           "PYTHONPATH": str(REPO / "python")}
    env.pop("DISPLAY", None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(arguments, cwd=cwd, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise RuntimeError(f"{variant}: isaaclab train exited {result.returncode}:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    rates = [int(value) for value in re.findall(r"Steps per second:\s*(\d+)", result.stdout)]
    if len(rates) < 2:
        raise RuntimeError(f"{variant}: rsl_rl reported {len(rates)} iterations:\n{result.stdout[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return statistics.median(rates[1:]), cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", type=Path, required=True, help="the venv tools/setup-isaaclab prints")
    parser.add_argument("--envs", type=int, default=16)
    parser.add_argument("--iterations", type=int, default=8)
    parser.add_argument("--video-length", type=int, default=50)
    parser.add_argument("--video-interval", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--placements", default="shared,pinned")
    options = parser.parse_args()

    print(f"# tools/bench isaaclab, {time.strftime('%Y-%m-%dT%H:%MZ', time.gmtime())}, {os.cpu_count()} cores, "
          f"Isaac-Cartpole-Direct, {options.envs} envs, {options.iterations} iterations, "
          f"--video_length {options.video_length} --video_interval {options.video_interval}, "
          f"{options.repeats} repeats alternated")
    print("| placement | variant | env-steps/s (median, runs) | vs none | trainer CPU s | farm CPU s |")
    print("|---|---|---|---|---|---|")
    for placement in options.placements.split(","):
        pinned = placement == "pinned"
        with tempfile.TemporaryDirectory(prefix="bench-isaaclab-") as scratch:
            root = Path(scratch)
            farm = LocalFarm(root / "farm", logs_root=root / "logs", config_dir=REPO / "configs",
                             launcher=["taskset", "-c", "1"] if pinned else []).start()
            try:
                farm.wait_for_workers()
                results: dict[str, list[tuple[float, float, float]]] = {v: [] for v in VARIANTS}
                for repeat in range(options.repeats):
                    order = VARIANTS if repeat % 2 == 0 else tuple(reversed(VARIANTS))
                    for variant in order:
                        farm_before = process_cpu(farm.pids())
                        rate, cpu = train(options.venv, variant, root, endpoint=farm.client_endpoint,
                                          envs=options.envs, iterations=options.iterations,
                                          video_length=options.video_length, video_interval=options.video_interval,
                                          pin="0" if pinned else None)
                        if variant == "farm":
                            # The farm finishes the last clips after training ends: wait for them.
                            with FarmClient(farm.client_endpoint, timeout=10) as client:
                                for job in client.status():
                                    client.wait(job["id"], timeout=600)
                        results[variant].append((rate, cpu, process_cpu(farm.pids()) - farm_before))
                        print(f"#   {placement} {variant} run {repeat + 1}: {rate:.0f} steps/s, trainer {cpu:.1f} CPU s",
                              file=sys.stderr, flush=True)
            finally:
                farm.stop()
        base = statistics.median(r[0] for r in results["none"])
        for variant in VARIANTS:
            rows = results[variant]
            rate = statistics.median(r[0] for r in rows)
            runs = ", ".join(f"{r[0]:.0f}" for r in rows)
            farm_cpu = f"{statistics.median(r[2] for r in rows):.1f}" if variant == "farm" else "—"
            print(f"| {placement} | {variant} | {rate:.0f} ({runs}) | {rate / base:.2f}× | "
                  f"{statistics.median(r[1] for r in rows):.1f} | {farm_cpu} |", flush=True)


if __name__ == "__main__":
    main()
