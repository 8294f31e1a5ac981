"""WSGI entry point (``coproduce.wsgi:application``) used by ``coproduce serve`` and ``demo``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduce.settings")
application = get_wsgi_application()
