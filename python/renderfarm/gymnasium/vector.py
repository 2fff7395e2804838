"""renderfarm.gymnasium.vector.RecordVideo: drop-in for ``gymnasium.wrappers.vector.RecordVideo``.

gymnasium tiles every sub-env's frame into one video; the farm renders every sub-env in one scene
instead, laid out on Isaac Lab's env grid ``env_spacing`` apart (``record_first_only``: env 0
alone). Episodes count env 0's, as gymnasium does (next-step, same-step and disabled autoreset).

A ``SyncVectorEnv``'s sub-envs live in this process: a recorded step copies their poses. An
``AsyncVectorEnv`` keeps its MuJoCo state in worker processes: a recorded step asks every worker for
its env's ``state_vector()`` (one ``call``), and the courier runs the kinematics per frame
(``WorkerCapture``; its cost is measured in docs/BENCHMARKS.md, trainer). Its sub-envs must come from
a registered id (``gym.make_vec``), so that the scene, camera and frame size are read from a local
copy of the env.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import gymnasium as gym
from gymnasium.vector import AutoresetMode, VectorWrapper

from ..client.courier import OnClip
from .camera import FarmCamera, _vec3, free_camera, renderer_config
from .mujoco_capture import MujocoCapture, MujocoScene, WorkerCapture, mujoco_env
from .recorder import DEFAULT_PRESETS, FarmRecording, farm_job, playback_fps, render_size


def recorded_envs(env: gym.vector.VectorEnv, record_first_only: bool, **scene: Any) -> tuple[gym.Env, MujocoScene]:
    """A sub-env (the model, camera and size are read from it) and the capture of the recorded sub-envs."""
    inner = env.unwrapped
    count = 1 if record_first_only else inner.num_envs
    if isinstance(inner, gym.vector.SyncVectorEnv):
        model, _ = mujoco_env(inner.envs[0])
        return inner.envs[0], MujocoCapture(model, [mujoco_env(e)[1] for e in inner.envs[:count]], **scene)
    if isinstance(inner, gym.vector.AsyncVectorEnv):
        spec = inner.get_attr("spec")[0]
        if spec is None:
            raise TypeError("the AsyncVectorEnv's sub-envs have no spec (made without gym.make); "
                            "renderfarm.gymnasium.vector.RecordVideo reads their scene from gym.make(spec)")
        template = gym.make(spec)
        model, _ = mujoco_env(template)
        return template, WorkerCapture(model, inner, count, **scene)
    raise TypeError(f"{type(inner).__name__} is neither a SyncVectorEnv nor an AsyncVectorEnv; "
                    "renderfarm.gymnasium.vector.RecordVideo records gymnasium's vector envs of MuJoCo envs")


# close(timeout) returns the clips that did not land, where gymnasium's close returns None.
class RecordVideo(FarmRecording, VectorWrapper, gym.utils.RecordConstructorArgs):  # type: ignore[misc]
    """``gymnasium.wrappers.vector.RecordVideo``'s arguments, attributes and file names, rendered by
    the farm; any ``render_mode`` is accepted, as by ``renderfarm.gymnasium.RecordVideo``.

    Farm-only keyword arguments as in ``renderfarm.gymnasium.RecordVideo``, plus ``env_spacing``
    (metres between sub-envs in the rendered scene, default 4). ``video_aspect_ratio`` is kept for
    compatibility; the farm's frame is ``width`` × ``height`` and its camera sees the whole grid.
    """

    def __init__(self, env: gym.vector.VectorEnv, video_folder: str, video_aspect_ratio: tuple[int, int] = (1, 1),
                 record_first_only: bool = False, episode_trigger: Callable[[int], bool] | None = None,
                 step_trigger: Callable[[int], bool] | None = None, video_length: int = 0,
                 name_prefix: str = "rl-video", fps: int | None = None, disable_logger: bool = True,
                 gc_trigger: Callable[[int], bool] | None = lambda episode: True, *, endpoint: str | None = None,
                 on_clip: OnClip | None = None, close_timeout: float = 120.0,
                 eye: Sequence[float] | None = None, lookat: Sequence[float] | None = None,
                 width: int | None = None, height: int | None = None, presets: Sequence[str] = DEFAULT_PRESETS,
                 queue_size: int = 8, submit_timeout: float = 5.0, env_spacing: float = 4.0):
        VectorWrapper.__init__(self, env)
        gym.utils.RecordConstructorArgs.__init__(
            self, video_folder=video_folder, episode_trigger=episode_trigger, step_trigger=step_trigger,
            video_length=video_length, name_prefix=name_prefix, disable_logger=disable_logger)
        frames_per_sec = playback_fps(self, fps)
        first, capture = recorded_envs(env, record_first_only, step_dt=1.0 / frames_per_sec, env_spacing=env_spacing)
        camera = grid_camera(capture.model, first, capture, eye, lookat)
        self.autoreset_mode = env.metadata.get("autoreset_mode", AutoresetMode.NEXT_STEP)
        self.has_autoreset = False
        self.record_first_only = record_first_only
        self.video_aspect_ratio = video_aspect_ratio
        size = render_size(first, width, height)
        self._init_recording(
            capture, video_folder, episode_trigger=episode_trigger, step_trigger=step_trigger,
            video_length=video_length, name_prefix=name_prefix, fps=frames_per_sec, disable_logger=disable_logger,
            gc_trigger=gc_trigger, env_id=first.spec.id if first.spec else "vector-env",
            job=farm_job(presets, size, {"eye": list(camera.eye), "lookat": list(camera.lookat)}),
            endpoint=endpoint, on_clip=on_clip, close_timeout=close_timeout, queue_size=queue_size,
            submit_timeout=submit_timeout)

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> tuple[Any, dict[str, Any]]:
        if options is None or "reset_mask" not in options or options["reset_mask"][0]:
            self._new_episode()
        obs, info = super().reset(seed=seed, options=options)
        if self.recording:
            self._capture_frame(self.step_id + 1)
        self.has_autoreset = False
        return obs, info

    def step(self, actions: Any) -> tuple[Any, Any, Any, Any, dict[str, Any]]:
        obs, rewards, terminations, truncations, info = self.env.step(actions)
        ended = bool(terminations[0] or truncations[0])
        if self.autoreset_mode == AutoresetMode.NEXT_STEP:
            if self.has_autoreset:
                self._new_episode()
            self.has_autoreset = ended
        elif self.autoreset_mode == AutoresetMode.SAME_STEP and ended:
            self._new_episode()
        self._after_step()
        return obs, rewards, terminations, truncations, info


def grid_camera(model: Any, env: gym.Env, capture: MujocoScene, eye: Sequence[float] | None,
                lookat: Sequence[float] | None) -> FarmCamera:
    """The env's free camera, aimed at the grid's centre and pulled back by the grid's half-width
    (fixed in the world: one camera sees every env, so it follows none)."""
    config = renderer_config(env)
    half_width = float(abs(capture.origins).max(initial=0.0))
    config["distance"] = float(config.get("distance", 1.5 * model.stat.extent)) + 2.0 * half_width
    default_eye, default_lookat = free_camera(model, config, lookat_override=(0.0, 0.0, float(model.stat.center[2])))
    return FarmCamera(_vec3(eye if eye is not None else default_eye),
                      _vec3(lookat if lookat is not None else default_lookat))
