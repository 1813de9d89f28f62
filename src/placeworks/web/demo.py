"""Serve the web app on this machine: migrate, load the worked example and the demo accounts,
check the frontend, open a browser, serve.

The demo runs on the embedded default (SQLite under ``./var/`` unless ``DATABASE_URL`` says
otherwise) with waitress, a production WSGI server, on 127.0.0.1 only.
"""

from __future__ import annotations

import os
import webbrowser

HOST = "127.0.0.1"


def run(port: int = 8000, *, open_browser: bool = True) -> None:
    """Prepare the database and serve the web app at http://127.0.0.1:<port>/ until stopped.

    Raises :class:`placeworks.web.frontend.FrontendMissing` (saying which command installs the
    NHS.UK frontend) before anything is served if its files are not there.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "placeworks.web.settings")

    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()

    from placeworks.web.frontend import check_frontend

    check_frontend(settings.FRONTEND_DIR)
    call_command("migrate", interactive=False, verbosity=0)

    # The worked example and the demo accounts, loaded as the demo's ICB administrator (so the
    # history names icb-admin); prints the accounts and their demo-only password. Idempotent:
    # a restart writes nothing.
    call_command("load_worked_example")

    from waitress.server import create_server

    from placeworks.web.wsgi import application

    # Bind first, so the browser never races the server to the port.
    server = create_server(application, host=HOST, port=port, threads=4, ident="placeworks")
    url = f"http://{HOST}:{port}/"
    print(f"placeworks is running at {url} (press Ctrl+C to stop)", flush=True)
    print(f"Lancashire's deal: {url}place/QE1-LAN/ (sign in as lancs-editor)", flush=True)
    if open_browser:
        webbrowser.open(f"{url}place/QE1-LAN/")
    try:
        server.run()
    except KeyboardInterrupt:
        print("placeworks stopped", flush=True)
    finally:
        server.close()
