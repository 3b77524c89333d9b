"""Renders every kustomize overlay with `kubectl kustomize` and checks the
invariants the deployment promises on the rendered YAML: every container has
probes, resource requests and limits, and runs as non-root on a read-only
root filesystem; image names and ports agree with the container build files
(docker/*.Dockerfile); no Secret values are written in the manifests; the
autoscalers, the disruption budget, the network policies, the certificate
and the migration step are in place; production splits reads and writes
between the CloudNativePG replicas and primary. Run by manifests_test.sh
with the repository's k8s/ and docker/ directories as arguments."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

K8S, DOCKER = sys.argv[1], sys.argv[2]
OVERLAYS = ["dev", "production"]
OUR_IMAGES = "electrum-server/"
SECRET_NAMES = re.compile(r"PASSWORD|SECRET|TOKEN|COOKIE", re.I)

results = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what, flush=True)
    results.append(bool(condition))


def render(directory, overlay):
    out = subprocess.run(["kubectl", "kustomize", os.path.join(directory, "overlays", overlay)],
                         capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        raise RuntimeError("kubectl kustomize %s: %s" % (overlay, out.stderr))
    return [doc for doc in yaml.safe_load_all(out.stdout) if doc]


def dockerfiles():
    """image title -> {"ports": set, "entrypoint": str, "text": str}."""
    images = {}
    for name in sorted(os.listdir(DOCKER)):
        if not name.endswith(".Dockerfile"):
            continue
        text = open(os.path.join(DOCKER, name)).read()
        title = re.search(r'org\.opencontainers\.image\.title="([^"]+)"', text).group(1)
        stages = text.split("\nFROM ")
        final = stages[-1]
        ports = set()
        for line in re.findall(r"^EXPOSE (.*)$", final, re.M):
            ports.update(int(port) for port in line.split())
        entry = re.search(r'^ENTRYPOINT \["([^"]+)"\]', final, re.M)
        images[title] = {"ports": ports, "entrypoint": entry.group(1) if entry else None,
                         "text": text, "final": final, "file": name}
    return images


def workloads(docs):
    return [d for d in docs if d["kind"] in ("Deployment", "StatefulSet")]


def image_name(image):
    return image.rsplit(":", 1)[0] if ":" in image.split("/")[-1] else image


# The bulk loader's in-memory unspent outputs: at most this many bytes each
# (docs/operations.md, "Disk and memory"), and its default count.
BULK_BYTES_PER_UNSPENT = 185
BULK_DEFAULT_UNSPENT = 20000000
MEMORY_UNITS = {"Ki": 1 << 10, "Mi": 1 << 20, "Gi": 1 << 30}


def memory_bytes(quantity):
    for unit, factor in MEMORY_UNITS.items():
        if str(quantity).endswith(unit):
            return int(str(quantity)[:-len(unit)]) * factor
    return int(quantity)


def check_bulk_memory(where, container):
    """The indexer inside the blockchain service must not be OOM-killed by
    its first sync: its unspent budget fits in 3/4 of the memory limit."""
    limit = container.get("resources", {}).get("limits", {}).get("memory")
    count = BULK_DEFAULT_UNSPENT
    for arg in container.get("args", []):
        if arg.startswith("--bulk_max_unspent_outputs="):
            count = int(arg.split("=", 1)[1])
    check(limit is not None and count * BULK_BYTES_PER_UNSPENT <= memory_bytes(limit) * 3 // 4,
          where + ": %d unspent outputs in memory fit the %s limit" % (count, limit))


def check_containers(overlay, docs, images):
    for workload in workloads(docs):
        name = "%s %s/%s" % (overlay, workload["kind"], workload["metadata"]["name"])
        pod = workload["spec"]["template"]["spec"]
        pod_security = pod.get("securityContext", {})
        containers = pod.get("containers", [])
        for container, init in ([(c, False) for c in containers] +
                                [(c, True) for c in pod.get("initContainers", [])]):
            where = "%s container %s" % (name, container["name"])
            security = container.get("securityContext", {})
            resources = container.get("resources", {})
            check(all(resources.get(kind, {}).get(what) for kind in ("requests", "limits")
                      for what in ("cpu", "memory")), where + ": cpu and memory requests and limits")
            non_root = security.get("runAsNonRoot", pod_security.get("runAsNonRoot"))
            user = security.get("runAsUser", pod_security.get("runAsUser"))
            check(non_root is True and user not in (None, 0), where + ": runs as non-root")
            check(security.get("readOnlyRootFilesystem") is True and
                  security.get("allowPrivilegeEscalation") is False and
                  "ALL" in security.get("capabilities", {}).get("drop", []),
                  where + ": read-only root, no privilege escalation, no capabilities")
            if not init:
                check(container.get("readinessProbe") and container.get("livenessProbe"),
                      where + ": readiness and liveness probes")
            for env in container.get("env", []):
                if SECRET_NAMES.search(env["name"]):
                    check("value" not in env and "secretKeyRef" in env.get("valueFrom", {}),
                          where + ": %s comes from a Secret" % env["name"])
            for arg in container.get("args", []) + container.get("command", []):
                if re.search(r"password=|cookie=", arg, re.I):
                    check(re.search(r"=\$\([A-Z_]+\)$", arg) is not None,
                          where + ": %s takes its value from the environment" % arg.split("=")[0])
            if not init and image_name(container["image"]) == OUR_IMAGES + "blockchain-service":
                check_bulk_memory(where, container)
            image = image_name(container["image"])
            if not image.startswith(OUR_IMAGES):
                continue
            built = images.get(image)
            check(built is not None, where + ": image %s has a build file" % image)
            if not built:
                continue
            ports = {p["containerPort"] for p in container.get("ports", [])}
            check(ports <= built["ports"],
                  where + ": ports %s are exposed by %s" % (sorted(ports), built["file"]))
            command = (container.get("command") or [built["entrypoint"]])[0]
            binary = os.path.basename(command)
            check(binary in built["final"] or binary in built["text"],
                  where + ": %s is in the image" % binary)
            check("USER 10001" in built["final"], where + ": its image's user is not root")


def check_services(overlay, docs):
    pods = [(w["spec"]["template"]["metadata"]["labels"], w["spec"]["template"]["spec"])
            for w in workloads(docs)]
    for service in (d for d in docs if d["kind"] == "Service"):
        selector = service["spec"]["selector"]
        matching = [spec for labels, spec in pods
                    if all(labels.get(k) == v for k, v in selector.items())]
        where = "%s Service %s" % (overlay, service["metadata"]["name"])
        check(matching, where + ": selects a workload's pods")
        names = {p.get("name") for spec in matching for c in spec["containers"]
                 for p in c.get("ports", [])}
        numbers = {p["containerPort"] for spec in matching for c in spec["containers"]
                   for p in c.get("ports", [])}
        for port in service["spec"]["ports"]:
            target = port.get("targetPort", port["port"])
            check(target in names or target in numbers,
                  where + ": target port %s is a container port" % target)


def by_kind(docs, kind):
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def env_of(workload, container=None, init=False):
    spec = workload["spec"]["template"]["spec"]
    group = spec.get("initContainers", []) if init else spec["containers"]
    chosen = group[0] if container is None else next(c for c in group if c["name"] == container)
    return {e["name"]: e for e in chosen.get("env", [])}


def config_value(docs, env):
    ref = env.get("valueFrom", {}).get("configMapKeyRef")
    if not ref:
        return None
    config = next(d for d in docs if d["kind"] == "ConfigMap" and
                  d["metadata"]["name"] == ref["name"])
    return config["data"].get(ref["key"])


def check_stack(overlay, docs):
    deployments = by_kind(docs, "Deployment")
    check(not [d for d in docs if d["kind"] == "Secret"], overlay + ": no Secret in the manifests")
    for name in ("gateway", "blockchain", "mempool", "history"):
        check(name in deployments, "%s: a Deployment for %s" % (overlay, name))
    for name in ("blockchain", "mempool", "history"):
        inits = deployments[name]["spec"]["template"]["spec"].get("initContainers", [])
        check([c for c in inits if c.get("command") == ["/usr/local/bin/migrate"]],
              "%s: %s runs the migrations before it starts" % (overlay, name))
    for env_holder in workloads(docs):
        for group in ("containers", "initContainers"):
            for container in env_holder["spec"]["template"]["spec"].get(group, []):
                for env in container.get("env", []):
                    if env.get("valueFrom", {}).get("configMapKeyRef"):
                        check(config_value(docs, env) is not None,
                              "%s: %s/%s %s names a key the ConfigMap has" %
                              (overlay, env_holder["metadata"]["name"], container["name"],
                               env["name"]))
    autoscalers = by_kind(docs, "HorizontalPodAutoscaler")
    for name in ("gateway", "history", "blockchain"):
        target = autoscalers.get(name, {}).get("spec", {}).get("scaleTargetRef", {})
        check(target.get("kind") == "Deployment" and target.get("name") in deployments,
              "%s: %s scales automatically" % (overlay, name))
    budgets = by_kind(docs, "PodDisruptionBudget")
    check(budgets.get("gateway", {}).get("spec", {}).get("selector", {}).get("matchLabels") ==
          {"app.kubernetes.io/name": "gateway"}, overlay + ": a disruption budget for the gateway")
    policies = by_kind(docs, "NetworkPolicy")
    deny = policies.get("default-deny", {}).get("spec", {})
    check(deny.get("podSelector") == {} and set(deny.get("policyTypes", [])) ==
          {"Ingress", "Egress"} and not deny.get("ingress") and not deny.get("egress"),
          overlay + ": everything is denied unless allowed")
    gateway_out = policies["gateway"]["spec"]["egress"]
    check(all(peer.get("podSelector", {}).get("matchLabels") ==
              {"app.kubernetes.io/component": "service"} for rule in gateway_out
              for peer in rule["to"]), overlay + ": the gateway reaches only the services")
    service_out = policies["services"]["spec"]["egress"]
    check([peer["podSelector"]["matchLabels"] for rule in service_out for peer in rule["to"]] ==
          [{"electrum-server/database": "true"}] and
          [rule["ports"] for rule in service_out] == [[{"port": 5432}]],
          overlay + ": the services reach PostgreSQL (5432) and nothing else")
    database_in = policies.get("database", {}).get("spec", {}).get("ingress", [])
    check(database_in and database_in[0]["from"][0]["podSelector"]["matchLabels"] ==
          {"app.kubernetes.io/component": "service"},
          overlay + ": PostgreSQL admits the services")
    allowed_to_node = policies["node-clients"]["spec"]["podSelector"]["matchExpressions"][0]
    check(sorted(allowed_to_node["values"]) == ["blockchain", "mempool"],
          overlay + ": only the blockchain and mempool services reach the node")
    certificate = by_kind(docs, "Certificate").get("gateway-tls", {})
    volumes = deployments["gateway"]["spec"]["template"]["spec"]["volumes"]
    check(certificate and any(v.get("secret", {}).get("secretName") ==
                              certificate["spec"]["secretName"] for v in volumes),
          overlay + ": the gateway mounts the certificate cert-manager issues")


def check_production(docs):
    clusters = [d for d in docs if d["kind"] == "Cluster" and
                d["apiVersion"].startswith("postgresql.cnpg.io/")]
    check(len(clusters) == 1 and clusters[0]["spec"]["instances"] >= 2,
          "production: a CloudNativePG Cluster with a primary and replicas")
    cluster = clusters[0]["metadata"]["name"] if clusters else "?"
    parameters = clusters[0]["spec"]["postgresql"]["parameters"] if clusters else {}
    check(parameters.get("synchronous_commit") == "remote_apply",
          "production: replicas apply a commit before it returns")
    deployments = by_kind(docs, "Deployment")
    urls = {}
    for name in ("blockchain", "mempool", "history"):
        urls[name] = config_value(docs, env_of(deployments[name])["ELECTRUM_DATABASE_URL"])
        migrate = config_value(docs, env_of(deployments[name], init=True)["ELECTRUM_DATABASE_URL"])
        check("@%s-rw:" % cluster in migrate, "production: %s migrates on the primary" % name)
    check("@%s-rw:" % cluster in urls["blockchain"] and "@%s-rw:" % cluster in urls["mempool"],
          "production: the writers use the primary")
    check("@%s-ro:" % cluster in urls["history"], "production: history reads from the replicas")
    notify = config_value(docs, env_of(deployments["history"])["ELECTRUM_NOTIFY_DATABASE_URL"])
    check("@%s-rw:" % cluster in notify, "production: history listens for changes on the primary")


def check_dev(docs):
    sets = by_kind(docs, "StatefulSet")
    check(sets.get("postgres", {}).get("spec", {}).get("replicas") == 1,
          "dev: a single-replica PostgreSQL StatefulSet")
    node = by_kind(docs, "Deployment").get("node")
    check(node and image_name(node["spec"]["template"]["spec"]["containers"][0]["image"]) ==
          "electrum-server/simnode", "dev: simnode is the node")


def main():
    images = dockerfiles()
    check(set(images) >= {"electrum-server/gateway", "electrum-server/blockchain-service",
                          "electrum-server/mempool-service", "electrum-server/history-service",
                          "electrum-server/simnode"}, "a build file per deployable")
    for title, built in images.items():
        check(re.search(r"^FROM debian:12", built["text"], re.M),
              "%s builds from Debian 12" % built["file"])
        if title != "electrum-server/build":
            check(built["final"].startswith("debian:12-slim") and
                  "runtime-packages.txt" in built["final"] and "install_deps" not in built["final"],
                  "%s: the final stage holds only runtime libraries" % built["file"])
    # kustomize reads files through the runfiles' symlinks only inside its root.
    work = tempfile.mkdtemp()
    copy = os.path.join(work, "k8s")
    shutil.copytree(K8S, copy, symlinks=False)
    try:
        for overlay in OVERLAYS:
            try:
                docs = render(copy, overlay)
            except Exception as error:  # noqa: BLE001 — reported as a failure
                check(False, "%s renders (%s)" % (overlay, error))
                continue
            check(True, "%s renders (%d objects)" % (overlay, len(docs)))
            check_containers(overlay, docs, images)
            check_services(overlay, docs)
            check_stack(overlay, docs)
            (check_production if overlay == "production" else check_dev)(docs)
    finally:
        shutil.rmtree(work)
    failed = results.count(False)
    print("%d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
