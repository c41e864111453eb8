"""deploy/compose.yaml and deploy/kubernetes/koers.yaml run the image the way it is built
(bin/image): its roles, its user, a read-only root with /tmp and /run/koers writable, the
secrets as files where deploy/production.env.example looks, and probes that pass
ALLOWED_HOSTS. Building and starting the image is bin/image-smoke's part (it needs root
and minutes, docs/operations.md, "Container image")."""

import re
from pathlib import Path

import yaml

from tests.config.test_lock import ROOT

DEPLOY = ROOT / "deploy"
# What the image may write to (bin/image): the container's, never the host's /tmp.
WRITABLE = {"/tmp", "/run/koers"}  # noqa: S108


def example() -> dict[str, str]:
    lines = (DEPLOY / "production.env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def entrypoint_roles() -> set[str]:
    script = (DEPLOY / "image" / "entrypoint").read_text()
    return set(re.findall(r"^  (\w+)\)", script, re.MULTILINE))


def secret_files() -> set[str]:
    """The secrets the example names by file, all of them under /run/secrets/."""
    paths = {value for name, value in example().items() if name.endswith("_FILE")}
    assert all(path.startswith("/run/secrets/") for path in paths), paths
    return {Path(path).name for path in paths}


def test_the_entrypoint_knows_each_role_a_process_runs():
    assert {"web", "worker", "scheduler", "migrate", "manage"} <= entrypoint_roles()


def test_metrics_of_the_app_servers_go_to_the_writable_run_folder():
    assert example()["PROMETHEUS_MULTIPROC_DIR"].startswith("/run/koers/")


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def test_compose_runs_two_app_servers_a_worker_a_scheduler_and_postgresql():
    services = compose()["services"]
    koers = {name: service for name, service in services.items() if name != "db"}
    roles = sorted(service["command"][0] for service in koers.values())

    assert roles == ["migrate", "scheduler", "web", "web", "worker"]
    assert set(roles) <= entrypoint_roles()
    assert "postgres" in services["db"]["image"]


def test_compose_runs_every_koers_process_read_only_with_its_secrets_as_files():
    spec = compose()
    for name, service in spec["services"].items():
        if name == "db":
            continue
        assert service["read_only"] is True, name
        writable = {entry.split(":")[0] for entry in service["tmpfs"]}
        assert writable == WRITABLE, name
        assert set(service["secrets"]) == secret_files(), name
        assert service["env_file"] == "koers.env", name
    assert set(spec["secrets"]) == secret_files()


def kubernetes() -> list[dict]:
    return list(yaml.safe_load_all((DEPLOY / "kubernetes" / "koers.yaml").read_text()))


def pod_specs() -> dict[str, dict]:
    return {document["metadata"]["name"]: document["spec"]["template"]["spec"]
            for document in kubernetes() if document["kind"] in ("Deployment", "Job")}


def test_kubernetes_has_web_workers_one_scheduler_and_a_migration_job():
    documents = {(d["kind"], d["metadata"]["name"]): d for d in kubernetes()}
    roles = {name: spec["containers"][0]["args"][0] for name, spec in pod_specs().items()}

    assert sorted(roles.values()) == ["migrate", "scheduler", "web", "worker"]
    assert set(roles.values()) <= entrypoint_roles()
    assert documents[("Deployment", "koers-scheduler")]["spec"]["replicas"] == 1
    assert documents[("Deployment", "koers-scheduler")]["spec"]["strategy"]["type"] == "Recreate"
    assert documents[("Deployment", "koers-web")]["spec"]["replicas"] >= 2
    assert ("Job", "koers-migrate-release") in documents


def test_kubernetes_runs_every_pod_as_the_image_user_on_a_read_only_root():
    for name, spec in pod_specs().items():
        assert spec["securityContext"]["runAsNonRoot"] is True, name
        assert spec["securityContext"]["runAsUser"] == 10001, name
        volumes = {volume["name"]: volume for volume in spec["volumes"]}
        for container in spec["containers"]:
            security = container["securityContext"]
            assert security["readOnlyRootFilesystem"] is True, name
            assert security["allowPrivilegeEscalation"] is False, name
            assert security["capabilities"]["drop"] == ["ALL"], name
            mounts = {mount["mountPath"]: volumes[mount["name"]]
                      for mount in container["volumeMounts"]}
            for path in WRITABLE:
                assert "emptyDir" in mounts[path], (name, path)
            assert mounts["/run/secrets"]["secret"]["secretName"] == "koers", name


def test_kubernetes_probes_ask_the_health_endpoints_with_an_allowed_host():
    web = pod_specs()["koers-web"]["containers"][0]
    allowed = example()["ALLOWED_HOSTS"].split(",")

    for probe, path in [("startupProbe", "/health/live"), ("livenessProbe", "/health/live"),
                        ("readinessProbe", "/health/ready")]:
        request = web[probe]["httpGet"]
        assert request["path"] == path, probe
        assert {h["name"]: h["value"] for h in request["httpHeaders"]}["Host"] in allowed, probe
