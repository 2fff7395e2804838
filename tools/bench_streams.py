"""Several streams from one rollout against separate jobs (issue 9's target: streams cost less).

A local farm (coordinator + workers, real rendering and encoding) records the same clips two ways,
alternated `--repeats` times in one run: one job whose `streams` list K Isaac Lab 3 streams, and K
jobs of one stream each, every job uploading the same rollout (what a trainer without streams does:
one recorder, one job, one upload per stream). Reported: wall seconds from the first SUBMIT to the
last job done, client bytes sent, and the farm's CPU seconds (coordinator and workers, from /proc);
the fastest run of each way, and their ratios.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from renderfarm.client import FarmClient
from renderfarm.farm import LocalFarm, bin_directory, process_cpu

REPO = Path(__file__).resolve().parents[1]

STREAM_CAMERAS = [((8.0, 0.0, 5.0), (0.0, 0.0, 0.0)), ((3.0, -3.0, 2.0), (0.0, 0.0, 1.0)),
                  ((0.0, 6.0, 4.0), (0.0, 0.0, 0.0)), ((-5.0, -5.0, 3.0), (0.0, 0.0, 0.5))]


def submit(client: FarmClient, rollout: bytes, run: str, streams: list[dict], args) -> str:
    body = {"workflow": "rsl_rl", "task": "Isaac-Cartpole-v0", "run": run, "video_length": args.video_length,
            "video_interval": args.video_interval, "schedule": "isaaclab", "backend_inputs": {},
            "width": args.width, "height": args.height, "streams": streams}
    if len(rollout) <= 8 << 20:
        reply, _ = client.request("SUBMIT", body, [rollout])
    else:
        upload, _ = client.request("UPLOAD_BEGIN", {"total_bytes": len(rollout)})
        upload_id = upload["upload"]["upload_id"]
        for offset in range(0, len(rollout), 8 << 20):
            client.request("UPLOAD_CHUNK", {"upload_id": upload_id, "offset": offset}, [rollout[offset:offset + (8 << 20)]])
        body["upload_id"] = upload_id
        reply, _ = client.request("SUBMIT", body)
    return reply["job"]["id"]


def record(farm: LocalFarm, client: FarmClient, rollout: bytes, together: bool, repeat: int, args) -> dict:
    streams = [{"prefix": f"cam{k}", "eye": list(eye), "lookat": list(lookat)}
               for k, (eye, lookat) in enumerate(STREAM_CAMERAS[:args.streams])]
    groups = [streams] if together else [[stream] for stream in streams]
    cpu = process_cpu(farm.pids())
    start = time.monotonic()
    jobs = [submit(client, rollout, f"{'one' if together else 'separate'}-{repeat}-{index}", group, args)
            for index, group in enumerate(groups)]
    records = [client.wait(job, timeout=3600) for job in jobs]
    wall = time.monotonic() - start
    assert all(r["state"] == "completed" for r in records), records
    return {"wall": wall, "farm_cpu": process_cpu(farm.pids()) - cpu, "bytes": len(rollout) * len(groups),
            "jobs": len(groups), "clips": sum(r["clips_total"] for r in records)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streams", type=int, default=2, choices=range(2, len(STREAM_CAMERAS) + 1))
    parser.add_argument("--num-envs", type=int, default=1024)
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--video-length", type=int, default=30)
    parser.add_argument("--video-interval", type=int, default=100)
    parser.add_argument("--size", default="640x360")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    args.width, args.height = (int(v) for v in args.size.split("x"))

    root = Path(tempfile.mkdtemp(prefix="bench-streams-"))
    rollout_path = root / "cartpole.farmrlt"
    subprocess.run([str(bin_directory() / "farmctl"), "rollout", "--builtin", "cartpole", "--steps", str(args.steps),
                    "--num_envs", str(args.num_envs), "--out", str(rollout_path)], check=True)
    rollout = rollout_path.read_bytes()
    farm = LocalFarm(root / "farm", workers=args.workers, config_dir=REPO / "configs").start()
    runs: dict[bool, list[dict]] = {True: [], False: []}
    try:
        with FarmClient(farm.client_endpoint, timeout=120) as client:
            farm.wait_for_workers()
            for repeat in range(args.repeats):
                for together in (True, False):
                    runs[together].append(record(farm, client, rollout, together, repeat, args))
    finally:
        farm.stop()
        shutil.rmtree(root, ignore_errors=True)
    one, separate = (min(runs[way], key=lambda r: r["wall"]) for way in (True, False))
    print(f"# tools/bench streams --streams {args.streams} --num-envs {args.num_envs} --steps {args.steps} "
          f"--video-length {args.video_length} --video-interval {args.video_interval} --size {args.size} "
          f"--workers {args.workers} --repeats {args.repeats}; rollout {len(rollout) / 2**20:.1f} MiB; "
          f"{os.cpu_count()} cores, load {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    print("| way | jobs | clips | bytes sent | wall s | farm CPU s |")
    print("|---|---|---|---|---|---|")
    for name, r in ((f"one job, {args.streams} streams", one), (f"{args.streams} jobs, one stream each", separate)):
        print(f"| {name} | {r['jobs']} | {r['clips']} | {r['bytes'] / 2**20:.1f} MiB | {r['wall']:.2f} | {r['farm_cpu']:.2f} |")
    print(f"| ratio (streams / separate jobs) | | | {one['bytes'] / separate['bytes']:.3f}× | "
          f"{one['wall'] / separate['wall']:.3f}× | {one['farm_cpu'] / separate['farm_cpu']:.3f}× |")


if __name__ == "__main__":
    main()
