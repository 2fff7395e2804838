#!/usr/bin/env python3
"""The reference writer for `farm-bench encode`: moviepy's ImageSequenceClip.write_videofile, the
path gymnasium's RecordVideo and Isaac Lab's --video take, with their defaults (libx264, preset
medium, ffmpeg's default CRF 23, yuv420p). Loads the raw RGB frames into memory first, as those
recorders hold them, then times only the write. Prints the seconds taken.

usage: moviepy_encode.py FRAMES.rgb WIDTH HEIGHT FPS OUT.mp4
"""
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
    start = time.perf_counter()
    clip = ImageSequenceClip(frames, fps=fps)
    clip.write_videofile(out, codec="libx264", preset="medium", audio=False, logger=None)
    print(time.perf_counter() - start)


if __name__ == "__main__":
    main()
