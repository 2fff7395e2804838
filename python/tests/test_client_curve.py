"""FarmClient on an authenticated (CURVE) farm: a real coordinator with allow lists."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import CONFIGS, bin_directory
from renderfarm.farm import LocalFarm
from renderfarm.client import ConfigError, FarmClient, FarmTimeout
from renderfarm.client.curve import read_key_file


def generate(folder: Path, name: str) -> Path:
    path = folder / name
    subprocess.run([str(bin_directory() / "farmctl"), "keys", "generate", "--out", str(path)], check=True,
                   capture_output=True)
    return path


@pytest.fixture(scope="module")
def curve_farm(tmp_path_factory):
    keys = tmp_path_factory.mktemp("keys")
    coordinator, client, worker, stranger = (generate(keys, n) for n in ("coordinator", "client", "worker", "stranger"))
    with LocalFarm(tmp_path_factory.mktemp("curve-farm"), workers=0, config_dir=CONFIGS, coordinator_arguments=[
            "--curve-key-file", str(coordinator), "--worker-allow-list", str(worker) + ".pub",
            "--client-allow-list", str(client) + ".pub"]) as farm:
        yield farm, (keys / "coordinator.pub").read_text().strip(), client, stranger


def test_a_client_with_an_allowed_key_is_served(curve_farm, monkeypatch):
    farm, coordinator_key, client_key, _ = curve_farm
    with FarmClient(farm.client_endpoint, coordinator_key=coordinator_key, key_file=client_key) as client:
        assert client.workers() == []
    monkeypatch.setenv("FARM_COORDINATOR_KEY", coordinator_key)
    monkeypatch.setenv("FARM_CLIENT_KEY_FILE", str(client_key))
    with FarmClient(farm.client_endpoint) as client:
        assert client.status() == []


@pytest.mark.parametrize("who", ["no key", "stranger"])
def test_clients_without_an_allowed_key_get_no_reply(curve_farm, who, monkeypatch):
    farm, coordinator_key, _, stranger = curve_farm
    for variable in ("FARM_COORDINATOR_KEY", "FARM_CLIENT_KEY_FILE"):
        monkeypatch.delenv(variable, raising=False)
    keys = {} if who == "no key" else {"coordinator_key": coordinator_key, "key_file": stranger}
    with FarmClient(farm.client_endpoint, timeout=0.5, **keys) as client:
        with pytest.raises(FarmTimeout):
            client.workers()


def test_key_lookup_errors_say_what_is_missing(tmp_path, monkeypatch):
    monkeypatch.delenv("FARM_CLIENT_KEY_FILE", raising=False)
    with pytest.raises(ConfigError, match="no client key file"):
        FarmClient("tcp://127.0.0.1:1", coordinator_key="x" * 40, config_dir=tmp_path)
    (tmp_path / "bad").write_text("public = short\n")
    with pytest.raises(ConfigError, match="no 'public = <Z85>'"):
        read_key_file(tmp_path / "bad")
    zcert = tmp_path / "zcert"
    zcert.write_text('curve\n    public-key = "' + "a" * 40 + '"\n    secret-key = "' + "b" * 40 + '"\n')
    assert read_key_file(zcert) == (b"a" * 40, b"b" * 40)
