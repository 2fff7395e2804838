"""The farm's own programs for pip users without a Swift toolchain: ``farm-coordinator``,
``farm-worker`` and ``farmctl`` exactly as ``tools/gpu-kit`` bundles them (release builds with the
Swift standard library linked in, every library they need bundled except glibc and the EGL driver).

The console scripts of the same names call :func:`farmctl`, :func:`farm_coordinator` and
:func:`farm_worker`, which set up the bundle's environment (:func:`environment`) and exec the
binary. Rendering needs EGL from the system: Mesa on a CPU-only machine (llvmpipe), the NVIDIA
driver on a GPU machine. Without either, ``farm-worker`` and ``farmctl up``/``demo`` stop with a
message saying what to install (:func:`egl_vendors`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from ctypes import CDLL
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
BIN = PACKAGE / "bin"
LIB = PACKAGE / "lib"

# Where glvnd looks for EGL vendor files by default (its sysconfdir and datadir), and where NVIDIA's
# container runtimes put the driver's. tools/gpu/node-run searches the same folders for the kit.
GLVND_VENDOR_DIRS = ("/etc/glvnd/egl_vendor.d", "/usr/share/glvnd/egl_vendor.d")
NVIDIA_VENDOR_DIR = "/usr/local/nvidia/share/glvnd/egl_vendor.d"
NVIDIA_LIB_DIRS = ("/usr/local/nvidia/lib64", "/usr/local/nvidia/lib")

NO_EGL = """\
{program}: no EGL driver found, so the farm cannot render.
The farm renders through EGL, which the system provides:
  - a CPU-only machine: Mesa (llvmpipe). Debian/Ubuntu: apt install libegl-mesa0 libgl1-mesa-dri
  - an NVIDIA GPU: the NVIDIA driver's EGL (its vendor file, e.g.
    /usr/share/glvnd/egl_vendor.d/10_nvidia.json); in a container NVIDIA_DRIVER_CAPABILITIES must
    include graphics.
Vendor files looked for: {searched}{problems}"""


def bundle_requirements() -> dict[str, str]:
    """What the bundle needs of the machine (``bundle.env``, written by tools/gpu/bundle):
    ``GLIBC_FLOOR``, ``GLIBCXX_FLOOR``."""
    lines = (PACKAGE / "bundle.env").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line)


def _system_libstdcxx() -> Path | None:
    """The machine's 64-bit libstdc++.so.6, as the dynamic loader's cache lists it."""
    for ldconfig in ("ldconfig", "/sbin/ldconfig", "/usr/sbin/ldconfig"):
        try:
            listing = subprocess.run([ldconfig, "-p"], capture_output=True, text=True, check=False).stdout
        except OSError:
            continue
        for line in listing.splitlines():
            if line.strip().startswith("libstdc++.so.6 ") and "x86-64" in line:
                return Path(line.rsplit("=>", 1)[1].strip())
    return None


def _cxx_runtime_dirs(glibcxx: str) -> list[str]:
    """The bundle's C++ runtime (lib/cxx) only when the machine's libstdc++ lacks ``glibcxx``: the
    bundled one is Debian 12's and needs glibc 2.36, newer than the 2.35 the wheel promises."""
    system = _system_libstdcxx()
    try:
        if system is not None and glibcxx.encode() in system.read_bytes():
            return []
    except OSError:
        pass
    glibc = os.confstr("CS_GNU_LIBC_VERSION") or "glibc 0"
    if tuple(int(part) for part in glibc.split()[-1].split(".")[:2]) < (2, 36):
        sys.exit(f"renderfarm-farm: this machine's libstdc++ ({system or 'none found'}) lacks {glibcxx} "
                 f"(GCC 12's C++ runtime) and its {glibc} is too old for the bundled one (needs 2.36): "
                 "install a newer libstdc++6")
    return [str(LIB / "cxx")]


def environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """``base`` (default: this process's environment) with the bundle's libraries first on
    ``LD_LIBRARY_PATH``, the NVIDIA driver's folders after them, ``FARM_BIN`` naming the bundle's
    binaries (farmctl starts the coordinator and workers from there) and, where the NVIDIA runtime
    put its EGL vendor file under /usr/local/nvidia, that folder among glvnd's."""
    env = dict(os.environ if base is None else base)
    libraries = [str(LIB), *_cxx_runtime_dirs(bundle_requirements().get("GLIBCXX_FLOOR", ""))]
    libraries += [d for d in NVIDIA_LIB_DIRS if os.path.isdir(d)]
    if env.get("LD_LIBRARY_PATH"):
        libraries.append(env["LD_LIBRARY_PATH"])
    env["LD_LIBRARY_PATH"] = ":".join(libraries)
    env["FARM_BIN"] = str(BIN)
    if os.path.isdir(NVIDIA_VENDOR_DIR) and "__EGL_VENDOR_LIBRARY_DIRS" not in env \
            and "__EGL_VENDOR_LIBRARY_FILENAMES" not in env:
        env["__EGL_VENDOR_LIBRARY_DIRS"] = ":".join([NVIDIA_VENDOR_DIR, *GLVND_VENDOR_DIRS])
    return env


def _vendor_files(env: dict[str, str]) -> tuple[list[Path], str]:
    """The EGL vendor files glvnd would read under ``env``, and where it looked."""
    if env.get("__EGL_VENDOR_LIBRARY_FILENAMES"):
        files = [Path(f) for f in env["__EGL_VENDOR_LIBRARY_FILENAMES"].split(":") if f]
        return [f for f in files if f.is_file()], "__EGL_VENDOR_LIBRARY_FILENAMES=" + env["__EGL_VENDOR_LIBRARY_FILENAMES"]
    dirs = env["__EGL_VENDOR_LIBRARY_DIRS"].split(":") if env.get("__EGL_VENDOR_LIBRARY_DIRS") else list(GLVND_VENDOR_DIRS)
    files = sorted(f for d in dirs if os.path.isdir(d) for f in Path(d).glob("*.json"))
    return files, ", ".join(f"{d}/*.json" for d in dirs)


def egl_vendors(env: dict[str, str]) -> tuple[list[str], list[str], str]:
    """(vendor libraries that load, problems with the others, where glvnd looks) under ``env``."""
    files, searched = _vendor_files(env)
    loaded, problems = [], []
    for file in files:
        try:
            library = json.loads(file.read_text())["ICD"]["library_path"]
        except (OSError, ValueError, KeyError, TypeError) as error:
            problems.append(f"{file}: not an EGL vendor file ({error})")
            continue
        # A bare name is found on the loader's path, which for this process lacks the NVIDIA folders
        # environment() adds for the binary: try those too.
        candidates = [library] if "/" in library else [library, *(f"{d}/{library}" for d in NVIDIA_LIB_DIRS)]
        errors = []
        for candidate in candidates:
            try:
                CDLL(candidate)
            except OSError as error:
                errors.append(str(error))
                continue
            loaded.append(f"{library} ({file})")
            break
        else:
            problems.append(f"{file} names {library}, which does not load: {errors[0]}")
    return loaded, problems, searched


def _renders(program: str, arguments: list[str]) -> bool:
    """Whether this command renders (or starts workers that do): farm-worker, farmctl up and demo;
    not their --help."""
    if "--help" in arguments or "-h" in arguments:
        return False
    if program == "farm-worker":
        return True
    if program == "farmctl":
        command = next((a for a in arguments if not a.startswith("-")), None)
        return command in ("up", "demo")
    return False


def run(program: str, arguments: list[str] | None = None) -> None:
    """Execs the bundle's ``program`` with ``arguments`` (default: this process's) in
    :func:`environment`; stops first, saying what to install, when it renders and no EGL loads."""
    arguments = sys.argv[1:] if arguments is None else arguments
    env = environment()
    if _renders(program, arguments):
        loaded, problems, searched = egl_vendors(env)
        if not loaded:
            details = "".join(f"\n  {p}" for p in problems) or "\n  (none found)"
            sys.exit(NO_EGL.format(program=program, searched=searched, problems=details))
    binary = BIN / program
    os.execve(binary, [str(binary), *arguments], env)


def farmctl() -> None:
    run("farmctl")


def farm_coordinator() -> None:
    run("farm-coordinator")


def farm_worker() -> None:
    run("farm-worker")
