# preflight as a container, for pipelines that run images rather than Python:
#
#   docker build -t preflight .
#   docker run --rm -v "$PWD:/work" -e DATABASE_URL preflight run
#
# The working directory /work is where the config (preflight.toml) and the files it names are mounted.

FROM python:3.12-slim AS build
WORKDIR /src
COPY pyproject.toml setup.py MANIFEST.in README.md ./
COPY preflight/ preflight/
COPY checks/ checks/
COPY examples/incident/ examples/incident/
# A virtual environment is one directory: the runtime stage copies it whole, without pip or the sources.
RUN python -m venv /opt/preflight \
 && /opt/preflight/bin/pip install --no-cache-dir /src

FROM python:3.12-slim
COPY --from=build /opt/preflight /opt/preflight
# The entrypoint is shipped by COPY with its mode stated, so preflight can verify its own recipe statically
# (`preflight run --image dockerfile:Dockerfile`: the test suite does).
COPY --chmod=0755 docker/preflight /usr/local/bin/preflight
RUN useradd --system --uid 10001 --home-dir /work --shell /usr/sbin/nologin preflight \
 && mkdir -p /work && chown preflight:preflight /work
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
USER preflight
WORKDIR /work
ENTRYPOINT ["preflight"]
CMD ["--help"]
