"""The recipes under recipes/: each file is valid for its tool (its schema, where one exists) and runs preflight
the way the tool would, against the incident's real database and release image (blocked: exit 1, which every
recipe must turn into its tool's notion of failure), and the JSON report lands where the recipe says.

Schemas: Kubernetes objects against the API's own (kubernetes-validate, strict), the Argo Rollouts
AnalysisTemplate against the fields its documentation gives (ANALYSIS_TEMPLATE, ours), GitHub workflows and
action.yml against SchemaStore's and .gitlab-ci.yml against GitLab's (both as vendored by check-jsonschema); the Helm chart is rendered and linted by
Helm's own Go SDK (helm-python-sdk: Debian has no helm package) and its output validated as Kubernetes objects.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fleet_support import incident_fleet, incident_image
from tests.helpers import validate_report
from tests.recipe_support import (
    PREFLIGHT,
    RECIPES,
    REPO,
    Cluster,
    fail_codes,
    gha_expand,
    kubernetes_valid,
    pod_spec,
    run_bash,
    run_container,
    schema_valid,
    vendored_schema,
    yaml_docs,
    yaml_texts,
)

BLOCKED = 1


@pytest.fixture(scope="module")
def fleet(pg_server: str) -> Iterator[dict[str, str]]:
    """Four incident databases: the backfill never run, 103_drop_legacy_rollups pending."""
    with incident_fleet(pg_server, ["cell-a", "cell-b", "cell-c", "cell-d"]) as members:
        yield members


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"docker-archive:{incident_image(tmp_path_factory.mktemp('image'))}"


@pytest.fixture(scope="module")
def fixed_image(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The release image that ships the backfill: only the database can block it."""
    return f"docker-archive:{incident_image(tmp_path_factory.mktemp('fixed'), fixed=True)}"


def cluster(root: Path, dsn: str) -> Cluster:
    c = Cluster(root)
    c.secrets["app-db-readonly"] = {"url": dsn}
    c.secrets["regcred"] = {".dockerconfigjson": '{"auths": {}}'}
    return c


def assert_json_report(path: Path, code: int) -> dict[str, Any]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    validate_report(doc)
    assert doc["exit_code"] == code
    return doc  # type: ignore[no-any-return]


# -- every file is valid for its tool -------------------------------------------------------------------------


def kubernetes_files() -> list[Path]:
    return sorted([*RECIPES.glob("kubernetes/*.yaml"), *RECIPES.glob("argo-cd/*.yaml")])


@pytest.mark.parametrize("path", kubernetes_files(), ids=lambda p: p.name)
def test_kubernetes_manifests_are_valid(path: Path) -> None:
    docs = yaml_docs(path)
    assert docs
    for doc in docs:
        kubernetes_valid(doc)
        if doc["kind"] == "Job":
            assert fail_codes(doc["spec"]) == {1, 2, 3} or doc["spec"]["backoffLimit"] == 0
            assert pod_spec(doc)["restartPolicy"] == "Never"


# The part of Argo Rollouts' AnalysisTemplate (argoproj.io/v1alpha1) this recipe uses, written from its
# documentation (docs/analysis/job.md, docs/features/analysis.md): unknown keys are refused so that a misspelt
# field (failureLimit, successCondition...) fails here rather than being ignored by the controller.
_NAME = {"type": "string", "pattern": "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"}
ANALYSIS_TEMPLATE: dict[str, Any] = {
    "type": "object",
    "required": ["apiVersion", "kind", "metadata", "spec"],
    "additionalProperties": False,
    "properties": {
        "apiVersion": {"const": "argoproj.io/v1alpha1"},
        "kind": {"enum": ["AnalysisTemplate", "ClusterAnalysisTemplate"]},
        "metadata": {"type": "object", "required": ["name"], "properties": {"name": _NAME}},
        "spec": {
            "type": "object",
            "required": ["metrics"],
            "additionalProperties": False,
            "properties": {
                "args": {"type": "array", "items": {
                    "type": "object", "required": ["name"], "additionalProperties": False,
                    "properties": {"name": {"type": "string"}, "value": {"type": "string"},
                                   "valueFrom": {"type": "object"}}}},
                "metrics": {"type": "array", "minItems": 1, "items": {
                    "type": "object", "required": ["name", "provider"], "additionalProperties": False,
                    "properties": {
                        "name": {"type": "string"},
                        "count": {"type": ["integer", "string"]},
                        "interval": {"type": "string"},
                        "initialDelay": {"type": "string"},
                        "failureLimit": {"type": ["integer", "string"]},
                        "inconclusiveLimit": {"type": ["integer", "string"]},
                        "consecutiveErrorLimit": {"type": ["integer", "string"]},
                        "successCondition": {"type": "string"},
                        "failureCondition": {"type": "string"},
                        "provider": {
                            "type": "object", "additionalProperties": False, "minProperties": 1,
                            "properties": {"job": {
                                "type": "object", "required": ["spec"], "additionalProperties": False,
                                "properties": {"metadata": {"type": "object"}, "spec": {"type": "object"}}}}},
                    }}},
            },
        },
    },
}


def test_argo_rollouts_analysis_template_is_valid() -> None:
    (doc,) = yaml_docs(RECIPES / "argo-rollouts" / "analysis-template.yaml")
    schema_valid(doc, ANALYSIS_TEMPLATE)
    # The Job the provider creates, as Kubernetes will validate it (the CRD keeps the pod template loose).
    job = doc["spec"]["metrics"][0]["provider"]["job"]
    kubernetes_valid({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "preflight"}, "spec": job["spec"]})
    metric = doc["spec"]["metrics"][0]
    assert metric["count"] == 1 and metric["failureLimit"] == 0  # one failed run fails the analysis
    # Every {{args.X}} the Job uses is declared.
    declared = {a["name"] for a in doc["spec"]["args"]}
    used = set(re.findall(r"\{\{args\.([a-z-]+)\}\}", json.dumps(job)))
    assert used and used <= declared


def test_github_workflows_and_the_action_are_valid() -> None:
    for path in sorted(RECIPES.glob("github-actions/*.yml")):
        schema_valid(yaml_docs(path)[0], vendored_schema("github-workflows"))
    schema_valid(yaml_docs(REPO / "action.yml")[0], vendored_schema("github-actions"))


def test_gitlab_ci_is_valid() -> None:
    schema_valid(yaml_docs(RECIPES / "gitlab-ci" / "preflight.gitlab-ci.yml")[0], vendored_schema("gitlab-ci"))


def helm() -> Any:
    return pytest.importorskip("helm_python", reason="Helm's Go SDK (helm-python-sdk) has wheels for x86_64 "
                                                     "Linux only in this project's test dependencies")


def helm_render(values: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    helm_python = helm()
    chart = helm_python.Chart.load(RECIPES / "helm" / "preflight-gate")
    rendered = chart.render(values=values, name="app", namespace="shop", revision=3, is_upgrade=True)
    return [d for text in rendered.values() for d in yaml_texts(text)]


def test_helm_chart_lints_and_renders_valid_hooks() -> None:
    helm_python = helm()
    report = helm_python.lint(RECIPES / "helm" / "preflight-gate", strict=True)
    assert report["errors"] == [] and all(m["severity"] < 2 for m in report["messages"]), report
    docs = helm_render()
    assert sorted(d["kind"] for d in docs) == ["ConfigMap", "Job"]
    for doc in docs:
        kubernetes_valid(doc)
        assert doc["metadata"]["annotations"]["helm.sh/hook"] == "pre-upgrade"
    weights = {d["kind"]: int(d["metadata"]["annotations"]["helm.sh/hook-weight"]) for d in docs}
    assert weights["ConfigMap"] < weights["Job"]  # the config exists before the Job starts
    # Without a reports volume, no --output and no volume.
    job = next(d for d in helm_render({"preflight": {"reportsClaim": ""}}) if d["kind"] == "Job")
    kubernetes_valid(job)
    assert "--output" not in pod_spec(job)["containers"][0]["args"]


def test_every_preflight_config_in_the_recipes_validates(tmp_path: Path, fleet: dict[str, str]) -> None:
    """The configs in ConfigMaps, the chart's values and deploy/*.toml are configs preflight accepts."""
    texts = {p.name: p.read_text() for p in (RECIPES / "deploy").glob("*.toml")}
    for path in kubernetes_files():
        for doc in yaml_docs(path):
            if doc["kind"] == "ConfigMap":
                texts[f"{path.name}:{doc['metadata']['name']}"] = doc["data"]["preflight.toml"]
    texts["helm values"] = yaml_docs(RECIPES / "helm" / "preflight-gate" / "values.yaml")[0]["preflight"]["config"]
    (tmp_path / "members.txt").write_text("a postgresql:///a\n")
    env = {"DATABASE_URL": fleet["cell-a"], "APP_IMAGE": "docker-archive:app.tar",
           "PREFLIGHT_FLEET_FILE": str(tmp_path / "members.txt"), "PATH": os.environ["PATH"]}
    for name, text in texts.items():
        (tmp_path / "preflight.toml").write_text(text)
        proc = subprocess.run([PREFLIGHT, "validate", "--config", str(tmp_path / "preflight.toml")], env=env,
                              capture_output=True, text=True)
        assert proc.returncode == 0, (name, proc.stderr)


# -- and runs preflight the way the tool would ----------------------------------------------------------------


def test_kubernetes_job_with_the_dsn_from_a_secret(tmp_path: Path, fleet: dict[str, str], image: str,
                                                   fixed_image: str) -> None:
    docs = yaml_docs(RECIPES / "kubernetes" / "job.yaml")
    c = cluster(tmp_path, fleet["cell-a"])
    c.add(docs)
    job = next(d for d in docs if d["kind"] == "Job")
    proc, mounts = run_container(c, pod_spec(job), env_overrides={"APP_IMAGE": image})
    assert proc.returncode == BLOCKED, proc.stderr
    assert BLOCKED in fail_codes(job["spec"])  # FailJob: the Job fails at once, no retry
    assert "BLOCKED: do not roll out (exit 1)" in proc.stdout  # the text report: the Job's log
    assert_json_report(mounts["/reports"] / "preflight.json", BLOCKED)
    # The same Job against a database that cannot be reached: could not decide, exit 3, a failed Job too.
    c.secrets["app-db-readonly"]["url"] = "postgresql://preflight@127.0.0.1:1/app?connect_timeout=2"
    proc, _ = run_container(c, pod_spec(job), env_overrides={"APP_IMAGE": fixed_image}, scratch="down")
    assert proc.returncode == 3 and 3 in fail_codes(job["spec"]), proc.stdout


def test_argo_cd_presync_hook(tmp_path: Path, fleet: dict[str, str], image: str) -> None:
    (job,) = yaml_docs(RECIPES / "argo-cd" / "presync-job.yaml")
    assert job["metadata"]["annotations"]["argocd.argoproj.io/hook"] == "PreSync"
    c = cluster(tmp_path, fleet["cell-a"])
    c.add(yaml_docs(RECIPES / "kubernetes" / "job.yaml"))  # the ConfigMap it uses
    proc, mounts = run_container(c, pod_spec(job), env_overrides={"APP_IMAGE": image})
    assert proc.returncode == BLOCKED, proc.stderr
    assert job["spec"]["backoffLimit"] == 0  # the failed hook is not retried: the sync fails
    assert_json_report(mounts["/reports"] / "preflight.json", BLOCKED)


def test_argo_rollouts_pre_promotion_analysis(tmp_path: Path, fleet: dict[str, str], image: str) -> None:
    (template,) = yaml_docs(RECIPES / "argo-rollouts" / "analysis-template.yaml")
    # Argo Rollouts substitutes {{args.image}} with the Rollout's argument before creating the Job.
    rendered = json.loads(json.dumps(template).replace("{{args.image}}", image))
    job_spec = rendered["spec"]["metrics"][0]["provider"]["job"]["spec"]
    c = cluster(tmp_path, fleet["cell-a"])
    c.add(yaml_docs(RECIPES / "kubernetes" / "job.yaml"))
    proc, mounts = run_container(c, job_spec["template"]["spec"])
    assert proc.returncode == BLOCKED, proc.stderr  # a failed Job: a failed measurement, the Rollout aborts
    assert job_spec["backoffLimit"] == 0
    assert_json_report(mounts["/reports"] / "preflight.json", BLOCKED)


def test_helm_pre_upgrade_hook(tmp_path: Path, fleet: dict[str, str], image: str) -> None:
    docs = helm_render()
    c = cluster(tmp_path, fleet["cell-a"])
    c.add(docs)
    c.claim("preflight-reports")
    job = next(d for d in docs if d["kind"] == "Job")
    proc, mounts = run_container(c, pod_spec(job), env_overrides={"APP_IMAGE": image})
    assert proc.returncode == BLOCKED, proc.stderr  # a failed hook Job: "pre-upgrade hooks failed"
    assert_json_report(mounts["/reports"] / "app-3.json", BLOCKED)


def test_gitlab_ci_job_with_a_junit_report(tmp_path: Path, fleet: dict[str, str], image: str) -> None:
    doc = yaml_docs(RECIPES / "gitlab-ci" / "preflight.gitlab-ci.yml")[0]
    job = doc["preflight"]
    shutil.copytree(RECIPES / "deploy", tmp_path / "deploy")
    ci = {"PREFLIGHT_DATABASE_URL": fleet["cell-a"], "CI_REGISTRY": "registry.example.com",
          "CI_REGISTRY_USER": "ci", "CI_REGISTRY_PASSWORD": "token", "CI_REGISTRY_IMAGE": "registry.example.com/app",
          "CI_COMMIT_SHA": "abc123", "CI_PROJECT_DIR": str(tmp_path)}
    # GitLab expands the job's variables from the CI/CD ones; the image is the test's archive instead.
    variables = "".join(f'export {k}="{v}"\n' for k, v in job["variables"].items())
    proc = run_bash(variables + "export APP_IMAGE=" + image + "\n" + "\n".join(job["script"]) + "\n", tmp_path, ci)
    assert proc.returncode == BLOCKED, proc.stdout + proc.stderr  # a failed job: deploy does not run
    assert job["artifacts"]["when"] == "always"
    junit = ET.parse(tmp_path / job["artifacts"]["reports"]["junit"]).getroot()
    assert int(junit.get("failures", "0")) >= 1
    for name in job["artifacts"]["paths"]:
        assert (tmp_path / name).is_file()
    assert_json_report(tmp_path / "preflight.json", BLOCKED)
    assert json.loads((tmp_path / ".docker" / "config.json").read_text())["auths"]["registry.example.com"]


def test_github_actions_promote_with_sarif_and_step_summary(tmp_path: Path, fleet: dict[str, str],
                                                           image: str) -> None:
    workflow = yaml_docs(RECIPES / "github-actions" / "promote.yml")[0]
    job = workflow["jobs"]["preflight"]
    step = next(s for s in job["steps"] if s.get("id") == "preflight")
    shutil.copytree(RECIPES / "deploy", tmp_path / "deploy")
    context = {"inputs.tag": "1.4.0", "secrets.PREFLIGHT_DATABASE_URL": fleet["cell-a"]}
    job_env = {k: gha_expand(v, context) for k, v in job["env"].items()}
    assert job_env["APP_IMAGE"] == "docker://ghcr.io/acme/app:1.4.0"
    job_env["APP_IMAGE"] = image  # the registry's image, as the test's archive
    context |= {f"env.{k}": v for k, v in job_env.items()}
    with_ = {k: gha_expand(v, context) for k, v in step["with"].items()}
    step_env = {**job_env, **{k: gha_expand(v, context) for k, v in step["env"].items()}}
    # The step runs this repository's action: its `run` step, with the inputs it maps into env.
    action = yaml_docs(REPO / "action.yml")[0]
    run_step = next(s for s in action["runs"]["steps"] if s.get("id") == "run")
    inputs = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()} | with_
    env = {**step_env, "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
           "GITHUB_OUTPUT": str(tmp_path / "outputs.txt")}
    for key, value in run_step["env"].items():
        env[key] = gha_expand(value, {f"inputs.{k}": v for k, v in inputs.items()})
    proc = run_bash(run_step["run"], tmp_path, env)
    assert proc.returncode == BLOCKED, proc.stdout + proc.stderr  # the step fails: `promote` does not run
    assert workflow["jobs"]["promote"]["needs"] == "preflight"
    outputs = dict(line.split("=", 1) for line in (tmp_path / "outputs.txt").read_text().splitlines())
    assert outputs == {"exit-code": "1", "sarif": "preflight.sarif"}
    sarif = json.loads((tmp_path / "preflight.sarif").read_text())
    assert sarif["runs"][0]["results"]
    assert (tmp_path / "summary.md").read_text().startswith("## preflight: blocked")
    assert "::error " in proc.stdout  # format: github


# -- fleets, sharded ------------------------------------------------------------------------------------------


def members_file(fleet: dict[str, str]) -> str:
    return "".join(f"{name} {dsn}\n" for name, dsn in fleet.items())


def test_github_actions_matrix_of_shards_and_the_merge(tmp_path: Path, fleet: dict[str, str], image: str) -> None:
    workflow = yaml_docs(RECIPES / "github-actions" / "fleet-shards.yml")[0]
    shard_job, gate = workflow["jobs"]["shard"], workflow["jobs"]["gate"]
    shards = shard_job["strategy"]["matrix"]["shard"]
    step = next(s for s in shard_job["steps"] if s.get("id") == "shard")
    assert f'--shard "$SHARD/{len(shards)}"' in step["run"]  # N in the command is the matrix's size
    artifacts = tmp_path / "artifacts"
    codes = []
    for index in shards:
        work = tmp_path / f"shard-{index}"
        shutil.copytree(RECIPES / "deploy", work / "deploy")
        context = {"matrix.shard": str(index), "inputs.tag": "1.4.0",
                   "secrets.PREFLIGHT_FLEET_MEMBERS": members_file(fleet)}
        env = {k: gha_expand(v, context) for k, v in step["env"].items()}
        env |= {"APP_IMAGE": image, "RUNNER_TEMP": str(work)}
        proc = run_bash(step["run"], work, env)
        codes.append(proc.returncode)
        assert proc.returncode in (0, BLOCKED), proc.stderr
        # upload-artifact, then download-artifact with merge-multiple: every shard's reports/ in one folder.
        for report in (work / "reports").glob("*.json"):
            artifacts.mkdir(exist_ok=True)
            shutil.copy(report, artifacts / report.name)
    assert BLOCKED in codes and shard_job["strategy"]["fail-fast"] is False
    gate_dir = tmp_path / "gate"
    shutil.copytree(artifacts, gate_dir / "reports")
    merge = next(s for s in gate["steps"] if s.get("id") == "merge")
    proc = run_bash(merge["run"], gate_dir, {"GITHUB_STEP_SUMMARY": str(gate_dir / "summary.md")})
    assert proc.returncode == BLOCKED, proc.stderr  # the gate fails: promote does not run
    assert gate["if"] == "${{ !cancelled() }}" and workflow["jobs"]["promote"]["needs"] == "gate"
    doc = assert_json_report(gate_dir / "preflight.json", BLOCKED)
    assert doc["fleet"]["checked"] == len(fleet) and doc["fleet"]["merged_shards"] == len(shards)
    assert "fleet: 4 members, merged from" in (gate_dir / "summary.md").read_text()
    assert (gate_dir / "preflight.sarif").is_file()


def test_kubernetes_indexed_job_of_shards_and_the_merge_job(tmp_path: Path, fleet: dict[str, str],
                                                            image: str) -> None:
    docs = yaml_docs(RECIPES / "kubernetes" / "fleet-shards.yaml")
    job = next(d for d in docs if d["kind"] == "Job")
    spec = job["spec"]
    assert spec["completionMode"] == "Indexed"
    args = pod_spec(job)["containers"][0]["args"]
    assert args[args.index("--shard") + 1] == f"$(SHARD)/{spec['completions']}"  # N is the Job's completions
    assert fail_codes(spec) == {1, 2, 3}
    c = cluster(tmp_path, "")
    c.add(docs)
    c.secrets["preflight-fleet"] = {"members.txt": members_file(fleet)}
    annotation = "metadata.annotations['batch.kubernetes.io/job-completion-index']"
    codes = []
    for index in range(spec["completions"]):
        proc, _ = run_container(c, pod_spec(job), fields={annotation: str(index)}, scratch=f"pod-{index}",
                                env_overrides={"APP_IMAGE": image, "ROLLOUT": "run-1"})
        codes.append(proc.returncode)
        assert proc.returncode in (0, BLOCKED), proc.stderr
    assert BLOCKED in codes
    (merge,) = yaml_docs(RECIPES / "kubernetes" / "fleet-merge.yaml")
    kubernetes_valid(merge)
    proc, mounts = run_container(c, pod_spec(merge), env_overrides={"ROLLOUT": "run-1"}, scratch="merge")
    assert proc.returncode == BLOCKED, proc.stderr  # the gate Job fails
    doc = assert_json_report(mounts["/reports"] / "run-1" / "preflight.json", BLOCKED)
    assert doc["fleet"]["checked"] == len(fleet) and doc["fleet"]["merged_shards"] == spec["completions"]
    # A shard whose pod never wrote its report: the merge says so, and cannot decide.
    missing = sorted((mounts["/reports"] / "run-1" / "shards").glob("*.json"))[0]
    missing.unlink()
    proc, _ = run_container(c, pod_spec(merge), env_overrides={"ROLLOUT": "run-1"}, scratch="merge-again")
    assert proc.returncode in (BLOCKED, 3) and "shard reports missing" in proc.stdout
