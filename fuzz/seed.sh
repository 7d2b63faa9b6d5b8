#!/usr/bin/env bash
# Seed fuzz/corpus/<target> from fixtures/, rules/, docs/ and (when present)
# ../shared/corpus. Idempotent; files are named by content hash.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
shared="$root/../shared/corpus"
sources=("$root/fixtures")
if [ -d "$shared" ]; then sources+=("$shared"); else echo "seed.sh: $shared absent, seeding from fixtures only" >&2; fi

put() { # target file
  local t=$1 f=$2
  [ -f "$f" ] || return 0
  [ "$(stat -c %s "$f")" -le 65536 ] || return 0
  mkdir -p "$here/corpus/$t"
  cp "$f" "$here/corpus/$t/$(sha1sum "$f" | cut -c1-16)"
}

while IFS= read -r -d '' f; do
  name="$(basename "$f")"; lower="${name,,}"; dir="${f,,}"
  case "$lower" in
    .env|.env.*|*.env|*.env.example) put dotenv "$f" ;;
  esac
  case "$lower" in
    *.yaml|*.yml)
      put yaml "$f"
      case "$lower" in compose*|docker-compose*) put compose "$f" ;; esac
      grep -q '^services:' "$f" 2>/dev/null && put compose "$f"
      grep -q '^apiVersion:' "$f" 2>/dev/null && put kubernetes "$f"
      ;;
  esac
  case "$lower" in
    *.conf|*.conf.template|*.nginx|*.inc)
      case "$dir" in *nginx*) put nginx "$f" ;; esac
      grep -qE '^\s*(server|http|location|upstream) .*\{' "$f" 2>/dev/null && put nginx "$f"
      ;;
  esac
  case "$lower" in redis*.conf) put redis_conf "$f" ;; esac
  case "$lower" in *.ini|*.cfg|www.conf) put ini "$f" ;; esac
  case "$lower" in *.properties) put properties "$f" ;; esac
  case "$lower" in .sessionlint.toml|*.toml) put config_toml "$f" ;; esac
  case "$lower" in *.sh|*.bash|makefile) put shell "$f" ;; esac
  case "$lower" in *.md|*.markdown) put markdown "$f" ;; esac
  case "$lower" in *.tmpl|*.gtpl|*.j2|*.jinja|*.jinja2|*.conf.template) put template "$f" ;; esac
done < <(find "${sources[@]}" -type f -print0)

# the documentation's own Markdown (code blocks of every kind)
while IFS= read -r -d '' f; do put markdown "$f"; done < <(find "$root/docs" "$root/README.md" -name '*.md' -print0)

# shell: the sh/bash/console code blocks of Markdown files, one seed per block
mkdir -p "$here/corpus/shell"
while IFS= read -r -d '' f; do
  awk -v out="$here/corpus/shell/md-$(sha1sum "$f" | cut -c1-12)" '
    /^ *```(sh|bash|shell|console)/ { n++; on = 1; next }
    /^ *```/ { on = 0; next }
    on { print > (out "-" n) }' "$f"
done < <(find "${sources[@]}" "$root/docs" -name '*.md' -print0)

# template: nginx configuration reads the same, with actions added
for f in "$here"/corpus/nginx/*; do
  [ -f "$f" ] || continue
  put template "$f"
  sed -E 's/(server_name|proxy_pass|listen) ([^;]*);/\1 {{ .\1 }};/' "$f" > "$here/corpus/template/act-$(basename "$f")"
done

# rule files: the builtin app profiles and checks
while IFS= read -r -d '' f; do put rules_yaml "$f"; done < <(find "$root/rules" -name '*.yaml' -print0)

# the configuration example from the documentation
mkdir -p "$here/corpus/config_toml"
sed -n '/^```toml/,/^```/p' "$root/docs/configuration.md" | sed '1d;$d' > "$here/corpus/config_toml/docs-example"
printf 'max-file-size = 100\n[rules]\nweak-secret = "off"\n' > "$here/corpus/config_toml/small"

# pipeline: a compose file and the .env beside it, NUL-separated as the
# target splits them (compose, .env, .env.example, k8s, values, nginx, ini, redis, properties)
mkdir -p "$here/corpus/pipeline"
n=0
while IFS= read -r -d '' c; do
  d="$(dirname "$c")"
  [ -f "$d/.env" ] || [ -f "$d/.env.example" ] || continue
  out="$here/corpus/pipeline/repo-$n"
  { cat "$c"; printf '\0'; cat "$d/.env" 2>/dev/null || true; printf '\0'; cat "$d/.env.example" 2>/dev/null || true; } > "$out"
  [ "$(stat -c %s "$out")" -le 65536 ] || rm -f "$out"
  n=$((n + 1))
done < <(find "${sources[@]}" -type f \( -name 'docker-compose*.y*ml' -o -name 'compose*.y*ml' \) -print0)

for t in "$here"/corpus/*; do echo "$(basename "$t"): $(ls "$t" | wc -l) seeds"; done
