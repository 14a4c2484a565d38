# Build the SPA with Node, then run the app on a slim Python image. `concord serve` migrates on start.
FROM node:20-bookworm-slim AS frontend
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM python:3.11-slim-bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-noto-core fonts-noto-cjk fontconfig \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 concord
WORKDIR /app
COPY pyproject.toml alembic.ini README.md ./
COPY app/ app/
COPY migrations/ migrations/
# Editable, so that the app finds alembic.ini and migrations/ beside it.
RUN pip install --no-cache-dir -e .
COPY --from=frontend /src/frontend/dist frontend/dist
ENV CONCORD_HOST=0.0.0.0 \
    CONCORD_PORT=8000 \
    CONCORD_DATA_DIR=/data \
    CONCORD_FRONTEND_DIST=/app/frontend/dist
RUN mkdir -p /data && chown concord /data
USER 10001
VOLUME ["/data"]
EXPOSE 8000
CMD ["concord", "serve"]
