# The GPU image: CUDA runtime base, the service as a non-root user.
#   docker build -t resnet-studio .
#   docker run --gpus all -p 8000:8000 -e RESNET_STUDIO_API_KEY_HASHES=<sha256> resnet-studio
# It binds 0.0.0.0, so it refuses to start without API keys (make one: resnet-studio hash-key).
FROM nvidia/cuda:12.8.1-cudnn-runtime-ubuntu22.04

ENV DEBIAN_FRONTEND=noninteractive \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN apt-get update \
 && apt-get install -y --no-install-recommends python3.11 python3.11-venv ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && python3.11 -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

WORKDIR /srv
# Dependencies first, so code changes do not reinstall torch.
COPY pyproject.toml README.md ./
RUN mkdir -p app clients/python/resnet_studio_client \
 && touch app/__init__.py clients/python/resnet_studio_client/__init__.py \
 && pip install . && pip uninstall -y resnet-studio
COPY app ./app
COPY clients/python ./clients/python
RUN pip install --no-deps .

# /data and its weights folder belong to the service's user: a named volume mounted there is
# created from them, owned alike (a host bind mount would be root's; see deploy/compose.yaml).
RUN useradd --create-home --uid 10001 studio \
 && mkdir -p /data/weights && chown -R studio:studio /data
USER studio
ENV RESNET_STUDIO_DATA_DIR=/data \
    RESNET_STUDIO_HOST=0.0.0.0 \
    RESNET_STUDIO_PORT=8000
VOLUME ["/data"]
EXPOSE 8000
# Ready, not just alive: the database and the store answer (start-up runs the migrations).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
  CMD python -c "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/readyz', timeout=3)"
ENTRYPOINT ["resnet-studio"]
CMD ["serve"]
