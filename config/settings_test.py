"""Settings for the test suite: the normal settings with a test secret key."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")

from config.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING["root"]["level"] = "WARNING"  # noqa: F405

# Tests assert English messages unless they activate Spanish themselves; the
# product default stays Spanish (LANGUAGE_CODE in config/settings.py).
LANGUAGE_CODE = "en"

# WhiteNoise finds the files through the static finders, so STATIC_ROOT need not exist.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Plain static storage: the manifest storage of production needs collectstatic
# before any admin page can render.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405

# The test client and the browser tests' live server speak plain HTTP.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
