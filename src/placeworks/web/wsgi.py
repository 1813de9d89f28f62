"""The WSGI application (served by waitress in the demo, by any WSGI server in production)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "placeworks.web.settings")

application = get_wsgi_application()
