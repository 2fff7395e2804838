"""Drop-in recorders for gymnasium: ``renderfarm.gymnasium.RecordVideo`` for
``gymnasium.wrappers.RecordVideo`` and ``renderfarm.gymnasium.vector.RecordVideo`` for
``gymnasium.wrappers.vector.RecordVideo``, rendering on the farm instead of the training thread."""

from .recorder import capped_cubic_video_schedule
from .record_video import RecordVideo

__all__ = ["RecordVideo", "capped_cubic_video_schedule"]
