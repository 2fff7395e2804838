"""The trainer's side of the wheel test: gymnasium's Ant-v5 wrapped in
``renderfarm.gymnasium.RecordVideo``, recording one 10-frame clip at step 0 through the farm at
``ENDPOINT``. Prints the clip's path; exits non-zero unless it landed with 10 frames.

    python record_clip.py ENDPOINT VIDEO_FOLDER
"""

from __future__ import annotations

import sys
from pathlib import Path

import gymnasium as gym

from renderfarm.gymnasium import RecordVideo

FRAMES = 10


def main(endpoint: str, folder: Path) -> None:
    landed: list[tuple[str, int, int]] = []
    env = RecordVideo(gym.make("Ant-v5"), str(folder), step_trigger=lambda step: step == 0, video_length=FRAMES,
                      endpoint=endpoint, width=320, height=240,
                      on_clip=lambda path, first, frames: landed.append((path, first, frames)))
    env.reset(seed=0)
    env.action_space.seed(0)
    for _ in range(FRAMES + 2):
        env.step(env.action_space.sample())
    not_landed = env.close(timeout=180)
    if not_landed or len(landed) != 1 or landed[0][1:] != (0, FRAMES):
        sys.exit(f"record_clip: expected one {FRAMES}-frame clip from step 0; landed {landed}, not landed {not_landed}")
    print(landed[0][0])


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
