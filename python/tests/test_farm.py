"""renderfarm.farm: where the farm's binaries are found, and a LocalFarm's processes' lifetime."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import CONFIGS, REPO
from renderfarm.client import FarmClient
from renderfarm.farm import LOWEST_FREE_PORT, LocalFarm, bin_directory, ephemeral_range_start, free_port


def test_farm_bin_names_the_binaries_else_path_finds_them(tmp_path, monkeypatch):
    named, on_path = tmp_path / "named", tmp_path / "on-path"
    on_path.mkdir()
    (on_path / "farm-coordinator").write_text("#!/bin/sh\n")
    (on_path / "farm-coordinator").chmod(0o755)
    monkeypatch.setenv("PATH", str(on_path))
    monkeypatch.setenv("FARM_BIN", str(named))
    assert bin_directory() == named
    monkeypatch.setenv("FARM_BIN", "")
    assert bin_directory() == on_path
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    with pytest.raises(FileNotFoundError, match="set FARM_BIN"):
        bin_directory()


def test_a_local_farm_serves_inside_its_block_and_leaves_no_process_behind(farm_bin: Path, tmp_path):
    with LocalFarm(tmp_path / "farm", workers=2, config_dir=CONFIGS) as farm:
        pids = farm.pids()
        with FarmClient(farm.client_endpoint) as client:
            assert sorted(worker["pid"] for worker in client.workers()) == sorted(pids[1:])
    assert farm.pids() == []
    assert [pid for pid in pids if Path(f"/proc/{pid}").exists()] == [], "stopped and reaped"


def test_free_ports_lie_below_the_ephemeral_range_where_no_connection_takes_them():
    start = ephemeral_range_start()
    ports = {free_port() for _ in range(20)}
    assert all(LOWEST_FREE_PORT <= port < start for port in ports), (sorted(ports), start)


def test_the_free_port_rule_is_the_swift_launchers():
    """The Swift launcher (``LoopbackPorts``) owns the rule; this copy is held to it."""
    swift = (REPO / "Sources" / "FarmLaunch" / "LoopbackPorts.swift").read_text()
    lowest = re.search(r"static let lowestPort = ([0-9_]+)", swift)
    assert lowest is not None and int(lowest.group(1).replace("_", "")) == LOWEST_FREE_PORT
    assert "49_152" in swift and "lowestPort + 1_000" in swift
