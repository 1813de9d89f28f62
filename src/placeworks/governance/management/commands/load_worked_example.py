"""``python -m placeworks.web load_worked_example``: the Lancashire worked example and the demo's
accounts, as the demo loads them. Idempotent."""

from __future__ import annotations

import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from placeworks.governance.demo import (
    DEMO_ACCOUNTS,
    DEMO_ADMIN,
    DEMO_PASSWORD,
    demo_accounts_text,
    ensure_demo_accounts,
    load_worked_example,
)


class Command(BaseCommand):
    help = (
        "Load the Lancashire worked example into the deal register, and create the demo"
        f" accounts ({', '.join(DEMO_ACCOUNTS)}; demo-only password {DEMO_PASSWORD!r})."
        " Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--by",
            metavar="USERNAME",
            help="Load as this user (an ICB-wide editor or administrator of QE1) and create no"
            " demo accounts. Default: create the demo accounts and load as icb-admin.",
        )

    def handle(self, *args, by=None, **options):
        started = time.perf_counter()
        if by:
            try:
                user = get_user_model().objects.get(username=by)
            except get_user_model().DoesNotExist:
                raise CommandError(f"There is no user {by!r}.") from None
        else:
            user = ensure_demo_accounts()[DEMO_ADMIN]
        summary = load_worked_example(by=user)
        self.stdout.write(f"{summary} in {time.perf_counter() - started:.1f}s")
        if not by:
            self.stdout.write(demo_accounts_text())
