#!/usr/bin/env python3
"""Set up placeworks' tools and run one of its tasks.

    python3 dev.py demo      set everything up and open the web app at http://127.0.0.1:8000
    python3 dev.py test      set everything up and run the tests
    python3 dev.py --list    every task (they live in the justfile)

Only Python 3.11+ and the package registries are needed: this script makes a private virtual
environment in .tools/ holding pinned uv (Python packages and the lock file), just (the task
runner) and Node.js with npm (the NHS.UK frontend), all from PyPI, then hands over to just.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
TOOLS = ROOT / ".tools"
PINS = ROOT / "tools.txt"

if sys.version_info < (3, 11):
    sys.exit("placeworks needs Python 3.11 or newer")


def tool(name: str) -> Path:
    folder = "Scripts" if os.name == "nt" else "bin"
    suffix = ".exe" if os.name == "nt" else ""
    return TOOLS / folder / f"{name}{suffix}"


def ensure_tools() -> None:
    stamp = TOOLS / "tools.txt"
    if stamp.is_file() and stamp.read_text() == PINS.read_text() and tool("just").exists():
        return
    print("setting up tools in .tools/ (uv, just, node)", file=sys.stderr)
    venv.EnvBuilder(with_pip=True, clear=True).create(TOOLS)
    subprocess.run(
        [str(tool("python")), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "-r", str(PINS)],
        check=True,
    )
    stamp.write_text(PINS.read_text())


def main() -> int:
    ensure_tools()
    env = dict(os.environ)
    env["PATH"] = f"{tool('python').parent}{os.pathsep}{env.get('PATH', '')}"
    env.setdefault("UV_PYTHON", sys.executable)
    command = [str(tool("just")), "--justfile", str(ROOT / "justfile"), *sys.argv[1:]]
    return subprocess.call(command, env=env, cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main())
