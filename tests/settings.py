"""Settings for the test suite: the demo mode's defaults, with a throwaway data folder.

``DATABASE_URL`` selects PostgreSQL (``.ci/run`` runs the suite on both SQLite and PostgreSQL)."""

import os
import tempfile

os.environ.setdefault("COPRODUCE_DEMO", "1")
os.environ.setdefault("COPRODUCE_DATA_DIR", tempfile.mkdtemp(prefix="coproduce-test-"))

from coproduce.settings import *

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast hashing in tests only
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
COPRODUCE_SMS_BACKEND = "locmem"
