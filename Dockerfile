# Ceasefire Talks Bot: a slim image running `python -m bot run` as a non-root user.
#   docker build -t ceasefire-bot .
#   docker run -e TELEGRAM_BOT_TOKEN=... -v ceasefire-data:/var/lib/ceasefire-bot ceasefire-bot
# The baked config (deploy/config.docker.yaml) long-polls and serves /healthz and /metrics on
# port 8080; mount your own over /etc/ceasefire-bot/config.yaml (see compose.yaml).
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY knowledge ./knowledge
COPY bench ./bench
RUN pip install . \
    && groupadd --system --gid 10001 ceasefire \
    && useradd --system --uid 10001 --gid 10001 --no-create-home \
       --home-dir /var/lib/ceasefire-bot --shell /usr/sbin/nologin ceasefire \
    && mkdir -p /var/lib/ceasefire-bot \
    && chown ceasefire:ceasefire /var/lib/ceasefire-bot

COPY deploy/config.docker.yaml /etc/ceasefire-bot/config.yaml

# storage.dir: question log, uploaded and fetched sources, the saved index, votes, feeds
VOLUME ["/var/lib/ceasefire-bot"]
WORKDIR /var/lib/ceasefire-bot
# the "ceasefire" user created above, by number: the runtime needs no passwd lookup
USER 10001:10001

# the health port (polling) or the webhook port (webhook mode): /healthz, /metrics
EXPOSE 8080
# 503 while the index loads, so a large first build gets the start period
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4)"]

STOPSIGNAL SIGTERM
CMD ["python", "-m", "bot", "run", "--config", "/etc/ceasefire-bot/config.yaml"]
