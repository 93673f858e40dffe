#!/usr/bin/env bash
# Sets up rsmlab on a fresh Debian machine: the system packages the grader needs, then the npm
# dependencies. Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages and a file each one provides, to tell whether it is already installed.
PACKAGES=(
  "faketime:/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1"   # per-process clock skew
)

missing=()
for entry in "${PACKAGES[@]}"; do
  package="${entry%%:*}"
  marker="${entry#*:}"
  if [ ! -e "$marker" ] && ! dpkg -s "$package" >/dev/null 2>&1; then missing+=("$package"); fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
    echo "setup: need root (or sudo) to install ${missing[*]}; ask your administrator" >&2; exit 3
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  echo "setup: rsmlab needs Node.js 20 or newer (found $(node --version))" >&2; exit 3
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi
echo "setup: done"
