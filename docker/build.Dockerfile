# The build environment every image's first stage starts from: Debian 12
# with the project's build dependencies (tools/install_deps.sh) and the
# sources. Built once, tagged electrum-server/build (see k8s/README.md):
#   docker build -f docker/build.Dockerfile -t electrum-server/build .
FROM debian:12 AS build
LABEL org.opencontainers.image.title="electrum-server/build"
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY tools/install_deps.sh tools/install_deps.sh
RUN bash tools/install_deps.sh && rm -rf /var/lib/apt/lists/*
COPY . .
