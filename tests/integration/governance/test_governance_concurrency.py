"""Two editors saving the same record at the same moment, on two database connections: the
row lock and the version check let exactly one win. The serial case, on every database, is in
test_governance_records.py."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from placeworks.governance import actions
from placeworks.governance.actions import EditConflict
from placeworks.governance.models import Partnership

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: pytest-django's SQLite test database is in memory with a shared"
    " cache, where a second simultaneous writer may fail at once with 'database table is locked'"
    " instead of waiting for the first and meeting EditConflict (nothing is lost either way)",
)
def test_of_two_simultaneous_saves_exactly_one_wins(register, people):
    icp = actions.create(Partnership, by=people.lancs_editor, name="ICP", place=register.lancs)
    copies = [Partnership.objects.get(pk=icp.pk) for _ in range(2)]
    editors = [people.lancs_editor, people.icb_editor]
    ready = threading.Barrier(2)
    outcomes: list[object] = [None, None]

    def edit(index: int) -> None:
        try:
            ready.wait(timeout=10)
            actions.update(copies[index], by=editors[index], aims=f"Edit {index}")
            outcomes[index] = "saved"
        except EditConflict as conflict:
            outcomes[index] = conflict
        except Exception as error:  # reported by the assertion below, not lost in the thread
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=edit, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(type(o).__name__ for o in outcomes) == ["EditConflict", "str"], outcomes
    winner = outcomes.index("saved")
    loser = outcomes[1 - winner]
    stored = Partnership.objects.get(pk=icp.pk)
    assert (stored.aims, stored.version) == (f"Edit {winner}", 2)
    assert loser.attempted == {"aims": f"Edit {1 - winner}"}
    assert loser.changed_by == editors[winner].get_username()
    assert stored.history.count() == 2
