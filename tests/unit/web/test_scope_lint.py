"""A lint: the web app reads the deal register only through its scope.

Views, forms and presenters reach register records through ``governance.scope.visible`` or an
action, never through a model's own manager, so no page can show or change a record outside the
user's roles. The only exceptions are empty querysets declared on form fields (filled through
the scope when the form is made) and ``open_place``, which must tell "no such place" (404) from
"not yours" (403) before checking the roles.
"""

from __future__ import annotations

import ast
from pathlib import Path

import placeworks.governance.models as register_models
import placeworks.web

WEB = Path(placeworks.web.__file__).parent
REGISTER_MODELS = set(register_models.__all__)
MANAGERS = {"objects", "_default_manager", "_base_manager"}
ALLOWED_FUNCTIONS = {"open_place"}


def reaches_around_the_scope(source: str) -> list[tuple[int, str]]:
    """(line, text) of each use of a register model's manager that is not allowed."""
    tree = ast.parse(source)
    imported = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "placeworks.governance.models"
        for alias in node.names
        if alias.name in REGISTER_MODELS
    }
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Attribute)
            and node.attr in MANAGERS
            and isinstance(node.value, ast.Name)
            and node.value.id in imported
        ):
            continue
        parent = parents.get(node)
        if isinstance(parent, ast.Attribute) and parent.attr == "none":
            continue
        scope = parent
        while scope is not None and not isinstance(scope, ast.FunctionDef):
            scope = parents.get(scope)
        if scope is not None and scope.name in ALLOWED_FUNCTIONS:
            continue
        found.append((node.lineno, ast.unparse(node)))
    return found


def test_the_web_app_reads_the_register_only_through_the_scope():
    offences = {
        str(path.relative_to(WEB)): problems
        for path in sorted(WEB.rglob("*.py"))
        if "migrations" not in path.parts
        and (problems := reaches_around_the_scope(path.read_text()))
    }
    assert offences == {}


def test_the_lint_catches_a_view_reaching_around_the_scope():
    bad = (
        "from placeworks.governance.models import Risk, Place\n"
        "def risks(request):\n"
        "    return Risk.objects.filter(place='QE1-LAN')\n"
        "def open_place(request, code):\n"
        "    return Place.objects.get(code=code)\n"
        "def other(request):\n"
        "    empty = Risk.objects.none()\n"
        "    return Place._default_manager.all()\n"
    )
    assert reaches_around_the_scope(bad) == [(3, "Risk.objects"), (8, "Place._default_manager")]
