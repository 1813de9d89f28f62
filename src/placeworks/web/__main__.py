"""Django's management commands: ``python -m placeworks.web migrate``, ``createsuperuser`` ..."""

import os
import sys

from django.core.management import execute_from_command_line


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "placeworks.web.settings")
    args = sys.argv[1:] if argv is None else argv
    execute_from_command_line(["python -m placeworks.web", *args])


if __name__ == "__main__":
    main()
