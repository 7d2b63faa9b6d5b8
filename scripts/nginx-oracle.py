#!/usr/bin/env python3
"""Oracle for tests/nginx_oracle.rs: parse nginx files with crossplane.

Reads one path per line on stdin and prints one JSON object mapping each
path to {"status": "ok"|"failed", "errors": [...], "parsed": [...]}, where
parsed is a list of {"directive", "line", "args", "block"?}. Includes are
not followed, comments are left out, and crossplane's directive analysis
(context and argument counts) is off: only syntax is compared.
Comments met among a directive's arguments, which crossplane returns even
with comments=False, are dropped.

Exit status 3 when crossplane is not importable.
"""
import json
import sys

try:
    import crossplane
except ImportError:
    sys.stderr.write("crossplane is not importable\n")
    sys.exit(3)


def strip(block):
    out = []
    for stmt in block:
        if stmt["directive"] == "#":
            # comments found among arguments come back even with
            # comments=False
            continue
        d = {"directive": stmt["directive"], "line": stmt["line"], "args": stmt["args"]}
        if "block" in stmt:
            d["block"] = strip(stmt["block"])
        out.append(d)
    return out


def main():
    result = {}
    for path in sys.stdin.read().splitlines():
        if not path:
            continue
        try:
            payload = crossplane.parse(
                path,
                single=True,
                comments=False,
                check_ctx=False,
                check_args=False,
            )
            cfg = payload["config"][0]
            result[path] = {
                "status": cfg["status"],
                "errors": [
                    {"error": e.get("error"), "line": e.get("line")} for e in cfg["errors"]
                ],
                "parsed": strip(cfg["parsed"]),
            }
        except Exception as e:  # a crossplane crash counts as a rejection
            result[path] = {
                "status": "failed",
                "errors": [{"error": repr(e), "line": None}],
                "parsed": [],
            }
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
