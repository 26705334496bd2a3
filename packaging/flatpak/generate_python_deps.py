"""Write packaging/flatpak/python3-deps.json: the app's Python dependencies as a flatpak-builder module.

    .venv/bin/python packaging/flatpak/generate_python_deps.py   # pip + `packaging`, and access to PyPI

The same kind of module flatpak-pip-generator (flatpak-builder-tools) writes:
one ``file`` source per wheel, with its PyPI URL and sha256, installed offline
by ``pip3 install --no-index --find-links``. Made with pip itself and the
``packaging`` library (both in the dev venv), so nothing else needs installing:

1. ``pip install --dry-run --report`` resolves ``[project] dependencies`` of
   pyproject.toml for the Flatpak runtime's Python (:data:`PYTHON`) and each
   architecture, wheels only (building cryptography would need the Rust SDK extension);
2. pip evaluates environment markers against the Python running *this*
   script, so the result is pruned to what is reachable from the requirements
   with the markers evaluated for the runtime's Python (a 3.11 host would
   otherwise add importlib_metadata and backports.tarfile);
3. wheels that differ per architecture (cryptography, cffi) get
   ``only-arches``.

PySide6-Essentials is left out: the manifest takes PySide6 from the
io.qt.PySide.BaseApp base, built against the KDE runtime's own Qt.
Re-run after changing dependencies in pyproject.toml or the runtime version.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OUT = HERE / "python3-deps.json"
#: Python of the runtime named in net.timecrowd.TimeCrowdTray.yml (org.kde.Platform 6.10,
#: built on freedesktop-sdk 25.08).
PYTHON = "3.13"
ARCHES = ("x86_64", "aarch64")
#: Provided by the manifest's base app (io.qt.PySide.BaseApp), not by pip.
FROM_BASE = {"pyside6-essentials", "pyside6", "shiboken6"}
# glibc 2.41 in freedesktop-sdk 25.08: any manylinux wheel up to that works. pip does
# not expand manylinux_2_X to older tags by itself, so list them.
MANYLINUX = [f"manylinux_2_{minor}" for minor in range(41, 16, -1)] + ["manylinux2014"]


def requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = [Requirement(text) for text in project["dependencies"]]
    return [r for r in reqs if canonicalize_name(r.name) not in FROM_BASE]


def target_env(arch: str) -> dict[str, str]:
    return {
        "implementation_name": "cpython", "implementation_version": PYTHON + ".0",
        "os_name": "posix", "platform_machine": arch, "platform_python_implementation": "CPython",
        "platform_release": "", "platform_system": "Linux", "platform_version": "",
        "python_full_version": PYTHON + ".0", "python_version": PYTHON, "sys_platform": "linux",
        "extra": "",
    }


def applies(req: Requirement, env: dict[str, str], extras: frozenset[str] = frozenset()) -> bool:
    if req.marker is None:
        return True
    return any(req.marker.evaluate({**env, "extra": extra}) for extra in (extras or {""}))


def resolve(reqs: list[Requirement], arch: str) -> dict[str, dict]:
    """name -> {version, url, sha256} of the wheels the runtime needs on ``arch``."""
    env = target_env(arch)
    wanted = [r for r in reqs if applies(r, env)]
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        cmd = [sys.executable, "-m", "pip", "install", "--quiet", "--dry-run", "--ignore-installed",
               "--report", str(report), "--target", str(Path(tmp) / "unused"),
               "--index-url", "https://pypi.org/simple", "--only-binary=:all:",
               "--python-version", PYTHON, "--implementation", "cp",
               "--abi", "cp" + PYTHON.replace(".", ""), "--abi", "abi3", "--abi", "none"]
        for tag in MANYLINUX:
            cmd += ["--platform", f"{tag}_{arch}"]
        cmd += [str(r) for r in wanted]
        # A clean pip configuration: the URLs must be PyPI's, not a local mirror's.
        subprocess.run(cmd, check=True, env={**os.environ, "PIP_CONFIG_FILE": os.devnull})
        items = json.loads(report.read_text(encoding="utf-8"))["install"]
    found = {canonicalize_name(i["metadata"]["name"]): i for i in items}
    # Walk from the requirements with the runtime's markers: keep what is reachable.
    keep: dict[str, dict] = {}
    todo = list(wanted)
    while todo:
        req = todo.pop()
        name = canonicalize_name(req.name)
        if name in keep or name in FROM_BASE:
            continue
        item = found[name]
        info = item["download_info"]
        keep[name] = {"name": item["metadata"]["name"], "version": item["metadata"]["version"],
                      "url": info["url"], "sha256": info["archive_info"]["hashes"]["sha256"]}
        extras = frozenset(req.extras)
        for text in item["metadata"].get("requires_dist", []):
            dep = Requirement(text)
            if applies(dep, env, extras):
                todo.append(dep)
    return keep


def build_module(per_arch: dict[str, dict[str, dict]]) -> dict:
    names = sorted({name for wheels in per_arch.values() for name in wheels})
    sources = []
    for name in names:
        variants: dict[tuple[str, str], list[str]] = {}
        for arch, wheels in per_arch.items():
            if name in wheels:
                variants.setdefault((wheels[name]["url"], wheels[name]["sha256"]), []).append(arch)
        for (url, sha256), arches in sorted(variants.items()):
            source = {"type": "file", "url": url, "sha256": sha256}
            if len(variants) > 1 or len(arches) != len(per_arch):
                source["only-arches"] = arches
            sources.append(source)
    pip_names = " ".join(per_arch[ARCHES[0]][n]["name"] for n in names if n in per_arch[ARCHES[0]])
    return {
        "name": "python3-timecrowd-tray-deps",
        "buildsystem": "simple",
        "build-commands": [
            "pip3 install --verbose --exec-prefix=${FLATPAK_DEST} --prefix=${FLATPAK_DEST} "
            "--no-deps --no-index --no-build-isolation --find-links=\"file://${PWD}\" " + pip_names
        ],
        "sources": sources,
    }


def main() -> int:
    reqs = requirements()
    per_arch = {arch: resolve(reqs, arch) for arch in ARCHES}
    if len({frozenset(w) for w in per_arch.values()}) != 1:
        print("generate_python_deps: the architectures need different packages; check the module",
              file=sys.stderr)
    module = build_module(per_arch)
    OUT.write_text(json.dumps(module, indent=2) + "\n", encoding="utf-8")
    print(f"generate_python_deps: {len(module['sources'])} wheels -> {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
