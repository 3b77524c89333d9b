#!/usr/bin/env bash
# Installs the exact Debian packages the project builds, tests and runs with.
# Idempotent: when every package is already installed it does nothing (no apt-get update).
set -euo pipefail

PACKAGES=(
  bazel-bootstrap
  build-essential
  clang
  clang-format
  libclang-rt-14-dev
  cppzmq-dev
  electrum
  libabsl-dev
  libbenchmark-dev
  libboost1.81-dev
  libgmock-dev
  libgoogle-perftools-dev
  libgrpc++-dev
  libgtest-dev
  libpqxx-dev
  libprotobuf-dev
  libspdlog-dev
  libssl-dev
  libzmq3-dev
  nlohmann-json3-dev
  openssl
  postgresql-15
  postgresql-client-15
  protobuf-compiler
  protobuf-compiler-grpc
  python3
  python3-yaml
)

missing=()
for package in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install_deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install_deps: missing packages (${missing[*]}); run as root to install them" >&2
  exit 1
fi

echo "install_deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
