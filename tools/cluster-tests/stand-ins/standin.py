"""Test doubles for farm-coordinator, farm-worker and farmctl that check farm.sbatch's orchestration.

They follow the farm's command-line and signal contracts (docs/DEPLOY.md: flags, TERM = drain and exit 0)
and record what they saw as JSON lines in $FARM_STANDIN_EVENTS, so the Slurm mechanics test can
check arguments, GPU binding, endpoints and shutdown order without the real farm.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import threading
import time


def record(who: str, event: str, **fields: object) -> None:
    line = json.dumps({"t": time.time(), "who": who, "pid": os.getpid(), "event": event, **fields})
    fd = os.open(os.environ["FARM_STANDIN_EVENTS"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, (line + "\n").encode())
    finally:
        os.close(fd)


def option(argv: list[str], name: str) -> str | None:
    return argv[argv.index(name) + 1] if name in argv and argv.index(name) + 1 < len(argv) else None


def host_port(endpoint: str) -> tuple[str, int]:
    if not endpoint.startswith("tcp://"):
        raise SystemExit(f"not a tcp:// endpoint: {endpoint}")
    host, _, port = endpoint[len("tcp://"):].rpartition(":")
    return ("0.0.0.0" if host in ("*", "") else host), int(port)


def wait_for_term(who: str, on_term) -> None:
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    while not stop.wait(0.2):
        pass
    on_term()


def coordinator(argv: list[str]) -> None:
    flags = {name: option(argv, name) for name in
             ("--state-dir", "--logs-root", "--worker-endpoint", "--client-endpoint")}
    missing = [name for name, value in flags.items() if value is None]
    if missing:
        print(f"farm-coordinator stand-in: missing {missing}", file=sys.stderr)
        raise SystemExit(2)
    listeners = []
    for role in ("worker", "client"):
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(host_port(flags[f"--{role}-endpoint"]))
        listener.listen(16)
        listeners.append(listener)
        threading.Thread(target=serve, args=(listener, role), daemon=True).start()
    record("coordinator", "started", argv=argv, host=socket.gethostname())
    print("coordinator stand-in listening", flush=True)

    def on_term() -> None:
        record("coordinator", "term")
        for listener in listeners:
            listener.close()
        record("coordinator", "stopped")
    wait_for_term("coordinator", on_term)


def serve(listener: socket.socket, role: str) -> None:
    while True:
        try:
            connection, _ = listener.accept()
        except OSError:
            return
        with connection:
            connection.settimeout(2)
            try:
                hello = connection.recv(4096).decode(errors="replace").strip()
            except OSError:
                continue
            if hello:
                record("coordinator", f"{role}-hello", hello=hello)


def worker(argv: list[str]) -> None:
    endpoint = option(argv, "--coordinator")
    if endpoint is None:
        print("farm-worker stand-in: missing --coordinator", file=sys.stderr)
        raise SystemExit(2)
    record("worker", "started", argv=argv, host=socket.gethostname(),
           cuda_visible_devices=os.environ.get("CUDA_VISIBLE_DEVICES"),
           procid=os.environ.get("SLURM_PROCID"), localid=os.environ.get("SLURM_LOCALID"))
    deadline = time.monotonic() + 20
    while True:
        try:
            with socket.create_connection(host_port(endpoint), timeout=2) as connection:
                connection.sendall(f"worker {os.getpid()}\n".encode())
            break
        except OSError as error:
            if time.monotonic() > deadline:
                record("worker", "connect-failed", error=str(error))
                break
            time.sleep(0.2)
    print(f"worker stand-in {os.getpid()} connected to {endpoint}", flush=True)

    def on_term() -> None:
        record("worker", "term")
        time.sleep(float(os.environ.get("FARM_STANDIN_DRAIN_SECONDS", "1")))  # the clip in flight
        record("worker", "drained")
    wait_for_term("worker", on_term)


Z85 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#"


def z85(data: bytes) -> str:
    """ZeroMQ's Z85 (RFC 32) of a multiple of 4 bytes."""
    out = []
    for i in range(0, len(data), 4):
        value = int.from_bytes(data[i:i + 4], "big")
        out.append("".join(Z85[value // 85 ** k % 85] for k in range(4, -1, -1)))
    return "".join(out)


def farmctl(argv: list[str]) -> None:
    """`farmctl keys generate --out FILE`: files in the real format, with random (not Curve25519)
    keys; the stand-in coordinator checks none."""
    out = option(argv, "--out")
    if argv[:2] != ["keys", "generate"] or out is None:
        print(f"farmctl stand-in: only `keys generate --out FILE`, got {argv}", file=sys.stderr)
        raise SystemExit(2)
    public, secret = z85(os.urandom(32)), z85(os.urandom(32))
    for path, mode, text in ((out, 0o600, f"public = {public}\nsecret = {secret}\n"), (out + ".pub", 0o644, public + "\n")):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        with os.fdopen(fd, "w") as file:
            file.write(text)
    record("farmctl", "keys-generate", out=out)


if __name__ == "__main__":
    {"farm-coordinator": coordinator, "farm-worker": worker,
     "farmctl": farmctl}[os.path.basename(sys.argv[1])](sys.argv[2:])
