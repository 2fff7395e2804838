"""Renders the same scenes and cameras with Newton 1.8's own ViewerGL (headless, EGL) and with the
farm's `newton_gl` backend (`farm-worker render`), and prints luma SSIM, mean absolute RGB
difference and the render speed of each. Run through tools/look-check."""

from __future__ import annotations

import argparse
import json
import math
import pathlib
import resource
import subprocess
import sys
import tempfile
import time

import pyglet

pyglet.options["headless"] = True

import numpy as np  # noqa: E402
import warp as wp  # noqa: E402
from PIL import Image  # noqa: E402

import newton  # noqa: E402
import newton.viewer  # noqa: E402

sys.path.insert(0, str(pathlib.Path(__file__).parent))
import export_rollout  # noqa: E402
import metrics  # noqa: E402
import scenes  # noqa: E402

WIDTH, HEIGHT = 1280, 720
# The farm's newton_gl lens is Isaac Lab's perspective video: 60° horizontal. Newton's camera
# takes a vertical field of view (pyglet's perspective_projection).
VERTICAL_FOV = math.degrees(2 * math.atan(math.tan(math.radians(30)) / (WIDTH / HEIGHT)))

# (scene, view, eye, lookat): views the farm's tests do not use.
VIEWS = [
    ("humanoid", "isaaclab-default", (7.5, 7.5, 7.5), (0.0, 0.0, 0.0)),
    ("humanoid", "close", (2.2, -2.6, 1.6), (0.0, 0.0, 0.9)),
    ("ant", "oblique", (2.6, -2.2, 2.0), (0.0, 0.0, 0.5)),
    ("ant", "low", (-3.0, 1.5, 0.9), (0.0, 0.0, 0.5)),
    ("primitives", "front", (0.4, -4.2, 1.8), (0.0, 0.0, 0.3)),
    ("primitives", "high", (-3.0, -3.0, 4.0), (0.0, 0.3, 0.0)),
]


def pitch_yaw(eye, lookat) -> tuple[float, float]:
    """Newton's camera angles (degrees, Z up) looking from eye to lookat."""
    d = np.subtract(lookat, eye, dtype=np.float64)
    d /= np.linalg.norm(d)
    return math.degrees(math.asin(d[2])), math.degrees(math.atan2(d[1], d[0]))


class NewtonRenderer:
    """One headless ViewerGL for the whole run (pyglet keeps one EGL context per process)."""

    def __init__(self):
        self.viewer = newton.viewer.ViewerGL(width=WIDTH, height=HEIGHT, headless=True)
        self.viewer.camera.fov = VERTICAL_FOV

    def frames(self, model, state, eye, lookat, count: int) -> tuple[np.ndarray, float, float]:
        """The last of `count` frames after a first (set-up) frame, and their frames per second of
        wall time and of CPU time (all of the process's threads, llvmpipe's included)."""
        self.viewer.set_model(model)
        pitch, yaw = pitch_yaw(eye, lookat)
        self.viewer.set_camera(wp.vec3(*eye), pitch, yaw)
        frame, start, cpu = None, 0.0, 0.0
        for i in range(count + 1):
            if i == 1:
                start, cpu = time.perf_counter(), time.process_time()
            self.viewer.begin_frame(i / 60.0)
            self.viewer.log_state(state)
            self.viewer.end_frame()
            frame = self.viewer.get_frame().numpy()
        return frame, count / (time.perf_counter() - start), count / (time.process_time() - cpu)


def farm_render(worker: str, rollout: str, eye, lookat, count: int, out: pathlib.Path,
                png_dir: pathlib.Path | None = None) -> None:
    command = [worker, "render", "--rollout", rollout, "--out", str(out), "--backend", "newton_gl",
               "--frames", str(count), "--width", str(WIDTH), "--height", str(HEIGHT),
               "--eye=" + ",".join(map(str, eye)), "--lookat=" + ",".join(map(str, lookat))]
    if png_dir is not None:
        command += ["--png-dir", str(png_dir)]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"farm-worker render failed ({result.returncode}):\n{result.stderr}")


def farm_frames(worker: str, rollout: str, eye, lookat, count: int, work: pathlib.Path) -> tuple[np.ndarray, float, float]:
    """The first frame from `farm-worker render` (one frame, written as PNG), and the frames per
    second of wall and of CPU time of a second whole process that renders and H.264-encodes
    `count` frames (start-up included, no PNGs)."""
    farm_render(worker, rollout, eye, lookat, 1, work / "frame.mp4", png_dir=work / "png")
    frame = np.asarray(Image.open(work / "png" / "frame_00000.png").convert("RGB"))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    farm_render(worker, rollout, eye, lookat, count, work / "clip.mp4")
    fps = count / (time.perf_counter() - start)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return frame, fps, count / cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--farm-worker", required=True, help="the farm-worker executable")
    parser.add_argument("--out", default="look-check", help="folder for the frame pairs")
    parser.add_argument("--frames", type=int, default=100, help="frames the farm renders and encodes per view")
    parser.add_argument("--newton-frames", type=int, default=5, help="frames Newton renders per view after its first")
    parser.add_argument("--only", help="comma-separated scene names")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args()
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    wanted = set(args.only.split(",")) if args.only else None

    newton_renderer = NewtonRenderer()
    built: dict[str, tuple] = {}
    rows = []
    for scene, view, eye, lookat in VIEWS:
        if wanted and scene not in wanted:
            continue
        if scene not in built:
            built[scene] = scenes.SCENES[scene]()
        model, state = built[scene]
        with tempfile.TemporaryDirectory() as tmp:
            work = pathlib.Path(tmp)
            rollout = str(work / "scene.farmrlt")
            export_rollout.write(rollout, model, state, steps=args.frames)
            farm, farm_fps, farm_cpu_fps = farm_frames(args.farm_worker, rollout, eye, lookat, args.frames, work)
        reference, newton_fps, newton_cpu_fps = newton_renderer.frames(model, state, eye, lookat, args.newton_frames)
        Image.fromarray(reference).save(out / f"{scene}-{view}-newton.png")
        Image.fromarray(farm).save(out / f"{scene}-{view}-farm.png")
        rows.append({
            "scene": scene, "view": view,
            "ssim": metrics.ssim(metrics.luma(farm), metrics.luma(reference)),
            "mean_abs_diff": metrics.mean_abs_diff(farm, reference),
            "farm_fps": farm_fps, "newton_fps": newton_fps, "speed_ratio": farm_fps / newton_fps,
            "farm_fps_per_cpu_s": farm_cpu_fps, "newton_fps_per_cpu_s": newton_cpu_fps,
            "cpu_speed_ratio": farm_cpu_fps / newton_cpu_fps,
        })
        row = rows[-1]
        if not args.json:
            print(f"{scene:10s} {view:16s} SSIM {row['ssim']:.4f}  mean |ΔRGB| {row['mean_abs_diff']:5.2f}/255  "
                  f"fps farm {farm_fps:5.1f} Newton {newton_fps:5.2f} ({row['speed_ratio']:4.1f}×)  "
                  f"per CPU-s farm {farm_cpu_fps:5.1f} Newton {newton_cpu_fps:5.2f} ({row['cpu_speed_ratio']:4.1f}×)",
                  flush=True)
    ok = all(r["ssim"] >= 0.97 and r["mean_abs_diff"] <= 4 and r["speed_ratio"] >= 10 for r in rows)
    if args.json:
        print(json.dumps({"rows": rows, "targets_met": ok}, indent=2))
    else:
        print("targets (SSIM ≥ 0.97, mean |ΔRGB| ≤ 4/255, ≥ 10× Newton's fps):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
