FROM python:3.11-slim AS base
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
# libpango: WeasyPrint's text layout, for the certificate PDFs.
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 \
        libpango-1.0-0 libpangoft2-1.0-0 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 talenthub
COPY pyproject.toml ./
RUN pip install --upgrade pip && pip install -e .
COPY . .
RUN DEBUG=0 SECRET_KEY=build-only ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput \
    && mkdir -p /app/var/media && chown -R talenthub /app/var
USER talenthub
EXPOSE 8000
# Request line, header count and header size capped (README, "Request size"); the body is
# capped by the app (MAX_REQUEST_BYTES) and should be by the proxy in front.
CMD ["gunicorn", "talenthub.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--limit-request-line", "4094", "--limit-request-fields", "50", \
     "--limit-request-field_size", "8190", "--access-logfile", "-"]
