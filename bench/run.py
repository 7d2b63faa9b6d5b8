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
import shutil
import subprocess
import sys
import tempfile

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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpus"))
    ap.add_argument("--copies", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--env-only", action="store_true", help="only the generated .env files")
    args = ap.parse_args()
    if not os.path.exists(TIME):
        sys.exit("bench: /usr/bin/time is missing (apt-get install time)")
    if args.env_only:
        subprocess.run(["cargo", "build", "--release", "-q", "--bin", "sessionlint"], cwd=ROOT, check=True)
        env_scaling(os.path.join(ROOT, "target", "release", "sessionlint"), args.repeat)
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


if __name__ == "__main__":
    main()
