#!/usr/bin/env python3
"""Checks cluster/k8s/ offline:

- every manifest against Kubernetes' own JSON schemas (kubernetes-validate, strict, for the oldest
  and newest Kubernetes the guide supports), and the kustomization's rendered output likewise;
- what the farm needs of them: one coordinator replica whose flags follow docs/DEPLOY.md and whose
  volumes hold its state dir and logs root, a Service whose ports the workers use, workers with one
  GPU and NVIDIA_DRIVER_CAPABILITIES including graphics, probes and resource requests everywhere;
- the workers' liveness/readiness commands, run with sh against health files that are fresh,
  stale, disconnected or missing.

kubernetes-validate comes from PyPI (tools/test-cluster installs it into .build-cluster/venv);
SKIPPED where it cannot be had.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from clustertest import REPO, Failure, Results, Skip, exit_on_signals, run  # noqa: E402

K8S = REPO / "cluster" / "k8s"
MANIFESTS = ["namespace.yaml", "storage.yaml", "coordinator.yaml", "workers.yaml",
             "examples/submit-cartpole.yaml"]
KUBERNETES_VERSIONS = ["1.27.0", "1.37.0"]
HEALTH_FILE = "/run/farm/health"


def validator() -> str:
    candidates = [os.environ.get("FARM_KUBERNETES_VALIDATE", ""), shutil.which("kubernetes-validate") or ""]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            try:
                run([candidate, "--version"], timeout=60)
            except (OSError, Failure) as error:
                raise Skip(f"{candidate} does not run here: {error}") from error
            return candidate
    raise Skip("kubernetes-validate (PyPI) not installed; tools/test-cluster installs it into "
               ".build-cluster/venv when PyPI is reachable")


def load_yaml():
    try:
        import yaml  # noqa: PLC0415  (PyYAML comes with kubernetes-validate)
    except ImportError as error:
        raise Skip("PyYAML not importable; run through tools/test-cluster (its venv has it)") from error
    return yaml


def documents() -> dict[tuple[str, str], dict]:
    yaml = load_yaml()
    found = {}
    for name in MANIFESTS:
        for doc in yaml.safe_load_all((K8S / name).read_text()):
            if doc:
                found[(doc["kind"], doc["metadata"]["name"])] = doc
    return found


def validate_files(tool: str, files: list[Path]) -> None:
    for version in KUBERNETES_VERSIONS:
        done = run([tool, "--strict", "--quiet", "-k", version, *map(str, files)], timeout=120,
                   check=False)
        output = (done.stdout + done.stderr).strip()
        if done.returncode != 0 or "ERROR" in output or "WARN" in output:
            raise Failure(f"kubernetes-validate -k {version} (exit {done.returncode}):\n{output}")


def validate_kustomization(tool: str, tmp: Path) -> None:
    kubectl = shutil.which("kubectl")
    if not kubectl:
        raise Skip("kubectl not installed, so `kubectl kustomize` cannot render cluster/k8s")
    rendered = tmp / "rendered.yaml"
    rendered.write_text(run([kubectl, "kustomize", str(K8S)], timeout=60).stdout)
    validate_files(tool, [rendered])
    text = rendered.read_text()
    if "image: render-farm:latest" in text:
        raise Failure("kustomization leaves the image unset (render-farm:latest)")


def containers(doc: dict) -> list[dict]:
    return doc["spec"]["template"]["spec"]["containers"]


def flag(command: list[str], name: str) -> str | None:
    for i, word in enumerate(command):
        if word == name and i + 1 < len(command):
            return command[i + 1]
        if word.startswith(name + "="):
            return word.split("=", 1)[1]
    return None


def farm_requirements() -> None:
    docs = documents()
    coordinator = docs[("StatefulSet", "farm-coordinator")]
    workers = docs[("Deployment", "farm-worker")]
    service = docs[("Service", "farm-coordinator")]
    problems = []

    if coordinator["spec"]["replicas"] != 1:
        problems.append("coordinator replicas must be 1 (one writer of the SQLite state)")
    [c] = containers(coordinator)
    mounts = {m["mountPath"]: m["name"] for m in c["volumeMounts"]}
    claims = {v["name"]: v.get("persistentVolumeClaim", {}).get("claimName")
              for v in coordinator["spec"]["template"]["spec"]["volumes"]}
    for option in ("--state-dir", "--logs-root"):
        path = flag(c["command"], option)
        if path is None:
            problems.append(f"coordinator command lacks {option}")
        elif claims.get(mounts.get(path)) is None:
            problems.append(f"coordinator {option} {path} is not on a PersistentVolumeClaim")
        elif ("PersistentVolumeClaim", claims[mounts[path]]) not in docs:
            problems.append(f"coordinator claims {claims[mounts[path]]}, which no manifest defines")
    ports = {p["name"]: p["containerPort"] for p in c["ports"]}
    for option, port_name in (("--worker-endpoint", "workers"), ("--client-endpoint", "clients")):
        endpoint = flag(c["command"], option) or ""
        if not endpoint.endswith(f":{ports.get(port_name)}"):
            problems.append(f"coordinator {option} {endpoint} is not its {port_name} port")
    service_ports = {p["name"]: p["port"] for p in service["spec"]["ports"]}
    # Prometheus finds /metrics through the pod's scrape annotations and the Service's metrics port.
    metrics = flag(c["command"], "--metrics-address") or ""
    annotations = coordinator["spec"]["template"]["metadata"].get("annotations", {})
    if not metrics.endswith(f":{ports.get('metrics')}") or service_ports.get("metrics") is None:
        problems.append(f"coordinator --metrics-address {metrics} is not its metrics port, or the Service lacks it")
    if annotations.get("prometheus.io/port") != str(ports.get("metrics")):
        problems.append("the coordinator pod's prometheus.io/port annotation is not its metrics port")
    if service["spec"]["selector"].items() > coordinator["spec"]["template"]["metadata"]["labels"].items():
        problems.append("the Service's selector does not match the coordinator's pod labels")

    [w] = containers(workers)
    expected = f"tcp://{service['metadata']['name']}:{service_ports.get('workers')}"
    if flag(w["command"], "--coordinator") != expected:
        problems.append(f"workers' --coordinator is {flag(w['command'], '--coordinator')}, "
                        f"the Service's worker port is {expected}")
    if str(w["resources"].get("limits", {}).get("nvidia.com/gpu")) != "1":
        problems.append("workers must each have limits nvidia.com/gpu: 1")
    env = {e["name"]: e.get("value", "") for e in w.get("env", [])}
    capabilities = set(env.get("NVIDIA_DRIVER_CAPABILITIES", "").split(","))
    if not {"compute", "utility", "graphics"} <= capabilities:
        problems.append(f"NVIDIA_DRIVER_CAPABILITIES is {capabilities}; EGL needs graphics")
    if flag(w["command"], "--health-file") != HEALTH_FILE:
        problems.append(f"workers do not pass --health-file {HEALTH_FILE}")

    for name, doc in (("coordinator", coordinator), ("worker", workers)):
        for container in containers(doc):
            for probe in ("livenessProbe", "readinessProbe"):
                if probe not in container:
                    problems.append(f"{name} has no {probe}")
            requests = container.get("resources", {}).get("requests", {})
            if not {"cpu", "memory"} <= requests.keys():
                problems.append(f"{name} lacks cpu and memory requests")
    if problems:
        raise Failure("; ".join(problems))


def worker_probes_follow_health_file(tmp: Path) -> None:
    """Runs the workers' probe commands against health files in each state the worker can be in."""
    [w] = containers(documents()[("Deployment", "farm-worker")])
    health = tmp / "health"

    def probe(kind: str) -> bool:
        command = [word.replace(HEALTH_FILE, str(health)) for word in w[kind]["exec"]["command"]]
        return run(command, timeout=10, check=False).returncode == 0

    def write(connected: bool, age: float) -> None:
        now = time.time()
        health.write_text(json.dumps({"time": now - age, "connected": connected, "state": "idle"}) + "\n")
        os.utime(health, (now - age, now - age))

    cases = [  # (what, set up, live, ready)
        ("fresh, connected", lambda: write(True, 0), True, True),
        ("fresh, compact JSON", lambda: health.write_text('{"time":1,"connected":true}\n'), True, True),
        ("fresh, coordinator lost", lambda: write(False, 0), True, False),
        ("stale (60 s)", lambda: write(True, 60), False, False),
        ("missing", lambda: health.unlink(missing_ok=True), False, False),
    ]
    problems = []
    for what, set_up, live, ready in cases:
        set_up()
        got = (probe("livenessProbe"), probe("readinessProbe"))
        if got != (live, ready):
            problems.append(f"{what}: (live, ready) = {got}, expected {(live, ready)}")
    if problems:
        raise Failure("; ".join(problems))


def auth_on() -> None:
    """CURVE is on: the coordinator gets its key pair from a Secret and allow lists for both roles;
    workers and the probes' farmctl present keys (docs/PROTOCOL.md, "Security")."""
    docs = documents()
    coordinator = docs[("StatefulSet", "farm-coordinator")]
    workers = docs[("Deployment", "farm-worker")]
    problems = []

    def mounted(doc: dict, container: dict, path: str | None) -> dict | None:
        """The volume holding `path` in the container, by the longest mount path above it."""
        if path is None:
            return None
        mounts = [m for m in container.get("volumeMounts", []) if path.startswith(m["mountPath"].rstrip("/") + "/")]
        if not mounts:
            return None
        name = max(mounts, key=lambda m: len(m["mountPath"]))["name"]
        return next((v for v in doc["spec"]["template"]["spec"]["volumes"] if v["name"] == name), None)

    [c] = containers(coordinator)
    key = mounted(coordinator, c, flag(c["command"], "--curve-key-file"))
    if key is None or "secret" not in key:
        problems.append("the coordinator's --curve-key-file is not on a Secret volume")
    for option in ("--worker-allow-list", "--client-allow-list"):
        if mounted(coordinator, c, flag(c["command"], option)) is None:
            problems.append(f"the coordinator's {option} is missing or not on a volume")
    for name, doc, key_variable in (("coordinator probes", coordinator, "FARM_CLIENT_KEY_FILE"),
                                    ("workers", workers, "FARM_WORKER_KEY_FILE")):
        [container] = containers(doc)
        env = {e["name"]: e for e in container.get("env", [])}
        if "FARM_COORDINATOR_KEY" not in env:
            problems.append(f"{name}: no FARM_COORDINATOR_KEY")
        volume = mounted(doc, container, env.get(key_variable, {}).get("value"))
        if volume is None or "secret" not in volume:
            problems.append(f"{name}: {key_variable} is not a file on a Secret volume")
        elif not doc["spec"]["template"]["spec"].get("securityContext", {}).get("fsGroup"):
            problems.append(f"{name}: no fsGroup, so the non-root user cannot read its key Secret")
    if problems:
        raise Failure("; ".join(problems))


def main() -> None:
    exit_on_signals()
    results = Results()
    tmp = Path(tempfile.mkdtemp(prefix="farm-k8s-test-"))
    try:
        def schemas() -> None:
            validate_files(validator(), [K8S / name for name in MANIFESTS])
        results.check(f"k8s: manifests valid against Kubernetes {' and '.join(KUBERNETES_VERSIONS)} "
                      "schemas (strict)", schemas)
        results.check("k8s: kustomization renders valid manifests",
                      lambda: validate_kustomization(validator(), tmp))
        results.check("k8s: coordinator, Service, PVCs and GPU workers fit together", farm_requirements)
        results.check("k8s: CURVE on: key Secrets and allow lists for coordinator, workers and probes", auth_on)
        results.check("k8s: worker probes follow the heartbeat health file",
                      lambda: worker_probes_follow_health_file(tmp))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    results.exit()


if __name__ == "__main__":
    main()
