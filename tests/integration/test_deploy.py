"""Deployment to Cloudflare, offline: the bundle ``wrangler deploy`` would upload, and
``scripts/deploy-central.sh`` stopping with a clear message when a prerequisite is missing.

The Worker size limit checked is the stricter of Cloudflare's published ones: 3 MiB after gzip
(Workers Free until 2026) and 64 MiB uncompressed (the single limit the limits page gives now).
"""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from pos_app.devtools.local_worker import WORKER_DIR, node_available

ROOT = WORKER_DIR.parent
SCRIPT = ROOT / "scripts" / "deploy-central.sh"
FREE_PLAN_GZIP_LIMIT = 3 * 1024 * 1024
UNCOMPRESSED_LIMIT = 64 * 1024 * 1024

needs_node = pytest.mark.skipif(not node_available(), reason="the Worker needs Node.js 20+")


def _offline_env(home: Path, path: str | None = None) -> dict[str, str]:
    """No Cloudflare credentials at all: a fresh HOME, no API token, no account id."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLOUDFLARE_", "CF_"))}
    env.pop("ADMIN_TOKEN", None)
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), CI="true",
               WRANGLER_SEND_METRICS="false")
    if path is not None:
        env["PATH"] = path
    return env


def _deploy(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(SCRIPT), *args], env=env, capture_output=True,
                          text=True, timeout=120, check=False)


@needs_node
@pytest.mark.worker
def test_dry_run_bundle_builds_and_fits_the_free_plan(tmp_path: Path) -> None:
    out = tmp_path / "bundle"
    result = subprocess.run(
        ["npx", "--no-install", "wrangler", "deploy", "--dry-run", "--outdir", str(out)],
        cwd=WORKER_DIR, env=_offline_env(tmp_path), capture_output=True, text=True,
        timeout=180, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "--dry-run: exiting now" in result.stdout + result.stderr
    bundle = (out / "index.js").read_bytes()
    assert b"handleAdmin" in bundle and b"handlePush" in bundle  # the whole router
    assert b"handleEnroll" in bundle
    assert len(bundle) < UNCOMPRESSED_LIMIT
    assert len(gzip.compress(bundle, compresslevel=9)) < FREE_PLAN_GZIP_LIMIT


@needs_node
def test_deploy_without_a_cloudflare_login_stops_with_what_to_run(tmp_path: Path) -> None:
    generated = WORKER_DIR / "wrangler.deploy.toml"
    existed = generated.exists()
    result = _deploy(_offline_env(tmp_path))
    assert result.returncode == 1
    assert "Not logged in to a Cloudflare account" in result.stderr
    assert "npx wrangler login" in result.stderr
    assert "CLOUDFLARE_API_TOKEN" in result.stderr
    assert "3/7" not in result.stderr  # stopped before touching any database
    assert generated.exists() == existed


def test_deploy_without_node_says_to_install_it(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "dirname", "sed", "grep", "cat", "tail", "head"):
        found = shutil.which(tool)
        assert found is not None
        (bin_dir / tool).symlink_to(found)
    result = _deploy(_offline_env(tmp_path, path=str(bin_dir)))
    assert result.returncode == 1
    assert "Node.js 20 or newer (with npm) is needed" in result.stderr
    assert "2/7" not in result.stderr


def test_deploy_refuses_a_bad_database_name(tmp_path: Path) -> None:
    result = _deploy(_offline_env(tmp_path), "--database", "Bad Name")
    assert result.returncode == 1
    assert "--database: lower-case letters, digits and dashes" in result.stderr
    assert "1/7" not in result.stderr
