"""`python -m placeworks.web`: Django's management commands."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


@pytest.fixture
def manage(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'manage.sqlite3'}"}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "placeworks.web", *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    return run


def test_system_checks_pass(manage):
    result = manage("check", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_committed_migrations_match_the_models(manage):
    result = manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_unknown_command_fails(manage):
    result = manage("no-such-command")
    assert result.returncode != 0
    assert "Unknown command: 'no-such-command'" in result.stderr
