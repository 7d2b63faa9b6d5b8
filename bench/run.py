#!/usr/bin/env python3
"""Benchmark sessionlint against its floor. One command: `python3 bench/run.py`.

Builds release, then over ../shared/corpus and over a scaled copy of it
(the corpus copied N times into a temporary folder: >= 10,000 files and
>= 50 MB) measures wall time, CPU (user+sys) and peak RSS with
/usr/bin/time (Debian package `time`) for:

  sessionlint   sessionlint check --no-config --format json DIR > /dev/null
  read floor    bench_floor read DIR: the same walk, every file sessionlint
                would read is read (bytes discarded)
  yaml floor    bench_floor yaml DIR: the same walk, a bare granit-parser
                event pass over every .yaml/.yml file

Each command runs once to warm the page cache, then REPEAT times (default 5);
the fastest wall time is kept, with its CPU and RSS. Prints a Markdown
table with ratios to the floors, then how time and memory grow from N to
2N copies, and memory against the largest file read (above sessionlint's
own RSS on an empty folder). Options: --copies N (default: enough for
10,000 files and 50 MB), --repeat N, --corpus DIR.

Last, one generated .env of 100,000 lines and one of 200,000 (entries
and comments), each measured against `cat FILE > /dev/null` in the same
run: the time ratio of the two shows whether parsing grows linearly
(close to 2). --env-only measures only these.
"""

import argparse
import os
import random
import shutil
import string
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TIME = "/usr/bin/time"


def tree_size(d):
    files = size = 0
    for dp, _, fs in os.walk(d):
        for f in fs:
            p = os.path.join(dp, f)
            if os.path.isfile(p) and not os.path.islink(p):
                files += 1
                size += os.path.getsize(p)
    return files, size


def measure(cmd, repeat):
    """Fastest of `repeat` runs: (wall s, cpu s, peak RSS KiB, stdout)."""
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    best = None
    for _ in range(repeat):
        with tempfile.NamedTemporaryFile("r") as tf:
            p = subprocess.run(
                [TIME, "-f", "%e %U %S %M", "-o", tf.name] + cmd,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
            if p.returncode not in (0, 1):
                sys.exit(f"{' '.join(cmd)}: exit {p.returncode}")
            wall, user, sys_, rss = tf.read().split()[-4:]
        r = (float(wall), float(user) + float(sys_), int(rss), p.stdout.decode()[:200])
        if best is None or r[0] < best[0]:
            best = r
    return best


def write_env(path, lines):
    with open(path, "w") as f:
        for i in range(lines):
            f.write(f"# comment {i}\n" if i % 3 == 0 else f"KEY_{i}=value-{i}\n")


def env_scaling(lint, repeat):
    """A generated .env of 100,000 and of 200,000 lines."""
    tmp = tempfile.mkdtemp(prefix="sessionlint-bench-env-")
    try:
        rows = []
        for lines in (100_000, 200_000):
            d = os.path.join(tmp, f"env-{lines}")
            os.mkdir(d)
            path = os.path.join(d, ".env")
            write_env(path, lines)
            lint_r = measure([lint, "check", "--no-config", "--format", "json", d], repeat)
            cat_r = measure(["cat", path], repeat)
            rows.append((lines, os.path.getsize(path), lint_r, cat_r))
        print()
        # (`cat` is below the 0.01 s resolution of /usr/bin/time: it shows
        # that reading the bytes is not what takes the time)
        print("| .env lines | MB | sessionlint wall s | CPU s | peak RSS MiB | µs per line | cat wall s |")
        print("|---|---|---|---|---|---|---|")
        for lines, size, (wall, cpu, rss, _), (cwall, _, _, _) in rows:
            print(f"| {lines} | {size / 1e6:.1f} | {wall:.2f} | {cpu:.2f} | {rss / 1024:.1f} | "
                  f"{wall / lines * 1e6:.1f} | {cwall:.2f} |")
        (_, _, a, _), (_, _, b, _) = rows
        print()
        print(f".env 100,000 -> 200,000 lines: wall {b[0] / max(a[0], 0.01):.2f}x, "
              f"CPU {b[1] / max(a[1], 0.01):.2f}x, peak RSS {b[2] / max(a[2], 1):.2f}x")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


DOTENV_LINTER_VERSION = "4.0.0"
DL_LIMIT = 30


def dotenv_linter():
    """dotenv-linter from crates.io, installed once into target/bench-tools."""
    root = os.path.join(ROOT, "target", "bench-tools")
    exe = os.path.join(root, "bin", "dotenv-linter")
    if not os.path.exists(exe):
        print(f"installing dotenv-linter {DOTENV_LINTER_VERSION} into {root} ...", file=sys.stderr)
        subprocess.run(
            ["cargo", "install", "-q", "--locked", "--root", root,
             "dotenv-linter", "--version", DOTENV_LINTER_VERSION],
            check=True,
        )
    return exe


def timed(cmd, repeat, limit=None):
    """Fastest of `repeat` runs, timed here (finer than /usr/bin/time's
    0.01 s): (wall s, cpu s) of the fastest, after one warm-up run. With
    `limit` (seconds), one run only, and None when it takes longer."""
    env = dict(os.environ, DOTENV_LINTER_SKIP_UPDATES="1")
    if limit is not None:
        before = os.times()
        t0 = time.perf_counter()
        try:
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, timeout=limit)
        except subprocess.TimeoutExpired:
            return None
        after = os.times()
        cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
        return (time.perf_counter() - t0, cpu)
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    best = None
    for _ in range(repeat):
        before = os.times()
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        wall = time.perf_counter() - t0
        after = os.times()
        cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
        if best is None or wall < best[0]:
            best = (wall, cpu)
    return best


def write_secrets(path, lines, weak):
    """`APP<n>_SECRET_KEY=<40 random characters>` (or a placeholder)."""
    rnd = random.Random(lines)
    alphabet = string.ascii_letters + string.digits
    with open(path, "w") as f:
        for i in range(lines):
            v = "changeme" if weak else "".join(rnd.choice(alphabet) for _ in range(40))
            f.write(f"APP{i}_SECRET_KEY={v}\n")


def startup_and_dotenv(lint, repeat):
    """One run, ratios to baselines measured in it: a one-file run against
    `true` (the cost of starting a process) and dotenv-linter; .env files
    against dotenv-linter; the 100,000-line secret files against `cat`."""
    dl = dotenv_linter()
    tmp = tempfile.mkdtemp(prefix="sessionlint-bench-startup-")
    try:
        one = os.path.join(tmp, "one", ".env")
        os.makedirs(os.path.dirname(one))
        with open(one, "w") as f:
            f.write("SESSION_SECRET=3f9c1e7a5b2d4c6e8f0a1b3c5d7e9f1a\nPORT=3000\n")
        files = [("one small .env", one)]
        fixtures = os.path.join(ROOT, "..", "shared", "corpus", "dotenv-linter-fixtures")
        if os.path.isdir(fixtures):
            files.append(("dotenv-linter's fixtures (folder)", fixtures))
        for lines, weak in ((100_000, False), (100_000, True)):
            d = os.path.join(tmp, f"secrets-{lines}-{'weak' if weak else 'random'}")
            os.mkdir(d)
            write_secrets(os.path.join(d, ".env"), lines, weak)
            files.append((f"{lines} secret lines, {'placeholder' if weak else 'random'} values", os.path.join(d, ".env")))
        n_small = max(repeat * 4, 20)
        base_true = timed(["true"], n_small)
        print()
        print(f"baseline `true`: wall {base_true[0] * 1e3:.2f} ms")
        print()
        print("| input | sessionlint wall ms | CPU ms | dotenv-linter wall ms | CPU ms | sessionlint / dotenv-linter (wall) | sessionlint / baseline |")
        print("|---|---|---|---|---|---|---|")
        for name, path in files:
            big = "secret lines" in name
            n = repeat if big else n_small
            lint_cmd = [lint, "check", "--no-config", path]
            dl_cmd = [dl, "check", "--quiet", "--plain", "--skip-updates"] + (["-r"] if os.path.isdir(path) else []) + [path]
            a = timed(lint_cmd, n)
            # (dotenv-linter takes minutes on 100,000 lines: one run, cut at DL_LIMIT s)
            b = timed(dl_cmd, n, DL_LIMIT if big else None)
            if big:
                base = timed(["cat", path], n)
                base_name = "cat"
            else:
                base, base_name = base_true, "true"
            if b is None:
                dl_cells = f"> {DL_LIMIT * 1e3:.0f} | - | < {a[0] / DL_LIMIT:.3f}"
            else:
                dl_cells = f"{b[0] * 1e3:.1f} | {b[1] * 1e3:.0f} | {a[0] / max(b[0], 1e-6):.2f}"
            print(f"| {name} | {a[0] * 1e3:.1f} | {a[1] * 1e3:.0f} | {dl_cells} | "
                  f"{a[0] / max(base[0], 1e-6):.1f}x `{base_name}` |", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpus"))
    ap.add_argument("--copies", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--env-only", action="store_true", help="only the generated .env files")
    ap.add_argument("--startup", action="store_true",
                    help="only start-up, dotenv-linter and the 100,000 secret lines")
    args = ap.parse_args()
    if args.startup:
        subprocess.run(["cargo", "build", "--release", "-q", "--bin", "sessionlint"], cwd=ROOT, check=True)
        startup_and_dotenv(os.path.join(ROOT, "target", "release", "sessionlint"), args.repeat)
        return
    if not os.path.exists(TIME):
        sys.exit("bench: /usr/bin/time is missing (apt-get install time)")
    if args.env_only:
        subprocess.run(["cargo", "build", "--release", "-q", "--bin", "sessionlint"], cwd=ROOT, check=True)
        env_scaling(os.path.join(ROOT, "target", "release", "sessionlint"), args.repeat)
        startup_and_dotenv(os.path.join(ROOT, "target", "release", "sessionlint"), args.repeat)
        return
    corpus = os.path.abspath(args.corpus)
    if not os.path.isdir(corpus):
        sys.exit(f"bench: {corpus} is absent")
    subprocess.run(
        ["cargo", "build", "--release", "-q", "--bin", "sessionlint", "--example", "bench_floor"],
        cwd=ROOT,
        check=True,
    )
    lint = os.path.join(ROOT, "target", "release", "sessionlint")
    floor = os.path.join(ROOT, "target", "release", "examples", "bench_floor")

    files, size = tree_size(corpus)
    copies = args.copies or max(-(-10_000 // files), -(-50_000_000 // size))
    tmp = tempfile.mkdtemp(prefix="sessionlint-bench-")
    try:
        scaled = os.path.join(tmp, "scaled")
        double = os.path.join(tmp, "double")
        empty = os.path.join(tmp, "empty")
        os.mkdir(empty)
        for i in range(copies):
            shutil.copytree(corpus, os.path.join(scaled, f"copy-{i}"), symlinks=True)
        for i in range(2 * copies):
            shutil.copytree(corpus, os.path.join(double, f"copy-{i}"), symlinks=True)
        sets = [("corpus", corpus), (f"corpus x{copies}", scaled)]
        print(f"machine: {os.cpu_count()} cores; {sys.platform}")
        rows = []
        for name, d in sets:
            n, b = tree_size(d)
            res = {
                "sessionlint": measure([lint, "check", "--no-config", "--format", "json", d], args.repeat),
                "read floor": measure([floor, "read", d], args.repeat),
                "yaml floor": measure([floor, "yaml", d], args.repeat),
            }
            rows.append((name, n, b, res))
            for k, v in res.items():
                if k != "sessionlint":
                    print(f"  {name} {k}: {v[3].strip()}")
        print()
        print("| tree | files | MB | command | wall s | CPU s | peak RSS MiB | wall / read floor | wall / yaml floor | CPU / yaml floor |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for name, n, b, res in rows:
            rf, yf = res["read floor"], res["yaml floor"]
            for k, (wall, cpu, rss, _) in res.items():
                print(
                    f"| {name} | {n} | {b / 1e6:.1f} | {k} | {wall:.2f} | {cpu:.2f} | {rss / 1024:.1f} | "
                    f"{wall / max(rf[0], 0.01):.1f} | {wall / max(yf[0], 0.01):.1f} | {cpu / max(yf[1], 0.01):.1f} |"
                )

        # growth: twice the copies
        lint_n = rows[1][3]["sessionlint"]
        lint_2n = measure([lint, "check", "--no-config", "--format", "json", double], args.repeat)
        base = measure([lint, "check", "--no-config", "--format", "json", empty], args.repeat)
        print()
        print(f"growth x{copies} -> x{2 * copies}: wall {lint_2n[0] / max(lint_n[0], 0.01):.2f}x, "
              f"CPU {lint_2n[1] / max(lint_n[1], 0.01):.2f}x, peak RSS {lint_2n[2] / max(lint_n[2], 1):.2f}x "
              f"({lint_n[2] / 1024:.1f} -> {lint_2n[2] / 1024:.1f} MiB)")
        read_line = rows[1][3]["read floor"][3]
        largest = int(read_line.split("largest file ")[1].split()[0])
        read_bytes = int(read_line.split(" files, ")[1].split()[0])
        above = max(lint_n[2] - base[2], 0) * 1024
        print(f"memory x{copies}: {lint_n[2] / 1024:.1f} MiB peak, {base[2] / 1024:.1f} MiB on an empty folder; "
              f"the {above / 2**20:.1f} MiB above it is {above / max(largest, 1):.0f}x the largest file read "
              f"({largest / 1024:.0f} KiB) and {above / max(read_bytes, 1):.2f}x the {read_bytes / 2**20:.1f} MiB read")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    env_scaling(lint, args.repeat)
    startup_and_dotenv(lint, args.repeat)


if __name__ == "__main__":
    main()
