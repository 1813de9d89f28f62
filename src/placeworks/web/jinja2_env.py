"""The Jinja2 environment of the web app's pages: NHS.UK frontend macros, ``static()``, ``url()``.

Templates import the macros by their package paths, for example
``{% from "nhsuk/components/tables/macro.jinja" import table %}``.
"""

from __future__ import annotations

from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChoiceLoader, Environment, PackageLoader

from placeworks.web.registers import groups


def url(name: str, *args, **kwargs) -> str:
    """``url("icb", code="QE1")``: the path of a named URL."""
    return reverse(name, args=args or None, kwargs=kwargs or None)


def environment(**options) -> Environment:
    env = Environment(**options, extensions=["jinja2.ext.do"])
    env.loader = ChoiceLoader([env.loader, PackageLoader("nhsuk_frontend_jinja")])
    env.globals.update({"static": static, "url": url, "register_groups": groups})
    return env
