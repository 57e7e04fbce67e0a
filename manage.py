#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talenthub.settings")
    # The command line is a developer's: with nothing set it runs the embedded default
    # (SQLite, eager tasks, console email, DEBUG on). Servers start through wsgi.py,
    # asgi.py and celery.py, which keep the production profile: DEBUG off, a SECRET_KEY
    # required. A deployment's own manage.py runs set TALENTHUB_ENV=production (compose does).
    os.environ.setdefault("TALENTHUB_ENV", "dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
