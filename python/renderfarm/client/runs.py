"""The farm run a recorder's clips go to, from the folder they should land in: one rule for the
gymnasium and Isaac Lab recorders."""

from __future__ import annotations

import os
import time
from pathlib import Path


def run_job_fields(video_folder: Path, task: str) -> dict[str, str]:
    """SUBMIT's workflow/task/run for clips that should land in ``video_folder``:

    - ``<workflow>/<task>/<run>/videos/train`` (Isaac Lab's RL scripts' layout): those names, so the
      coordinator files the clips there directly when the folder lies under its logs root;
    - ``<workflow>/<task>/<run>/videos/<sub>`` (``videos/play``, ``videos/farm``): the coordinator
      files only into ``videos/train``, so a ``renderfarm`` run ``<task>/<run>-<sub>``, fetched into it;
    - any other folder: a ``renderfarm`` run of ``task`` named after the time and process, fetched into it.
    """
    parts = video_folder.parts
    if len(parts) >= 6 and parts[-2] == "videos":
        if parts[-1] == "train":
            return {"workflow": parts[-5], "task": parts[-4], "run": parts[-3]}
        return {"workflow": "renderfarm", "task": parts[-4], "run": f"{parts[-3]}-{parts[-1]}"}
    safe_task = "".join(c if c.isalnum() or c in "-_." else "_" for c in task) or "env"
    return {"workflow": "renderfarm", "task": safe_task, "run": time.strftime("%Y-%m-%d_%H-%M-%S") + f"_{os.getpid()}"}
