# electrum-server/simnode: simnode, the regtest node, for the dev overlay.
# Two stages: built in electrum-server/build (docker/build.Dockerfile), then
# only the binaries and the runtime libraries of docker/runtime-packages.txt
# on Debian 12 slim, run as an unprivileged user. From the repository root:
#   docker build -f docker/simnode.Dockerfile -t electrum-server/simnode .
FROM electrum-server/build AS build
RUN bazel build //tools/simnode:simnode \
    && mkdir /out && cp bazel-bin/tools/simnode/simnode /out/

FROM debian:12-slim
LABEL org.opencontainers.image.title="electrum-server/simnode"
COPY docker/runtime-packages.txt /tmp/runtime-packages.txt
RUN apt-get update \
    && grep -v '^#' /tmp/runtime-packages.txt | xargs apt-get install -y --no-install-recommends \
    && rm -rf /var/lib/apt/lists/* /tmp/runtime-packages.txt \
    && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin electrum
COPY --from=build /out/ /usr/local/bin/
USER 10001:10001
EXPOSE 18443 28332
ENTRYPOINT ["/usr/local/bin/simnode"]
