#!/usr/bin/env bash
# Renders the kustomize overlays and checks them (Debian's python3 with
# python3-yaml; kubectl with its built-in kustomize).
set -euo pipefail
exec /usr/bin/python3 -u k8s/manifests_test.py k8s docker
