"""Running the recipes the way their tools would: a Kubernetes container (env, `$(VAR)` expansion, Secret and
ConfigMap volumes, mount paths), a GitHub Actions step (`${{ }}` expressions, bash), a GitLab CI script.

Only what the recipes use is implemented, and anything else fails the test: an expression, a volume type or an
env source the helpers do not know means the recipe changed and its test must follow.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
RECIPES = REPO / "recipes"
PREFLIGHT = str(Path(sys.executable).parent / "preflight")


def yaml_docs(path: Path) -> list[dict[str, Any]]:
    """The documents of a YAML file, read as YAML 1.2 like GitHub, GitLab and Kubernetes do (``on:`` is a key,
    not the boolean PyYAML's YAML 1.1 makes of it)."""
    return yaml_texts(path.read_text(encoding="utf-8"))


def yaml_texts(text: str) -> list[dict[str, Any]]:
    from ruamel.yaml import YAML

    return [d for d in YAML(typ="safe", pure=True).load_all(text) if d is not None]


# -- schemas --------------------------------------------------------------------------------------------------


def kubernetes_valid(doc: dict[str, Any]) -> None:
    """Validate a Kubernetes object against the API's own schema (strict: unknown fields are errors)."""
    import kubernetes_validate

    kubernetes_validate.validate(doc, kubernetes_validate.latest_version(), strict=True)


@cache
def vendored_schema(name: str) -> dict[str, Any]:
    """A schema check-jsonschema vendors from SchemaStore / GitLab: github-workflows, github-actions, gitlab-ci."""
    text = (resources.files("check_jsonschema.builtin_schemas.vendor") / f"{name}.json").read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


def schema_valid(doc: Any, schema: dict[str, Any]) -> None:
    import jsonschema

    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:10])


# -- Kubernetes ----------------------------------------------------------------------------------------------

_K8S_VAR = re.compile(r"\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)")


def k8s_expand(text: str, env: dict[str, str]) -> str:
    """Kubernetes' `$(VAR)` expansion in command, args and env values: defined variables only, `$$` escapes."""
    def sub(m: re.Match[str]) -> str:
        if m.group(0) == "$$":
            return "$"
        return env.get(m.group(1), m.group(0))
    return _K8S_VAR.sub(sub, text)


@dataclass
class Cluster:
    """What the recipes' containers find in the cluster: Secrets, ConfigMaps, field values, shared volumes."""

    root: Path
    secrets: dict[str, dict[str, str]] = field(default_factory=dict)
    config_maps: dict[str, dict[str, str]] = field(default_factory=dict)

    def add(self, docs: list[dict[str, Any]]) -> None:
        for d in docs:
            if d["kind"] == "ConfigMap":
                self.config_maps[d["metadata"]["name"]] = d["data"]

    def claim(self, name: str) -> Path:
        path = self.root / "claims" / name
        path.mkdir(parents=True, exist_ok=True)
        return path


def pod_spec(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["spec"]["template"]["spec"]  # type: ignore[no-any-return]


def run_container(cluster: Cluster, spec: dict[str, Any], *, fields: dict[str, str] | None = None,
                  env_overrides: dict[str, str] | None = None, name: str = "preflight",
                  scratch: str = "pod") -> tuple[subprocess.CompletedProcess[str], dict[str, Path]]:
    """Run container ``name`` of pod ``spec`` as the kubelet would (image entrypoint: preflight), with its
    volumes on disk; returns the process and each mount path's directory."""
    (container,) = [c for c in spec["containers"] if c["name"] == name]
    pod_dir = cluster.root / scratch
    pod_dir.mkdir(parents=True, exist_ok=True)
    volumes: dict[str, Path] = {}
    for v in spec.get("volumes", ()):
        if "configMap" in v:
            d = pod_dir / v["name"]
            d.mkdir(parents=True, exist_ok=True)
            for key, text in cluster.config_maps[v["configMap"]["name"]].items():
                (d / key).write_text(text, encoding="utf-8")
        elif "secret" in v:
            d = pod_dir / v["name"]
            d.mkdir(parents=True, exist_ok=True)
            data = cluster.secrets[v["secret"]["secretName"]]
            for item in v["secret"].get("items", [{"key": k, "path": k} for k in data]):
                (d / item["path"]).write_text(data[item["key"]], encoding="utf-8")
        elif "persistentVolumeClaim" in v:
            d = cluster.claim(v["persistentVolumeClaim"]["claimName"])
        else:
            raise AssertionError(f"volume type of {v['name']!r} not supported by the test helper")
        volumes[v["name"]] = d
    def mounts_of(c: dict[str, Any]) -> dict[str, Path]:
        return {m["mountPath"]: volumes[m["name"]] for m in c.get("volumeMounts", ())}

    def on_disk(text: str, mounts: dict[str, Path]) -> str:
        for mount in sorted(mounts, key=len, reverse=True):
            text = text.replace(mount, str(mounts[mount]))
        return text

    def env_of(c: dict[str, Any], mounts: dict[str, Path], overrides: dict[str, str]) -> dict[str, str]:
        env: dict[str, str] = {}
        for e in c.get("env", ()):
            if "value" in e:
                env[e["name"]] = k8s_expand(str(e["value"]), env)
            elif "secretKeyRef" in e.get("valueFrom", {}):
                ref = e["valueFrom"]["secretKeyRef"]
                env[e["name"]] = cluster.secrets[ref["name"]][ref["key"]]
            elif "fieldRef" in e.get("valueFrom", {}):
                env[e["name"]] = (fields or {})[e["valueFrom"]["fieldRef"]["fieldPath"]]
            else:
                raise AssertionError(f"env source of {e['name']!r} not supported by the test helper")
        env.update({k: v for k, v in overrides.items() if k in env})
        return {k: on_disk(v, mounts) for k, v in env.items()}

    # Init containers run first, to completion; the helper runs only the one kind the recipes use.
    for init in spec.get("initContainers", ()):
        init_mounts = mounts_of(init)
        init_env = env_of(init, init_mounts, env_overrides or {})
        argv = [on_disk(k8s_expand(a, init_env), init_mounts) for a in init["command"] + init.get("args", [])]
        assert argv[:2] == ["mkdir", "-p"], f"init container {init['name']!r} not supported by the test helper"
        subprocess.run(argv, check=True)
    mounts = mounts_of(container)
    env = env_of(container, mounts, {})
    env.update({k: on_disk(v, mounts) for k, v in (env_overrides or {}).items()})
    assert "command" not in container, "the recipes rely on the image's entrypoint (preflight)"
    args = [on_disk(k8s_expand(a, env), mounts) for a in container["args"]]
    proc = subprocess.run([PREFLIGHT, *args], env={"PATH": os.environ["PATH"], "HOME": str(pod_dir), **env},
                          cwd=pod_dir, capture_output=True, text=True, timeout=300)
    return proc, mounts


def fail_codes(job_spec: dict[str, Any]) -> set[int]:
    """Exit codes a Job's podFailurePolicy turns into a failed Job (FailJob) or a failed index (FailIndex)."""
    out: set[int] = set()
    for rule in job_spec.get("podFailurePolicy", {}).get("rules", ()):
        codes = rule.get("onExitCodes")
        if rule["action"] in ("FailJob", "FailIndex") and codes and codes["operator"] == "In":
            out |= set(codes["values"])
    return out


# -- GitHub Actions ------------------------------------------------------------------------------------------

_EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def gha_expand(text: str, context: dict[str, str]) -> str:
    """Replace `${{ name }}` expressions by their values in ``context``; an unknown expression fails the test."""
    def sub(m: re.Match[str]) -> str:
        assert m.group(1) in context, f"expression {m.group(1)!r} has no value in the test"
        return context[m.group(1)]
    return _EXPR.sub(sub, str(text))


def run_bash(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """A `run:` step or a CI script: bash -e, as the runners start it."""
    path = cwd / ".step.sh"
    path.write_text(script, encoding="utf-8")
    full = {"PATH": f"{Path(PREFLIGHT).parent}{os.pathsep}{os.environ['PATH']}", "HOME": str(cwd),
            "NO_COLOR": "1", **env}
    return subprocess.run(["bash", "-e", str(path)], cwd=cwd, env=full, capture_output=True, text=True,
                          timeout=300)
