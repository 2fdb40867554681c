#!/usr/bin/env bash
# Install what Cohesix needs and is missing: Debian packages (when root) and npm packages.
# Idempotent and quiet when everything is present. Usage: scripts/deps.sh [debian|npm|all]
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}

# Debian packages the suite and `make run` use (real peers, QEMU, cross compilers, browser).
DEBS=(qemu-system-x86 qemu-system-arm gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu
      9base diod busybox-static chromium zstd xz-utils cpio)

debian() {
  local missing=()
  for p in "${DEBS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "cohesix: missing Debian packages: ${missing[*]}" >&2
    echo "cohesix: run as root, or: sudo apt-get install -y ${missing[*]}" >&2
    echo "cohesix: (tests that need them will be skipped and say why)" >&2
    return 0
  fi
  echo "cohesix: installing Debian packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >&2 || true
  apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
}

npm_deps() {
  # Reinstall when package.json or the lock changed since the last install.
  if [ ! -f node_modules/.cohesix-stamp ] || [ package.json -nt node_modules/.cohesix-stamp ] \
     || { [ -f package-lock.json ] && [ package-lock.json -nt node_modules/.cohesix-stamp ]; }; then
    echo "cohesix: installing npm packages" >&2
    # onnxruntime-node's postinstall downloads CUDA bits; the CPU build ships in the package.
    export ONNXRUNTIME_NODE_INSTALL=skip ONNXRUNTIME_NODE_INSTALL_CUDA=skip
    if [ -f package-lock.json ]; then npm ci --no-audit --no-fund >&2; else npm install --no-audit --no-fund >&2; fi
    touch node_modules/.cohesix-stamp
  fi
}

case $what in
  debian) debian ;;
  npm) npm_deps ;;
  all) debian; npm_deps ;;
  *) echo "usage: $0 [debian|npm|all]" >&2; exit 2 ;;
esac
