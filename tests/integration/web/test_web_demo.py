"""The demo server: migrate, check the frontend, print the URL, open a browser, serve."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import closing

import pytest

from placeworks.web import demo
from placeworks.web.frontend import FrontendMissing


class FakeServer:
    def __init__(self):
        self.ran = False
        self.closed = False

    def run(self):
        self.ran = True

    def close(self):
        self.closed = True


@pytest.fixture
def fake_server(monkeypatch):
    made: dict = {}

    def create_server(application, **options):
        made["application"] = application
        made["options"] = options
        made["server"] = FakeServer()
        return made["server"]

    monkeypatch.setattr("waitress.server.create_server", create_server)
    return made


@pytest.fixture
def opened(monkeypatch) -> list[str]:
    urls: list[str] = []
    monkeypatch.setattr(demo.webbrowser, "open", urls.append)
    return urls


@pytest.fixture
def commands(monkeypatch) -> list[tuple]:
    calls: list[tuple] = []
    monkeypatch.setattr(
        "django.core.management.call_command", lambda *args, **kw: calls.append((args, kw))
    )
    return calls


def test_run_migrates_prints_opens_and_serves_on_loopback(fake_server, opened, commands, capsys):
    demo.run(8123)
    assert commands == [
        (("migrate",), {"interactive": False, "verbosity": 0}),
        (("load_worked_example",), {}),
    ]
    assert fake_server["options"]["host"] == "127.0.0.1"
    assert fake_server["options"]["port"] == 8123
    assert fake_server["server"].ran
    assert fake_server["server"].closed
    assert opened == ["http://127.0.0.1:8123/place/QE1-LAN/"]
    assert "http://127.0.0.1:8123/" in capsys.readouterr().out


def test_run_can_leave_the_browser_closed(fake_server, opened, commands):
    demo.run(8124, open_browser=False)
    assert opened == []
    assert fake_server["server"].ran


def test_run_refuses_without_the_frontend(settings, tmp_path, fake_server, opened, commands):
    settings.FRONTEND_DIR = tmp_path
    with pytest.raises(FrontendMissing, match=r"python3 dev\.py setup"):
        demo.run(8125)
    assert commands == []
    assert fake_server == {}
    assert opened == []


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read()


def test_demo_serves_the_app_over_http(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "PYTHONUNBUFFERED": "1",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"from placeworks.web.demo import run; run({port}, open_browser=False)",
        ],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, body = get(f"{base}/admin/login/")
                break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise
                time.sleep(0.25)
        assert status == 200
        assert b"csrfmiddlewaretoken" in body
        status, css = get(f"{base}/static/nhsuk-frontend.min.css")
        assert status == 200
        assert b".nhsuk-header" in css
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=10)
    assert f"placeworks is running at {base}/" in output
    with closing(sqlite3.connect(tmp_path / "demo.sqlite3")) as db:
        applied = {app for (app,) in db.execute("SELECT app FROM django_migrations")}
    assert {"footprints", "auth", "admin", "sessions"} <= applied
