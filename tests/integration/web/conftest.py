from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model

from placeworks.web import views


@dataclass
class FakeGeography:
    """Stands in for the geography API in the views; records how it was called."""

    summaries: list
    tree: object
    calls: list = field(default_factory=list)

    def icbs(self, year):
        self.calls.append(("icbs", year))
        return self.summaries

    def icb_tree(self, code, year, definition=None):
        self.calls.append(("icb_tree", code, year, definition))
        if code != self.tree.code:
            raise KeyError(code)
        return self.tree


@pytest.fixture
def fake_geography(monkeypatch, fake_summaries, fake_tree) -> FakeGeography:
    fake = FakeGeography(fake_summaries, fake_tree)
    monkeypatch.setattr(views, "icbs", fake.icbs)
    monkeypatch.setattr(views, "icb_tree", fake.icb_tree)
    return fake


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user("asmith", password="not-a-real-password-42")


@pytest.fixture
def admin_client_as(client, db):
    admin = get_user_model().objects.create_superuser("boss", password="not-a-real-password-42")
    client.force_login(admin)
    client.user = admin
    return client


@pytest.fixture
def deal(db):
    from tests.deal_data import build_deal

    return build_deal()


@pytest.fixture
def example(db):
    """The Lancashire worked example and the demo accounts (by name), as the demo loads them."""
    from placeworks.governance import demo

    users = demo.ensure_demo_accounts()
    demo.load_worked_example(by=users["icb-admin"])
    return users


@pytest.fixture
def uploader(client, db):
    """A client signed in as an editor of one of QE1's places (``client.user``)."""
    from placeworks.governance.models import Place, Role

    editor = get_user_model().objects.create_user("finance-lead", password="not-a-real-pw-42")
    place = Place.objects.create(code="QE1-LAN", name="Lancashire", icb_code="QE1")
    Role.objects.create(user=editor, place=place, icb_code="QE1", level="editor")
    client.force_login(editor)
    client.user = editor
    return client
