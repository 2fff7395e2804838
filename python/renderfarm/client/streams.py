"""Stream: one entry of SUBMIT's ``streams`` (docs/PROTOCOL.md), what one Isaac Lab 3
``VideoRecorderCfg`` records from the job's one rollout.

Every field but ``prefix`` may be left out; the coordinator then takes the job's field of the same
name, else its default. Field names are the wire's, so a stream is also written as a plain dict.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

#: What a stream's frames show: the lit scene, or one of the sensor images Isaac Lab 3's recorder colourises.
OUTPUTS = ("rgb", "depth", "normals", "segmentation")
#: ``ViewerCfg.origin_type``: what ``eye`` and ``lookat`` are measured from.
ORIGIN_TYPES = ("world", "env", "asset_root", "asset_body")


@dataclass(frozen=True)
class Stream:
    #: ``output_filename_prefix``: clips are ``<prefix>_<index:04d>.mp4``, numbered per prefix.
    prefix: str
    video_length: int | None = None
    video_interval: int | None = None
    step_offset: int | None = None
    frame_stride: int | None = None
    fps: int | None = None
    #: SUBMIT's ``backend_inputs`` for this stream: presets, physics, renderer_types, visualizers, backend_source.
    backend_inputs: Mapping[str, Any] | None = None
    output: str | None = None
    depth_colormap_min: float | None = None
    depth_colormap_max: float | None = None
    eye: Sequence[float] | None = None
    lookat: Sequence[float] | None = None
    origin_type: str | None = None
    env_index: int | None = None
    asset_name: str | None = None
    body_name: str | None = None
    body_index: int | None = None
    width: int | None = None
    height: int | None = None
    #: Keep only the newest N clips of this prefix in the video folder.
    keep_last_n_clips: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.prefix, str) or not self.prefix:
            raise ValueError(f"prefix is {self.prefix!r}; each stream needs a non-empty prefix "
                             "(VideoRecorderCfg.output_filename_prefix)")
        if self.output is not None and self.output not in OUTPUTS:
            raise ValueError(f"output is {self.output!r}; use one of {', '.join(OUTPUTS)}")
        if self.origin_type is not None and self.origin_type not in ORIGIN_TYPES:
            raise ValueError(f"origin_type is {self.origin_type!r}; use one of {', '.join(ORIGIN_TYPES)}")

    def to_wire(self) -> dict[str, Any]:
        """The stream's JSON object: the fields that are set."""
        # The instance's own fields, in their order (a tenth of the time of dataclasses.fields()).
        return {name: value for name, value in vars(self).items() if value is not None}


STREAM_FIELDS = frozenset(field.name for field in fields(Stream))


def stream_bodies(streams: Iterable[Stream | Mapping[str, Any]]) -> list[dict[str, Any]]:
    """SUBMIT's ``streams``: each ``Stream`` or dict checked (known fields, a prefix no other stream
    uses), as the coordinator would refuse it, but before the rollout is sent."""
    bodies: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(streams):
        try:
            if isinstance(item, Stream):
                stream = item
            elif isinstance(item, Mapping):
                if not STREAM_FIELDS.issuperset(item):
                    unknown = sorted(set(item) - STREAM_FIELDS, key=str)
                    raise ValueError(f"unknown field(s) {', '.join(map(repr, unknown))}; a stream takes "
                                     f"{', '.join(sorted(STREAM_FIELDS))}")
                if "prefix" not in item:
                    raise ValueError("prefix is missing; each stream needs one "
                                     "(VideoRecorderCfg.output_filename_prefix)")
                stream = Stream(**item)
            else:
                raise TypeError(f"is a {type(item).__name__}; give a renderfarm.client.Stream or a dict")
        except (ValueError, TypeError) as error:
            raise type(error)(f"streams[{index}]: {error}") from None
        if stream.prefix in seen:
            raise ValueError(f"streams[{index}]: prefix {stream.prefix!r} is used by streams[{seen[stream.prefix]}]; "
                             "each stream needs its own prefix, or their clips would overwrite each other")
        seen[stream.prefix] = index
        bodies.append(stream.to_wire())
    if not bodies:
        raise ValueError("streams is empty; leave it out for the job's one stream")
    return bodies
