"""What each part of the package needs: a trainer writing rollout files needs numpy only."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from conftest import REPO


def test_rollout_and_scene_import_and_write_without_zeromq_or_engines(tmp_path) -> None:
    # A None entry in sys.modules makes `import zmq` (or mujoco, newton) raise ImportError.
    script = textwrap.dedent(f"""
        import sys
        for name in ("zmq", "mujoco", "newton", "warp", "gymnasium"):
            sys.modules[name] = None
        import numpy as np
        import renderfarm, renderfarm.rollout, renderfarm.scene
        from renderfarm.rollout import Scene, Shape, write_rollout
        scene = Scene(num_bodies=1, shapes=(Shape.box((0.1, 0.1, 0.1), body=0),))
        write_rollout({str(tmp_path / "r.rlt")!r}, scene, np.zeros((2, 1, 7), np.float32) + [0, 0, 0, 0, 0, 0, 1],
                      step_dt=0.02)
        try:
            renderfarm.FarmClient
        except ImportError as error:
            print("client needs:", error.name)
    """)
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO / "python", capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "client needs: zmq"
    assert (tmp_path / "r.rlt").stat().st_size > 0
