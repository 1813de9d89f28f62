"""Finding and checking the NHS.UK frontend files."""

from __future__ import annotations

import pytest

from placeworks.web.frontend import (
    REPO_ROOT,
    REQUIRED_FILES,
    FrontendMissing,
    check_frontend,
    frontend_dir,
)


def test_default_is_node_modules_at_the_repo_root(monkeypatch):
    monkeypatch.delenv("PLACEWORKS_FRONTEND_DIR", raising=False)
    assert frontend_dir() == REPO_ROOT / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"
    assert (REPO_ROOT / "package.json").is_file()


def test_environment_overrides(monkeypatch, tmp_path):
    monkeypatch.setenv("PLACEWORKS_FRONTEND_DIR", str(tmp_path))
    assert frontend_dir() == tmp_path


def test_missing_files_are_named_with_the_command_to_install_them(tmp_path):
    (tmp_path / "nhsuk-frontend.min.css").write_text("")
    with pytest.raises(FrontendMissing) as caught:
        check_frontend(tmp_path)
    message = str(caught.value)
    assert "nhsuk-frontend.min.js, assets/images/favicon.ico" in message
    assert "nhsuk-frontend.min.css" not in message.split("(")[1].split(")")[0]
    assert "python3 dev.py setup" in message
    assert "npm ci" in message


def test_complete_folder_passes(tmp_path):
    for name in REQUIRED_FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    assert check_frontend(tmp_path) == tmp_path
