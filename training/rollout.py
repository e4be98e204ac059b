"""The operator's rollout CLI, over the running app's HTTP API.

    python -m training.rollout status
    python -m training.rollout canary reranker v20261125-... [--steps 5,25,50,100] --reason "retrained on November"
    python -m training.rollout shadow index v20261125-...     (or: shadow index none)
    python -m training.rollout promote reranker [VERSION] --reason "..."
    python -m training.rollout rollback reranker --reason "..."
    python -m training.rollout history reranker

It calls ``/v1/rollout`` and ``/admin/rollout/...`` with the admin token from
``RETAIL_ADMIN_TOKEN`` or ``--token-file`` (default ``.secrets/admin_token``,
written by ``make up``). The rollout controller inside the cluster does the
work, so the CLI and the HTTP API are one implementation. Exit status 1 on an
error, with the server's message (an unknown model or version changes nothing).
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path

import httpx

from retail.admin_token import read_admin_token


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--token-file", type=Path, default=None)
    parser.add_argument("--actor", default=getpass.getuser(), help="who: recorded in the routing history")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("status")
    history = commands.add_parser("history")
    history.add_argument("model")
    history.add_argument("--limit", type=int, default=20)
    canary = commands.add_parser("canary")
    canary.add_argument("model")
    canary.add_argument("version")
    canary.add_argument("--steps", type=lambda s: [float(x) for x in s.split(",")], default=None)
    shadow = commands.add_parser("shadow")
    shadow.add_argument("model")
    shadow.add_argument("version", help="a version, or 'none' to stop shadowing")
    promote = commands.add_parser("promote")
    promote.add_argument("model")
    promote.add_argument("version", nargs="?")
    rollback = commands.add_parser("rollback")
    rollback.add_argument("model")
    for sub in (canary, shadow, promote, rollback):
        sub.add_argument("--reason", default="", help="why: recorded in the routing history")
    args = parser.parse_args(argv)

    headers = {}
    if args.command != "status":
        token = read_admin_token(args.token_file)
        if not token:
            print("no admin token: set RETAIL_ADMIN_TOKEN or pass --token-file", file=sys.stderr)
            return 1
        headers["Authorization"] = f"Bearer {token}"
    base = f"/admin/rollout/{getattr(args, 'model', '')}"
    who = {"actor": args.actor, "reason": getattr(args, "reason", "")}
    method, path, body = {
        "status": ("GET", "/v1/rollout", None),
        "history": ("GET", f"{base}/history?limit={getattr(args, 'limit', 20)}", None),
        "canary": ("POST", f"{base}/canary", who | {"version": getattr(args, "version", None), "steps": getattr(args, "steps", None)}),
        "shadow": ("POST", f"{base}/shadow", who | {"version": None if getattr(args, "version", None) == "none" else getattr(args, "version", None)}),
        "promote": ("POST", f"{base}/promote", who | {"version": getattr(args, "version", None)}),
        "rollback": ("POST", f"{base}/rollback", who),
    }[args.command]
    with httpx.Client(base_url=args.url, headers=headers, timeout=30) as client:
        response = client.request(method, path, json=body)
    try:
        payload = response.json()
    except ValueError:
        payload = {"detail": response.text}
    print(json.dumps(payload, indent=2, default=str))
    return 0 if response.is_success else 1


if __name__ == "__main__":
    sys.exit(main())
