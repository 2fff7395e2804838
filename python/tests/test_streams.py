"""SUBMIT's streams and keep_last_n_clips as FarmClient builds them (submit_body), checked before
anything is sent, and refused after the fact by a coordinator too old to apply them."""

from __future__ import annotations

import json
import threading

import numpy as np
import pytest
import zmq

from renderfarm.farm import free_endpoint
from renderfarm import protocol
from renderfarm.client import FarmClient, Stream, UnsupportedFieldError, stream_bodies, submit_body
from renderfarm.client.farm_client import required_fields

JOB = dict(task="Isaac-Cartpole-v0", workflow="rsl_rl", run="streams", video_length=20, video_interval=50)


def wire(body: dict) -> dict:
    """The body as the coordinator reads it: encoded as FARM01 sends it, then parsed."""
    return json.loads(protocol.encode("SUBMIT", body)[2])


def test_streams_go_out_as_listed_with_the_isaaclab_schedule():
    body = submit_body(**JOB, render_fps=60.0, keep_last_n_clips=5, streams=[
        {"prefix": "viewport", "keep_last_n_clips": 2, "fps": np.int64(24)},
        Stream("wrist", output="depth", depth_colormap_min=0.2, depth_colormap_max=4.0,
               eye=np.array([1.5, -1.5, 1.0], dtype=np.float32), lookat=(0, 0, 0.5), origin_type="asset_body",
               env_index=3, asset_name="robot", body_name="panda_hand", width=160, height=96, frame_stride=2,
               backend_inputs={"visualizers": [], "backend_source": "renderer", "renderer_types": ["newton_warp"]}),
    ])
    assert wire(body) == {
        "workflow": "rsl_rl", "task": "Isaac-Cartpole-v0", "run": "streams", "video_length": 20, "video_interval": 50,
        "schedule": "isaaclab", "render_fps": 60.0, "keep_last_n_clips": 5,
        "backend_inputs": {"presets": [], "physics": None, "renderer_types": [], "visualizers": [],
                           "backend_source": "visualizer"},
        "streams": [
            {"prefix": "viewport", "keep_last_n_clips": 2, "fps": 24},
            {"prefix": "wrist", "output": "depth", "depth_colormap_min": 0.2, "depth_colormap_max": 4.0,
             "eye": [1.5, -1.5, 1.0], "lookat": [0, 0, 0.5], "origin_type": "asset_body", "env_index": 3,
             "asset_name": "robot", "body_name": "panda_hand", "width": 160, "height": 96, "frame_stride": 2,
             "backend_inputs": {"visualizers": [], "backend_source": "renderer", "renderer_types": ["newton_warp"]}},
        ],
    }


def test_a_job_without_streams_is_sent_as_before():
    assert wire(submit_body(**JOB)) == {
        "workflow": "rsl_rl", "task": "Isaac-Cartpole-v0", "run": "streams", "video_length": 20, "video_interval": 50,
        "backend_inputs": {"presets": [], "physics": None, "renderer_types": [], "visualizers": [],
                           "backend_source": "visualizer"}}


@pytest.mark.parametrize("fields, expected", [
    ({"clip_file": "wrist_0007.mp4", "keep_last_n_clips": 3},
     {"clip_file": "wrist_0007.mp4", "keep_last_n_clips": 3}),
    ({"schedule": "isaaclab", "fps": 30, "render_fps": 59.94},
     {"schedule": "isaaclab", "fps": 30, "render_fps": 59.94}),
    ({"streams": [{"prefix": "clip"}], "schedule": "isaaclab"},
     {"schedule": "isaaclab", "streams": [{"prefix": "clip"}]}),
])
def test_fps_and_keep_last_n_clips_are_sent_when_given(fields, expected):
    body = wire(submit_body(**JOB, **fields))
    assert {key: body[key] for key in expected} == expected


@pytest.mark.parametrize("fields, error, message", [
    ({"streams": [{"prefix": "a"}, {"video_length": 5}]}, ValueError, r"streams\[1\]: prefix is missing"),
    ({"streams": [{"prefix": ""}]}, ValueError, r"streams\[0\]: prefix is ''"),
    ({"streams": [Stream("a"), {"prefix": "b"}, {"prefix": "a"}]}, ValueError,
     r"streams\[2\]: prefix 'a' is used by streams\[0\]"),
    ({"streams": [{"prefix": "a", "output_filename_prefix": "b"}]}, ValueError,
     r"streams\[0\]: unknown field\(s\) 'output_filename_prefix'"),
    ({"streams": [{"prefix": "a"}, {"prefix": "b", "output": "rgba"}]}, ValueError, r"streams\[1\]: output is 'rgba'"),
    ({"streams": [{"prefix": "a", "origin_type": "body"}]}, ValueError, r"streams\[0\]: origin_type is 'body'"),
    ({"streams": ["viewport"]}, TypeError, r"streams\[0\]: is a str"),
    ({"streams": []}, ValueError, "streams is empty"),
    ({"streams": [{"prefix": "a"}], "clip_file": "a_0000.mp4"}, ValueError,
     "clip_file 'a_0000.mp4' names a single clip"),
    ({"streams": [{"prefix": "a"}], "schedule": "gymnasium"}, ValueError, "schedule 'gymnasium' cannot plan them"),
])
def test_streams_the_coordinator_would_refuse_are_refused_before_sending(fields, error, message):
    with pytest.raises(error, match=message):
        submit_body(**JOB, **fields)


def test_a_stream_names_only_the_fields_it_sets():
    assert Stream("viewport", keep_last_n_clips=1).to_wire() == {"prefix": "viewport", "keep_last_n_clips": 1}
    assert stream_bodies([{"prefix": "a", "eye": None}]) == [{"prefix": "a"}]


@pytest.mark.parametrize("fields, required", [
    ({}, []),
    ({"width": 640, "eye": (1, 2, 3)}, []),
    ({"streams": [{"prefix": "a"}, {"prefix": "b", "origin_type": "env"}]},
     ["streams", "streams.origin_type", "streams.prefix"]),
    ({"clip_file": "a_0003.mp4", "keep_last_n_clips": 2}, ["keep_last_n_clips"]),
    ({"output": "depth", "depth_colormap_max": 4.0}, ["output", "depth_colormap_max"]),
])
def test_a_submit_requires_the_fields_added_after_farm01s_first_release(fields, required):
    assert required_fields(submit_body(**JOB, **fields)) == required


def test_a_coordinator_that_predates_streams_gets_the_job_cancelled():
    """A stand-in for a coordinator older than field negotiation on real ZeroMQ: it accepts SUBMIT
    without reading required_fields or streams (unknown fields are ignored), so its OK lacks
    applied_fields, and answers CANCEL_JOB."""
    socket = zmq.Context.instance().socket(zmq.ROUTER)
    endpoint = free_endpoint()
    socket.bind(endpoint)
    commands = []

    def answer_two_requests():
        for _ in range(2):
            if not socket.poll(10_000):
                return
            identity, *frames = socket.recv_multipart()
            command, body, _ = protocol.decode(frames)
            commands.append((command, body.get("job_id")))
            # A whole job record as it was before streams: every field a record requires, no streams.
            reply = {"job": {"id": "7", "state": "queued" if command == "SUBMIT" else "cancelled", "workflow": "rsl_rl",
                             "task": "Isaac-Cartpole-v0", "run": "streams", "backend": "newton_gl",
                             "video_dir": "/logs/rsl_rl/Isaac-Cartpole-v0/streams/videos/train", "clips_total": 1,
                             "clips_done": 0, "clips_failed": 0, "frames_total": 20, "frames_done": 0,
                             "warnings": [], "submitted_at": 0.0}}
            socket.send_multipart([identity, *protocol.encode("OK", reply)])

    coordinator = threading.Thread(target=answer_two_requests)
    coordinator.start()
    try:
        with FarmClient(endpoint, timeout=10) as client:
            with pytest.raises(UnsupportedFieldError, match="predates FARM01 field negotiation.* job 7 was cancelled"
                               ) as error:
                client.submit(b"rollout", **JOB, streams=[{"prefix": "viewport"}, {"prefix": "wrist"}])
        assert error.value.fields == ["streams", "streams.prefix"]
    finally:
        coordinator.join()
        socket.close(linger=0)
    assert commands == [("SUBMIT", None), ("CANCEL_JOB", "7")]
