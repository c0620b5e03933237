#!/usr/bin/env bash
# Install what the tests need, then run them: ./test.sh [pytest arguments], e.g. ./test.sh -x tests/test_read.py
#
# - with apt-get, only what is missing (through sudo unless run as root): Debian's Chromium (the browser
#   tests drive it through Playwright, which downloads no browser), a Java runtime (for the Nu HTML
#   checker), the Nanum fonts (Korean names on the pages), npm, Hugo (the benchmark beside Hugo) and
#   python3-venv;
# - from npm, axe-core and the Nu HTML checker (package-lock.json; its Java download script is not needed);
# - into .venv, the Python packages of requirements-dev.txt.
# With CI set, as CI services set it (and .ci/run does), whatever cannot be installed is an error; the
# tests then fail rather than skip where a tool is missing.
set -euo pipefail
cd "$(dirname "$0")"

say() { printf 'test.sh: %s\n' "$*" >&2; }

cannot() {  # an error in CI; elsewhere a warning, and the tests needing what is missing are skipped
  if [ -n "${CI:-}" ]; then
    say "error: $*"
    exit 1
  fi
  say "warning: $*; the tests that need it will be skipped"
}

has_nanum() {  # grep reads all of fc-list's output: with pipefail, `grep -q` could fail it by SIGPIPE
  fc-list : family 2>/dev/null | grep -i nanum >/dev/null ||
    dpkg-query -W -f='${Status}' fonts-nanum 2>/dev/null | grep "ok installed" >/dev/null
}

need=()
command -v chromium >/dev/null || need+=(chromium)
command -v java >/dev/null || need+=(default-jre-headless)
has_nanum || need+=(fonts-nanum)
command -v npm >/dev/null || need+=(npm)
command -v hugo >/dev/null || need+=(hugo)  # the side-by-side benchmark's test
[ -x .venv/bin/python ] || python3 -c "import ensurepip" 2>/dev/null || need+=(python3-venv)

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    as_root=()
  elif command -v sudo >/dev/null; then
    as_root=(sudo)
    [ -z "${CI:-}" ] || as_root=(sudo -n)  # no password prompt to hang on
  else
    as_root=(none)
  fi
  if ! command -v apt-get >/dev/null; then
    cannot "missing ${need[*]}, and no apt-get to install them with"
  elif [ "${as_root[*]}" = none ]; then
    cannot "missing ${need[*]}: run ./test.sh as root or with sudo installed, or install them"
  else
    say "installing ${need[*]} with ${as_root[*]:+${as_root[*]} }apt-get"
    { "${as_root[@]}" apt-get update -qq &&
      "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null; } ||
      cannot "apt-get could not install ${need[*]}"
  fi
fi

# npm ci deletes node_modules and downloads it again: skipped when it already holds the pinned versions.
if ! command -v npm >/dev/null; then
  cannot "no npm to install axe-core and the Nu HTML checker with"
elif ! npm ls --depth=0 >/dev/null 2>&1; then
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error || cannot "npm ci failed"
fi

if [ ! -x .venv/bin/python ] && ! python3 -m venv .venv; then
  say "error: could not make the virtual environment .venv (on Debian, python3-venv makes it)"
  exit 1
fi
. .venv/bin/activate
pip install --quiet --disable-pip-version-check -r requirements-dev.txt

exec python -m pytest -q "$@"
