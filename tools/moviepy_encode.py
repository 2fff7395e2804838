#!/usr/bin/env python3
"""The reference writer for `farm-bench encode`: moviepy's ImageSequenceClip.write_videofile, the
path gymnasium's RecordVideo and Isaac Lab's --video take, with their defaults (libx264, preset
medium, ffmpeg's default CRF 23, yuv420p). Loads the raw RGB frames into memory first, as those
recorders hold them, then times only the write. Prints its wall seconds and CPU seconds (this
process and the ffmpeg it runs, user + system).

usage: moviepy_encode.py FRAMES.rgb WIDTH HEIGHT FPS OUT.mp4
"""
import resource
import sys
import time

import numpy as np

try:
    from moviepy.video.io.ImageSequenceClip import ImageSequenceClip
except ImportError:  # moviepy 1.x layout
    from moviepy.editor import ImageSequenceClip


def main() -> None:
    raw, width, height, fps, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    data = np.fromfile(raw, dtype=np.uint8).reshape(-1, height, width, 3)
    frames = [frame for frame in data]
    cpu_start, start = cpu_seconds(), time.perf_counter()
    clip = ImageSequenceClip(frames, fps=fps)
    clip.write_videofile(out, codec="libx264", preset="medium", audio=False, logger=None)
    print(time.perf_counter() - start, cpu_seconds() - cpu_start)


def cpu_seconds() -> float:
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


if __name__ == "__main__":
    main()
