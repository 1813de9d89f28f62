"""Where the NHS.UK frontend's compiled CSS, JavaScript and assets are, and whether they are there.

They come from the ``nhsuk-frontend`` npm package (``package.json`` at the repository root), which
is installed by ``npm ci`` into ``node_modules/`` and never committed.
"""

from __future__ import annotations

import os
from pathlib import Path

# src/placeworks/web/frontend.py -> the repository root is three folders above this package.
REPO_ROOT = Path(__file__).resolve().parents[3]
INSTALL_COMMAND = "python3 dev.py setup"
# The files the base template links; if any is missing the pages render without their look.
REQUIRED_FILES = (
    "nhsuk-frontend.min.css",
    "nhsuk-frontend.min.js",
    "assets/images/favicon.ico",
)


class FrontendMissing(RuntimeError):
    """The NHS.UK frontend files have not been installed."""


def frontend_dir() -> Path:
    """The ``dist/nhsuk`` folder of the installed ``nhsuk-frontend`` package.

    ``PLACEWORKS_FRONTEND_DIR`` overrides it (for an installed wheel, or a shared copy).
    """
    override = os.environ.get("PLACEWORKS_FRONTEND_DIR")
    if override:
        return Path(override).resolve()
    return REPO_ROOT / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"


def missing_files(folder: Path | None = None) -> list[str]:
    folder = frontend_dir() if folder is None else folder
    return [name for name in REQUIRED_FILES if not (folder / name).is_file()]


def check_frontend(folder: Path | None = None) -> Path:
    """Return the frontend folder, or raise :class:`FrontendMissing` saying how to install it."""
    folder = frontend_dir() if folder is None else folder
    missing = missing_files(folder)
    if missing:
        raise FrontendMissing(
            f"The NHS.UK frontend files are missing from {folder} ({', '.join(missing)}).\n"
            f"Install them from the repository root with:  {INSTALL_COMMAND}\n"
            "(or `npm ci` there; see README.md), or point PLACEWORKS_FRONTEND_DIR at a folder"
            " holding nhsuk-frontend's dist/nhsuk files."
        )
    return folder
