"""renderfarm's protocol module and client against the FARM01 spec (docs/protocol/farm01.json), both
ways: what the client sends uses only the spec's fields and every SUBMIT field the spec has, the
spec's sample replies are read, and limits, error codes and enums are the spec's. Also: PROTOCOL.md's
tables are the spec's (tools/protocol-doc --check)."""

from __future__ import annotations

import dataclasses
import importlib
import json
import pkgutil
import re
import subprocess
import sys
import typing
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from renderfarm import client as client_package
from renderfarm import protocol, records
from renderfarm.client import FarmClient, Stream, submit_body
from renderfarm.client import errors, farm_client, streams

REPO = Path(__file__).resolve().parents[2]
SPEC: dict[str, Any] = json.loads((REPO / "docs" / "protocol" / "farm01.json").read_text())
#: Codes only the worker socket answers with; a client never receives them.
WORKER_ONLY_CODES = {"not_registered"}
#: SUBMIT fields ``FarmClient.submit`` sets itself rather than ``submit_body``.
SET_BY_SUBMIT = {"upload_id", "idempotency_key", "required_fields"}


def field_names(name: str) -> set[str]:
    return {field["name"] for field in SPEC["objects"][name]["fields"]}


def enum_values(name: str) -> list[str]:
    return [value["name"] for value in SPEC["enums"][name]["values"]]


def sample(name: str, **values: Any) -> dict[str, Any]:
    """A body of spec object ``name`` with every field set (the first value of an enum), and ``values``."""
    def of(kind: str, enum: str | None) -> Any:
        if kind.startswith("["):
            return [of(kind[1:-1], enum)]
        if kind.startswith("@"):
            return sample(kind[1:])
        if enum == "error_codes":
            return SPEC["error_codes"][0]["code"]
        if enum is not None and enum in SPEC["enums"]:
            return enum_values(enum)[0]
        return {"int": 1, "number": 1.5, "bool": True, "xyz": [1.0, 2.0, 3.0]}.get(kind, "text")
    body = {field["name"]: of(field["type"], field.get("enum")) for field in SPEC["objects"][name]["fields"]}
    return {**body, **values}


class SpecCoordinator:
    """Stands in for ``FarmClient.request``: records each request and answers with a spec sample."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, Any]]] = []

    def __call__(self, command: str, body: dict[str, Any] | None = None,
                 binaries: Sequence[bytes | memoryview] = (), *, timeout: float | None = None
                 ) -> tuple[dict[str, Any], list[bytes]]:
        self.requests.append((command, protocol.to_wire(body or {})))
        if command == "FETCH_CLIP":
            return {"clip_chunk": sample("clip_chunk", offset=0, bytes=1, total_bytes=1)}, [b"\0"]
        if command in ("UPLOAD_BEGIN", "UPLOAD_CHUNK"):
            return {"upload": sample("upload_state")}, []
        reply = sample("ok_reply")
        if command == "SUBMIT":
            reply["applied_fields"] = (body or {}).get("required_fields", [])
        if command == "STATUS" and "clips_after" in (body or {}):
            del reply["job"]["next_clips_after"]  # the last page
        return reply, []


def test_protocol_doc_tables_are_the_specs() -> None:
    checked = subprocess.run([sys.executable, str(REPO / "tools" / "protocol-doc"), "--check"],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


def test_version_and_limits_are_the_specs() -> None:
    limits = {limit["name"]: limit["value"] for limit in SPEC["limits"]}
    assert protocol.VERSION == SPEC["version"] and protocol.HEADER == SPEC["protocol"].encode()
    assert (protocol.MAX_WORD_BYTES, protocol.MAX_JSON_BYTES, protocol.MAX_BINARY_FRAME_BYTES,
            protocol.MAX_BINARY_FRAMES, protocol.RECOMMENDED_CHUNK_BYTES) == (
        limits["max_word_bytes"], limits["max_json_bytes"], limits["max_binary_frame_bytes"],
        limits["max_binary_frames"], limits["recommended_chunk_bytes"])


def test_every_error_code_a_client_can_get_has_its_exception() -> None:
    codes = {code["code"] for code in SPEC["error_codes"]} - WORKER_ONLY_CODES
    typed = {code for code in codes if type(errors.error_from_reply({"code": code, "message": ""}))
             is not errors.CoordinatorError}
    assert typed == codes


def test_enums_the_client_checks_are_the_specs() -> None:
    assert list(streams.OUTPUTS) == enum_values("output")
    assert list(streams.ORIGIN_TYPES) == enum_values("origin_type")
    assert farm_client.FINISHED_STATES < set(enum_values("job_state"))
    assert farm_client.ISAACLAB_SCHEDULE in enum_values("schedule")
    literals = {"job_state": records.JobState, "clip_state": records.ClipState, "video_backend": records.VideoBackend,
                "output": records.Output, "stream_origin": records.StreamOrigin, "device_kind": records.DeviceKind}
    for name, literal in literals.items():
        assert list(typing.get_args(literal)) == enum_values(name), name
    # WORKERS never lists a worker that said goodbye.
    assert list(typing.get_args(records.WorkerRecordState)) == [value for value in enum_values("worker_phase")
                                                                if value != "gone"]


def test_the_typed_replies_hold_only_ok_fields() -> None:
    for reply in (records.SubmitReply, records.StatusReply):
        assert set(getattr(reply, "__optional_keys__")) <= field_names("ok_reply"), reply.__name__


def test_a_stream_has_exactly_the_specs_fields() -> None:
    assert {field.name for field in dataclasses.fields(Stream)} == field_names("stream_request")


def test_submit_body_sets_every_submit_field_and_no_other() -> None:
    every: dict[str, Any] = {"workflow": "w", "task": "t", "run": "r", "video_length": 2, "video_interval": 4, "schedule": "isaaclab",
             "step_offset": 1, "frame_stride": 2, "fps": 30, "render_fps": 60.0, "presets": ["p"], "physics": "x",
             "renderer_types": ["r"], "visualizers": ["v"], "backend_source": "renderer", "eye": (1, 2, 3),
             "lookat": (0, 0, 0), "width": 64, "height": 48, "max_retries": 1, "keep_last_n_clips": 3,
             "output": "depth", "depth_colormap_min": 0.5, "depth_colormap_max": 4.0}
    scheduled = submit_body(**every, streams=[Stream("a")])
    single = submit_body(**{**every, "schedule": None, "step_offset": None, "frame_stride": None},
                         clip_file="a_0001.mp4", overwrite=True)
    numbered = submit_body(**{**every, "step_offset": None}, clip_prefix="a", local_files=["a_0001.mp4"])
    assert set(scheduled) | set(single) | set(numbered) == field_names("submit_job") - SET_BY_SUBMIT
    assert set(scheduled["backend_inputs"]) == field_names("backend_inputs")


def test_added_fields_are_the_specs() -> None:
    added = [field["name"] for field in SPEC["objects"]["submit_job"]["fields"] if field.get("added")]
    assert list(farm_client.ADDED_SUBMIT_FIELDS) == added


def test_every_request_uses_the_specs_fields_and_reads_its_replies(tmp_path: Path) -> None:
    coordinator = SpecCoordinator()
    client = FarmClient("tcp://127.0.0.1:1")
    client.request = coordinator  # type: ignore[method-assign]
    job = client.submit(b"rollout", task="t", run="r", video_length=2, streams=[Stream("a", origin_type="env")])
    assert job == sample("job_record")
    assert client.status() == [sample("job_record")]
    # One job's clips come in pages, joined.
    paged = sample("job_record")
    paged["clips"] = paged["clips"] * 2
    del paged["next_clips_after"]
    assert client.status(1) == paged
    assert client.workers() == [sample("worker_record")]
    assert client.cancel(1) == sample("job_record")
    assert client.fetch_clip(1, 1) == b"\0"
    client.submit(b"x" * (protocol.RECOMMENDED_CHUNK_BYTES + 1), task="t", run="r", video_length=2)
    bodies = {message["command"]: message["body"] for message in SPEC["messages"] if message["from"] == "client"}
    for command, body in coordinator.requests:
        assert set(body) <= field_names(bodies[command]), command
        for stream in body.get("streams", []):
            assert set(stream) <= field_names("stream_request")
    submitted = coordinator.requests[0][1]
    assert submitted["required_fields"] == ["streams", "streams.origin_type", "streams.prefix"]
    assert {command for command, _ in coordinator.requests} == {
        "SUBMIT", "STATUS", "WORKERS", "CANCEL_JOB", "FETCH_CLIP", "UPLOAD_BEGIN", "UPLOAD_CHUNK"}



def typed_records() -> dict[str, type]:
    """The package's TypedDicts named after a spec object (``JobRecord`` → ``job_record``)."""
    found: dict[str, type] = {}
    modules = [protocol, records, *(importlib.import_module(f"renderfarm.client.{module.name}")
                           for module in pkgutil.iter_modules(client_package.__path__))]
    for module in modules:
        for value in vars(module).values():
            if isinstance(value, type) and hasattr(value, "__required_keys__"):
                name = re.sub(r"(?<!^)(?=[A-Z])", "_", value.__name__).lower()
                if name in SPEC["objects"]:
                    found[name] = value
    return found


@pytest.mark.parametrize("name, record", sorted(typed_records().items()))
def test_a_typed_record_has_the_specs_fields_required_as_the_spec_says(name: str, record: type) -> None:
    fields = SPEC["objects"][name]["fields"]
    assert set(getattr(record, "__required_keys__")) == {field["name"] for field in fields if field["required"]}
    assert set(getattr(record, "__optional_keys__")) == {field["name"] for field in fields if not field["required"]}
