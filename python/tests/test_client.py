"""FarmClient against a real local farm, and its endpoint lookup and JSON encoding on their own."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest
import zmq
from zmq.utils import garbage

from conftest import CONFIGS, REPO, bin_directory
from renderfarm import protocol
from renderfarm.farm import LocalFarm, free_endpoint
from renderfarm.protocol import ProtocolError
from renderfarm.client.farm_client import COPY_THRESHOLD_BYTES
from renderfarm.client import (BUILTIN_CLIENT_ENDPOINT, BadRequestError, ConfigError, CoordinatorError, FarmClient,
                               FarmTimeout, ForbiddenError, InvalidJobError, NotFoundError, NotReadyError, UnknownCommandError,
                               UnsupportedFieldError, error_from_reply, resolve_endpoint, submit_body)


@pytest.fixture(scope="module")
def cartpole(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("rollout") / "cartpole.rlt"
    subprocess.run([str(bin_directory() / "farmctl"), "rollout", "--builtin", "cartpole", "--steps", "60",
                    "--num_envs", "2", "--out", str(path)], check=True, capture_output=True)
    return path


def submit(client: FarmClient, rollout, run: str, **fields):
    job = dict(task="Isaac-Cartpole-v0", workflow="rl_games", run=run, video_length=10, width=160, height=120,
               presets=["newton_mjwarp"])
    job.update(fields)
    return client.submit(rollout, **job)


# Endpoint lookup: farmctl's order.

def write_farm_yaml(folder: Path, endpoint: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "farm.yaml").write_text(f"client_endpoint: {endpoint}   # a comment\nlogs_root: logs\n")
    shutil.copy(REPO / "configs" / "presets.yaml", folder)  # farmctl reads it too
    return folder


ARG, ENV, NAMED, CWD = (f"tcp://127.0.0.1:{port}" for port in (1, 2, 3, 4))
ENDPOINT_CASES = [
    # argument, environment, config_dir, ./configs/farm.yaml, expected
    (ARG, {"FARM_COORDINATOR": ENV}, "named", True, ARG),
    (None, {"FARM_COORDINATOR": ENV}, "named", True, ENV),
    (None, {"FARM_COORDINATOR": ""}, "named", True, NAMED),
    (None, {"FARM_CONFIG_DIR": "named"}, None, True, NAMED),
    (None, {}, None, True, CWD),
    (None, {}, None, False, BUILTIN_CLIENT_ENDPOINT),
]


def endpoint_case(tmp_path: Path, environ: dict[str, str], cwd_configs: bool) -> tuple[Path, Path, dict[str, str]]:
    """(named configs, working directory, environment) of a lookup case."""
    named = write_farm_yaml(tmp_path / "named", NAMED)
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    if cwd_configs:
        write_farm_yaml(cwd / "configs", CWD)
    return named, cwd, {k: (str(named) if v == "named" else v) for k, v in environ.items()}


@pytest.mark.parametrize("argument, environ, config_dir, cwd_configs, expected", ENDPOINT_CASES)
def test_endpoint_lookup_follows_farmctls_order(tmp_path, argument, environ, config_dir, cwd_configs, expected):
    named, cwd, environ = endpoint_case(tmp_path, environ, cwd_configs)
    assert resolve_endpoint(argument, config_dir=named if config_dir else None, environ=environ, cwd=cwd) == expected


@pytest.mark.parametrize("argument, environ, config_dir, cwd_configs, expected", ENDPOINT_CASES)
def test_farmctl_resolves_the_same_endpoint(tmp_path, farm_bin, argument, environ, config_dir, cwd_configs, expected):
    """farmctl asked for a coordinator nobody runs names the endpoint it tried."""
    named, cwd, environ = endpoint_case(tmp_path, environ, cwd_configs)
    clean = {k: v for k, v in os.environ.items() if k not in ("FARM_COORDINATOR", "FARM_CONFIG_DIR")}
    command = [str(farm_bin / "farmctl"), "status", "--timeout", "0.2",
               *(["--coordinator", argument] if argument else []), *(["--config-dir", str(named)] if config_dir else [])]
    result = subprocess.run(command, cwd=cwd, env={**clean, **environ}, capture_output=True, text=True, timeout=60)
    if result.returncode == 0:
        pytest.skip(f"a coordinator answers at {expected} on this machine")
    tried = re.search(r"no reply from the coordinator at (\S+) within", result.stderr)
    assert tried is not None, result.stderr
    assert tried.group(1) == resolve_endpoint(argument, config_dir=named if config_dir else None, environ=environ,
                                              cwd=cwd) == expected


def test_configs_without_farm_yaml_mean_the_builtin_endpoint(tmp_path):
    (tmp_path / "configs").mkdir()
    assert resolve_endpoint(environ={}, cwd=tmp_path) == BUILTIN_CLIENT_ENDPOINT


@pytest.mark.parametrize("config_dir, environ, names", [
    ("missing", {}, "config_dir"),
    (None, {"FARM_CONFIG_DIR": "missing"}, "FARM_CONFIG_DIR"),
])
def test_a_named_configs_directory_must_exist(tmp_path, config_dir, environ, names):
    environ = {k: str(tmp_path / v) for k, v in environ.items()}
    with pytest.raises(ConfigError, match=names):
        resolve_endpoint(config_dir=tmp_path / config_dir if config_dir else None, environ=environ, cwd=tmp_path)


def test_the_packages_location_plays_no_part(tmp_path):
    """Outside a checkout's root nothing names the checkout's configs: the default endpoint."""
    write_farm_yaml(tmp_path / "repo" / "configs", "tcp://127.0.0.1:9")
    (tmp_path / "repo" / "python").mkdir()
    assert resolve_endpoint(environ={}, cwd=tmp_path / "repo" / "python") == BUILTIN_CLIENT_ENDPOINT
    assert resolve_endpoint(environ={}, cwd=tmp_path / "repo") == "tcp://127.0.0.1:9"


# JSON bodies.

def test_bodies_are_numpy_safe_snake_case_json():
    frames = protocol.encode("STATUS", {"job_id": np.int64(3), "eye": np.array([1.5, -2, 3], dtype=np.float32),
                                        "width": np.uint16(160), "flag": np.bool_(True), "ratio": float("nan"),
                                        "limit": np.float64("inf"), "pair": (np.int32(1), 2)})
    assert frames[:2] == [b"FARM01", b"STATUS"]
    assert frames[2] == (b'{"eye":[1.5,-2.0,3.0],"flag":true,"job_id":3,"limit":"inf","pair":[1,2],'
                         b'"ratio":"nan","width":160}')


@pytest.mark.parametrize("body, message", [
    ({"jobId": 1}, "not snake_case"),
    ({"nested": {"Bad-Key": 1}}, r"body\.nested: key 'Bad-Key'"),
    ({"what": object()}, "cannot be sent"),
])
def test_bodies_that_break_the_protocol_are_refused_naming_the_field(body, message):
    with pytest.raises((ValueError, TypeError), match=message):
        protocol.encode("STATUS", body)


@pytest.mark.parametrize("code, cls", [
    ("not_found", NotFoundError), ("invalid_job", InvalidJobError), ("bad_request", BadRequestError),
    ("not_ready", NotReadyError), ("forbidden", ForbiddenError), ("unknown_command", UnknownCommandError),
    ("unsupported_field", UnsupportedFieldError), ("some_future_code", CoordinatorError),
])
def test_error_codes_map_to_typed_exceptions(code, cls):
    error = error_from_reply({"code": code, "message": "what went wrong", "command": "STATUS"})
    assert type(error) is cls
    assert (error.code, error.message, error.command) == (code, "what went wrong", "STATUS")


# Against a real farm.

def test_submit_wait_status_and_fetch(local_farm, cartpole):
    seen = []
    with FarmClient(local_farm.client_endpoint) as client:
        job = submit(client, cartpole, "inline", video_interval=30)
        assert job["clips_total"] == 2
        final = client.wait(job["id"], timeout=120, progress=seen.append)
        assert final["state"] == "completed"
        assert seen[-1]["state"] == "completed" and len(seen) >= 1
        assert [c["file"] for c in final["clips"]] == ["rl-video-step-0.mp4", "rl-video-step-30.mp4"]
        assert any(j["id"] == job["id"] for j in client.status())
        assert client.workers()[0]["state"] in ("idle", "rendering")
        clip = final["clips"][1]
        data = client.fetch_clip(job["id"], clip["id"], chunk_bytes=1000)
        assert data == Path(clip["path"]).read_bytes()


def test_big_rollouts_go_up_in_chunks(local_farm, cartpole, monkeypatch):
    monkeypatch.setattr(protocol, "RECOMMENDED_CHUNK_BYTES", 2048)
    assert cartpole.stat().st_size > 3 * 2048
    with FarmClient(local_farm.client_endpoint) as client:
        job = submit(client, cartpole.read_bytes(), "chunked", clip_file="whole.mp4", video_length=5)
        assert [c["file"] for c in job["clips"]] == ["whole.mp4"]
        client.cancel(job["id"])


def test_a_rollout_under_a_mebibyte_is_copied_to_zeromq_not_lent(local_farm, tmp_path, monkeypatch):
    """A frame lent to ZeroMQ (pyzmq's ``copy=False`` over its 64 KiB threshold) wakes pyzmq's
    garbage-collector thread when ZeroMQ lets it go, CPU a trainer pays (docs/BENCHMARKS.md,
    trainer); a batch of clips' rollout is copied instead."""
    path = tmp_path / "cartpole.rlt"
    subprocess.run([str(bin_directory() / "farmctl"), "rollout", "--builtin", "cartpole", "--steps", "1000",
                    "--num_envs", "2", "--out", str(path)], check=True, capture_output=True)
    assert zmq.COPY_THRESHOLD < path.stat().st_size <= COPY_THRESHOLD_BYTES
    lent = []
    store = garbage.gc.store
    monkeypatch.setattr(garbage.gc, "store", lambda data, event=None: (lent.append(len(data)), store(data, event))[1])
    with FarmClient(local_farm.client_endpoint) as client:
        job = submit(client, path.read_bytes(), "copied", clip_file="copied.mp4", video_length=5)
        client.cancel(job["id"])
    assert lent == []


def test_coordinator_errors_arrive_as_typed_exceptions(local_farm, cartpole, tmp_path):
    with FarmClient(local_farm.client_endpoint) as client:
        with pytest.raises(NotFoundError, match="no job") as missing:
            client.status(987654)
        assert missing.value.code == "not_found" and missing.value.command == "STATUS"
        with pytest.raises(InvalidJobError, match="requires a supported backend"):
            submit(client, cartpole, "bad", physics="MujocoManager")
        with pytest.raises(InvalidJobError, match="clip_file"):
            submit(client, cartpole, "bad", clip_file="../escape.mp4")
        job = submit(client, cartpole, "long", video_length=60, clip_file="long.mp4")
        with pytest.raises(NotReadyError, match="not done"):
            client.fetch_clip(job["id"], job["clips"][0]["id"])
        client.wait(job["id"], timeout=120)
        with pytest.raises(BadRequestError, match="past the file's end"):
            client.request("FETCH_CLIP", {"job_id": job["id"], "clip_id": job["clips"][0]["id"],
                                          "offset": 1 << 40})
        out = client.fetch_clip(job["id"], job["clips"][0]["id"], tmp_path / "sub" / "long.mp4")
        assert out.read_bytes() == Path(client.status(job["id"])["clips"][0]["path"]).read_bytes()
        cancelled = client.cancel(job["id"])
        assert cancelled["state"] == "completed"


def test_a_submit_requiring_a_field_the_coordinator_lacks_is_refused_and_makes_nothing(local_farm, cartpole):
    """Field negotiation on the real coordinator: a required field it does not know refuses the
    SUBMIT, naming it, before anything is made; the fields it knows come back in ``applied_fields``."""
    body = submit_body(task="Isaac-Cartpole-v0", run="negotiated", video_length=10, clip_file="whole.mp4",
                       width=160, height=120, presets=["newton_mjwarp"], output="depth")
    with FarmClient(local_farm.client_endpoint) as client:
        before = client.status()
        with pytest.raises(UnsupportedFieldError, match="color_grading, streams.lens; it would have ignored"):
            client.request("SUBMIT", {**body, "required_fields": ["output", "color_grading", "streams.lens"]},
                           [cartpole.read_bytes()])
        assert client.status() == before
        reply, _ = client.request("SUBMIT", {**body, "required_fields": ["output"]}, [cartpole.read_bytes()])
        assert reply["applied_fields"] == ["output"] and reply["job"]["streams"][0]["output"] == "depth"
        client.cancel(reply["job"]["id"])


def test_farmctl_fetch_writes_the_clip_by_id_or_name(local_farm, cartpole, tmp_path):
    with FarmClient(local_farm.client_endpoint) as client:
        job = submit(client, cartpole, "cli", clip_file="cli.mp4", video_length=5)
        final = client.wait(job["id"], timeout=120)
    expected = Path(final["clips"][0]["path"]).read_bytes()
    for clip in (str(final["clips"][0]["id"]), "cli.mp4"):
        out = tmp_path / f"fetched-{clip}.mp4"
        subprocess.run([str(bin_directory() / "farmctl"), "fetch", job["id"], clip, "--out", str(out),
                        "--coordinator", local_farm.client_endpoint], check=True, capture_output=True)
        assert out.read_bytes() == expected
    failed = subprocess.run([str(bin_directory() / "farmctl"), "fetch", job["id"], "nope.mp4",
                             "--coordinator", local_farm.client_endpoint], capture_output=True, text=True)
    assert failed.returncode == 1 and "has no clip named nope.mp4" in failed.stderr


def test_a_silent_endpoint_times_out_with_a_typed_error():
    silent = zmq.Context.instance().socket(zmq.ROUTER)
    endpoint = free_endpoint()
    silent.bind(endpoint)
    try:
        with FarmClient(endpoint, timeout=0.3) as client:
            started = time.monotonic()
            with pytest.raises(FarmTimeout, match="no reply to STATUS"):
                client.status()
            assert time.monotonic() - started < 5
    finally:
        silent.close(linger=0)


# Streams (Isaac Lab 3's one per VideoRecorderCfg) against the real coordinator.

def test_streams_reach_the_coordinator_field_by_field(local_farm, cartpole):
    from renderfarm.client import Stream

    renderer = {"presets": ["newton_mjwarp"], "renderer_types": ["newton_warp"], "backend_source": "renderer"}
    with FarmClient(local_farm.client_endpoint) as client:
        job = submit(client, cartpole, "streams", video_interval=30, render_fps=30.0, keep_last_n_clips=4, streams=[
            Stream("viewport", video_length=5, video_interval=20, step_offset=2, fps=24, eye=(3.0, 0.0, 2.0),
                   lookat=(0.0, 0.0, 0.0), origin_type="world", width=128, height=96, keep_last_n_clips=1),
            {"prefix": "wrist", "output": "depth", "depth_colormap_min": 0.5, "depth_colormap_max": 3.0,
             "frame_stride": 2, "backend_inputs": renderer}])
        client.cancel(job["id"])
    assert [(s["prefix"], s["output"], s["width"], s["height"], s["fps"], s.get("keep_last_n_clips"))
            for s in job["streams"]] == [
        ("viewport", "rgb", 128, 96, {"numerator": 24, "denominator": 1}, 1),
        ("wrist", "depth", 160, 120, {"numerator": 15, "denominator": 1}, 4)]
    # viewport: steps 3..7, 23..27, 43..47; wrist (the job's video_interval 30, frame_stride 2): from steps 1 and 31.
    assert sorted((clip["file"], clip["first_step"], clip["frames"], clip["stream"]) for clip in job["clips"]) == [
        ("viewport_0000.mp4", 2, 5, 0), ("viewport_0001.mp4", 22, 5, 0), ("viewport_0002.mp4", 42, 5, 0),
        ("wrist_0000.mp4", 1, 5, 1), ("wrist_0001.mp4", 31, 5, 1)]


@pytest.mark.parametrize("stream, message", [
    ({"prefix": "wrist", "depth_colormap_max": 3.0},
     "stream 'wrist': depth_colormap_min/max apply to the depth output"),
    ({"prefix": "wrist", "keep_last_n_clips": 0}, "stream 'wrist': keep_last_n_clips is 0"),
    ({"prefix": "wrist", "env_index": 1},
     "stream 'wrist': env_index, asset_name, body_name and body_index need origin_type"),
])
def test_a_stream_the_coordinator_refuses_is_named_in_the_error(local_farm, cartpole, stream, message):
    with FarmClient(local_farm.client_endpoint) as client:
        with pytest.raises(InvalidJobError, match=message):
            submit(client, cartpole, "refused", streams=[{"prefix": "viewport"}, stream])


# A lost SUBMIT reply (issue 19): the same SUBMIT goes again with one idempotency key.

def test_a_lost_submit_reply_is_retried_with_one_key_then_reported_honestly(cartpole):
    silent = zmq.Context.instance().socket(zmq.ROUTER)
    endpoint = free_endpoint()
    silent.bind(endpoint)
    keys = []
    try:
        with FarmClient(endpoint, timeout=0.3) as client:
            with pytest.raises(FarmTimeout, match="the job may have been accepted; `farmctl status` shows it"):
                submit(client, cartpole, "lost")
        while silent.poll(100, zmq.POLLIN):
            frames = silent.recv_multipart()
            command, body, _ = protocol.decode(frames[1:])
            if command == "SUBMIT":
                keys.append(body["idempotency_key"])
    finally:
        silent.close(linger=0)
    assert len(keys) == FarmClient.SUBMIT_TRIES
    assert len(set(keys)) == 1 and keys[0]


def test_a_repeated_submit_finds_the_first_job(local_farm, cartpole):
    with FarmClient(local_farm.client_endpoint) as client:
        first = submit(client, cartpole, "repeat", idempotency_key="repeat-key-1")
        again = submit(client, cartpole, "repeat", idempotency_key="repeat-key-1")
        assert again["id"] == first["id"]
        other = submit(client, cartpole, "repeat")
        assert other["id"] != first["id"]
        client.cancel(first["id"])
        client.cancel(other["id"])


def test_retry_renders_a_failed_jobs_failed_clips_again(cartpole, tmp_path):
    """A worker whose scratch folder vanished fails its clip (the job allows no retries); once the
    folder is back, ``retry`` sends the clip to it again, as ``farmctl retry`` does."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    with LocalFarm(tmp_path / "farm", config_dir=CONFIGS, worker_arguments=["--scratch-dir", str(scratch)]) as farm, \
            FarmClient(farm.client_endpoint) as client:
        [own] = scratch.glob("run-*")  # the worker's folder, which it keeps locked
        own.rename(tmp_path / "away")
        job = submit(client, cartpole, "retry", video_interval=100, max_retries=0)
        failed = client.wait(job["id"], timeout=120)
        assert failed["state"] == "failed"
        assert [(clip["state"], clip["attempts"]) for clip in failed.get("clips", [])] == [("failed", 1)]

        (tmp_path / "away").rename(own)
        retried = client.retry(job["id"])
        # Queued again, and dispatched at once to the idle worker, perhaps before the reply was made.
        assert retried["id"] == job["id"] and retried["state"] in ("queued", "running")
        done = client.wait(job["id"], timeout=120)
        assert done["state"] == "completed", done.get("clips")
        assert [clip["state"] for clip in done.get("clips", [])] == ["done"]

        with pytest.raises(BadRequestError):
            client.retry(job["id"])
        with pytest.raises(NotFoundError):
            client.retry("999999")


def test_a_record_without_a_field_the_wire_requires_is_a_protocol_error():
    from renderfarm.records import JobRecord, WorkerRecord, checked, checked_list

    with pytest.raises(ProtocolError, match=r"STATUS's job \(JobRecord\) has no 'submitted_at'"):
        checked({k: v for k, v in JOB.items() if k != "submitted_at"}, JobRecord, "STATUS's job")
    with pytest.raises(ProtocolError, match=r"job\.clips\[0\] \(ClipRecord\) has no 'attempts'"):
        checked({**JOB, "clips": [{"id": 0, "file": "a.mp4", "first_step": 0, "frames": 4, "state": "done"}]},
                JobRecord, "job")
    with pytest.raises(ProtocolError, match="not a list of WorkerRecord objects"):
        checked_list({}, WorkerRecord, "WORKERS's workers")
    assert checked({**JOB, "some_future_field": 1}, JobRecord, "job")["some_future_field"] == 1  # type: ignore[typeddict-item]


JOB = {"id": "1", "state": "queued", "workflow": "w", "task": "t", "run": "r", "backend": "newton_gl",
       "video_dir": "/logs/w/t/r/videos/train", "clips_total": 1, "clips_done": 0, "clips_failed": 0,
       "frames_total": 4, "frames_done": 0, "warnings": [], "submitted_at": 1.0}


def test_overwrite_is_sent_only_for_a_clip_file():
    from renderfarm.client import submit_body

    common = dict(task="Ant-v5", run="r", video_length=4)
    assert "overwrite" not in submit_body(**common, clip_file="a.mp4")
    assert submit_body(**common, clip_file="a.mp4", overwrite=True)["overwrite"] is True
    with pytest.raises(ValueError, match="overwrite applies to a clip_file"):
        submit_body(**common, overwrite=True)
