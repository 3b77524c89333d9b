# electrum-server/history-service: the address-history service.
# The image also carries `migrate`, run as the pods' init step.
# Two stages: built in electrum-server/build (docker/build.Dockerfile), then
# only the binaries and the runtime libraries of docker/runtime-packages.txt
# on Debian 12 slim, run as an unprivileged user. From the repository root:
#   docker build -f docker/history.Dockerfile -t electrum-server/history-service .
FROM electrum-server/build AS build
RUN bazel build //services/history:address_history_service //storage/migrate \
    && mkdir /out && cp bazel-bin/services/history/address_history_service bazel-bin/storage/migrate/migrate /out/

FROM debian:12-slim
LABEL org.opencontainers.image.title="electrum-server/history-service"
COPY docker/runtime-packages.txt /tmp/runtime-packages.txt
RUN apt-get update \
    && grep -v '^#' /tmp/runtime-packages.txt | xargs apt-get install -y --no-install-recommends \
    && rm -rf /var/lib/apt/lists/* /tmp/runtime-packages.txt \
    && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin electrum
COPY --from=build /out/ /usr/local/bin/
USER 10001:10001
EXPOSE 50103
ENTRYPOINT ["/usr/local/bin/address_history_service"]
