# Exact base image version (no floating tag): an upgrade of Python or Debian is a commit.
FROM python:3.11.15-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
# libpq5 for psycopg; postgresql-client (15, as the postgres service) for `manage.py backup`
# and `restore` run in this image; libpango for WeasyPrint's text layout (certificate PDFs).
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 postgresql-client \
        libpango-1.0-0 libpangoft2-1.0-0 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 talenthub
# The locked set, every file checked against its hash (docs/operations.md, "Dependencies").
COPY requirements.txt ./
RUN pip install pip==26.3 && pip install --require-hashes -r requirements.txt
COPY . .
RUN DEBUG=0 SECRET_KEY=build-only ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput \
    && mkdir -p /app/var/media /app/var/backups /app/var/beat && chown -R talenthub /app/var
USER talenthub
EXPOSE 8000
# Workers, timeouts and request limits: gunicorn.conf.py (WEB_CONCURRENCY and friends).
CMD ["gunicorn", "talenthub.wsgi:application"]
