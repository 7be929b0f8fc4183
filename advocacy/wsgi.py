"""WSGI entry point, served by gunicorn in production."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advocacy.settings")

django_application = get_wsgi_application()

from advocacy.sharing.redirect import FastRedirect  # noqa: E402 - needs the apps loaded

# Stored tracked links (/s/<code>) are answered before Django builds a request.
application = FastRedirect(django_application)

# Everything loaded so far lives as long as the process: move it out of the collector's
# sight, so that a full collection in the middle of a request walks only what requests
# made. Without it, a collection now and then adds tens of milliseconds to one request.
gc.freeze()
