"""Writes the renderfarm-farm wheel from the bundle tools/gpu/bundle assembled (farm-node/).

    python build_wheel.py BUNDLE PURE_WHEEL OUT_DIR

The version and Requires-Python are the pure renderfarm wheel's (PURE_WHEEL, built first from
python/pyproject.toml), whose ``farm`` extra must require exactly this version. The wheel holds the
``renderfarm_farm`` package (this folder's launcher), the bundle's farm-coordinator, farm-worker and
farmctl, the bundle's libraries those three load (found with ldd, only the bundle on the path) and
bundle.env; its tag is manylinux_<G>_x86_64 for the glibc G the bundle was checked against
(tools/gpu/bundle --max-glibc, 2.35 by default).
Standard library only; the zip is reproducible (fixed times, sorted entries).
"""

from __future__ import annotations

import base64
import hashlib
import re
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROGRAMS = ("farm-coordinator", "farm-worker", "farmctl")
# glvnd's libraries are loaded through libEGL as well as linked: always carried.
GLVND = ("libEGL.so.1", "libGLdispatch.so.0", "libOpenGL.so.0")
NAME = "renderfarm-farm"
PACKAGE = "renderfarm_farm"
EPOCH = (2020, 1, 1, 0, 0, 0)


def pure_metadata(wheel: Path) -> dict[str, list[str]]:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        message = Parser().parsestr(archive.read(name).decode())
    return {key: message.get_all(key) or [] for key in ("Version", "Requires-Python", "Requires-Dist")}


def bundled_libraries(bundle: Path) -> list[Path]:
    """Every library of the bundle the programs resolve, transitively (ldd lists the closure)."""
    env = {"LD_LIBRARY_PATH": f"{bundle / 'lib'}:{bundle / 'lib' / 'cxx'}"}
    found = {bundle / "lib" / name for name in GLVND}
    for program in PROGRAMS:
        listing = subprocess.run(["ldd", str(bundle / "bin" / program)], env=env, capture_output=True,
                                 text=True, check=True).stdout
        if "not found" in listing:
            sys.exit(f"build_wheel: {program} has unresolved libraries:\n{listing}")
        for target in re.findall(r"=> (/\S+)", listing):
            path = Path(target)
            if bundle in path.parents:
                found.add(path)
    return sorted(found)


def record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def main(bundle: Path, pure_wheel: Path, out: Path) -> Path:
    metadata = pure_metadata(pure_wheel)
    version = metadata["Version"][0]
    extra = [r for r in metadata["Requires-Dist"] if r.replace("_", "-").startswith(NAME) and "extra" in r]
    wanted = f"{NAME}=={version}"
    if not any(r.replace("_", "-").split(";")[0].replace(" ", "") == wanted for r in extra):
        sys.exit(f"build_wheel: renderfarm {version}'s 'farm' extra must require {wanted}, "
                 f"python/pyproject.toml has {extra or 'none'}")
    floors = dict(line.split("=", 1) for line in (bundle / "bundle.env").read_text().splitlines() if "=" in line)
    tag = f"py3-none-manylinux_{floors['GLIBC_TARGET'].replace('.', '_')}_x86_64"

    files: list[tuple[str, bytes, bool]] = []  # (path in the wheel, contents, executable)
    files.append((f"{PACKAGE}/__init__.py", (HERE / PACKAGE / "__init__.py").read_bytes(), False))
    files.append((f"{PACKAGE}/bundle.env", (bundle / "bundle.env").read_bytes(), False))
    for program in PROGRAMS:
        files.append((f"{PACKAGE}/bin/{program}", (bundle / "bin" / program).read_bytes(), True))
    for library in bundled_libraries(bundle):
        files.append((f"{PACKAGE}/{library.relative_to(bundle).as_posix()}", library.read_bytes(), False))

    files.sort()
    info = f"{PACKAGE}-{version}.dist-info"
    requires_python = metadata["Requires-Python"][:1]
    files.append((f"{info}/METADATA", "\n".join([
        "Metadata-Version: 2.1",
        f"Name: {NAME}",
        f"Version: {version}",
        "Summary: RenderFarm's farm-coordinator, farm-worker and farmctl, prebuilt (no Swift toolchain "
        "needed); EGL comes from the system (Mesa, or the NVIDIA driver)",
        *(f"Requires-Python: {r}" for r in requires_python),
        "", ""]).encode(), False))
    files.append((f"{info}/WHEEL", "\n".join([
        "Wheel-Version: 1.0", "Generator: renderfarm packaging/farm-wheel/build_wheel.py",
        "Root-Is-Purelib: false", f"Tag: {tag}", "", ""]).encode(), False))
    files.append((f"{info}/entry_points.txt", "\n".join([
        "[console_scripts]", *(f"{p} = {PACKAGE}:{p.replace('-', '_')}" for p in PROGRAMS), "", ""]).encode(), False))
    record = "".join(f"{path},{record_hash(data)},{len(data)}\n" for path, data, _ in files) + f"{info}/RECORD,,\n"
    files.append((f"{info}/RECORD", record.encode(), False))

    out.mkdir(parents=True, exist_ok=True)
    wheel = out / f"{PACKAGE}-{version}-{tag}.whl"
    partial = wheel.with_suffix(".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        # The package sorted, then the dist-info with RECORD last, as the wheel spec recommends.
        for path, data, executable in files:
            entry = zipfile.ZipInfo(path, EPOCH)
            entry.external_attr = (0o100755 if executable else 0o100644) << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, data)
    partial.replace(wheel)
    return wheel


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    print(main(Path(sys.argv[1]).resolve(), Path(sys.argv[2]), Path(sys.argv[3])))
