"""Static files: WhiteNoise, plus the NHS.UK frontend's ``/assets/`` folder at the site root.

The compiled NHS.UK CSS refers to its icons by absolute URL (``url(/assets/images/...)``), so the
frontend's ``assets`` folder is also served at ``/assets/``. Everything else is under STATIC_URL.
"""

from __future__ import annotations

from django.conf import settings
from whitenoise.middleware import WhiteNoiseMiddleware


class FrontendWhiteNoiseMiddleware(WhiteNoiseMiddleware):
    def __init__(self, get_response=None, settings=settings):
        super().__init__(get_response, settings)
        assets = settings.FRONTEND_DIR / "assets"
        if assets.is_dir():
            self.add_files(assets, prefix="assets/")
