#!/usr/bin/env bash
# tests/v9fs/setup.sh — prepare the Linux-v9fs conformance suite (idempotent).
#
# Everything lives under  ${COHESIX_CACHE:-$HOME/.cache/cohesix}/v9fs :
#   pkgs/        the .deb files, fetched with `apt-get download` (never installed)
#   kernel/      vmlinuz + the handful of modules the guest loads, from linux-image
#   busybox      the static busybox binary, from busybox-static
#   initramfs.cpio   base initramfs (busybox + modules + guest/init)
#   vmlinuz      symlink to the kernel image
#
# Host requirement: qemu-system-x86_64. If it is missing it is installed with
# apt-get when running as root; otherwise this script explains and exits 2.
#
# Environment:
#   COHESIX_CACHE            cache root (default ~/.cache/cohesix)
#   COHESIX_V9FS_KERNEL_PKG  kernel package to use (default: what linux-image-amd64 depends on)
#
# Exit: 0 ready, 1 download/extraction failed, 2 host prerequisites missing.
set -euo pipefail
trap 'echo "v9fs-setup: failed (line $LINENO: $BASH_COMMAND)" >&2' ERR

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${COHESIX_CACHE:-$HOME/.cache/cohesix}/v9fs
log() { printf 'v9fs-setup: %s\n' "$*" >&2; }
die() { log "$2"; exit "$1"; }

# The guest needs these (plus whatever they depend on, resolved from modules.dep).
wanted_modules="virtio_pci virtio_console 9pnet_fd 9p"

# ---------------------------------------------------------------- host tools
if ! command -v qemu-system-x86_64 >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    die 2 "qemu-system-x86_64 is not installed and we are not root, so it cannot be installed here.
  Install it once with:  sudo apt-get install --no-install-recommends qemu-system-x86"
  fi
  command -v apt-get >/dev/null 2>&1 || die 2 "qemu-system-x86_64 missing and apt-get not available"
  log "installing qemu-system-x86 (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends qemu-system-x86 >&2 \
    || { apt-get update -q >&2 && apt-get install -y -q --no-install-recommends qemu-system-x86 >&2; } \
    || die 2 "apt-get could not install qemu-system-x86"
fi
for t in apt-get apt-cache dpkg-deb tar; do
  command -v "$t" >/dev/null 2>&1 || die 2 "required host tool '$t' not found (this suite needs a Debian-like host)"
done

mkdir -p "$cache/pkgs"
cd "$cache"

# fetch PKG: make sure exactly one pkgs/PKG_*.deb is present; print its path.
fetch() {
  local pkg=$1 f
  f=$(ls "pkgs/${pkg}"_*.deb 2>/dev/null | head -n1 || true)
  if [ -z "$f" ]; then
    log "apt-get download $pkg"
    (cd pkgs && apt-get download -q -o APT::Sandbox::User=root "$pkg" >&2) \
      || { [ "$(id -u)" -eq 0 ] && apt-get update -q >&2 && (cd pkgs && apt-get download -q -o APT::Sandbox::User=root "$pkg" >&2); } \
      || die 1 "apt-get download $pkg failed"
    f=$(ls "pkgs/${pkg}"_*.deb | head -n1)
  fi
  printf '%s\n' "$f"
}

# ---------------------------------------------------------------- busybox
if [ ! -x busybox ]; then
  deb=$(fetch busybox-static)
  tmp=$(mktemp -d "$cache/.bb.XXXXXX")
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" ./bin/busybox
  mv "$tmp/bin/busybox" busybox.new && rm -rf "$tmp" && mv busybox.new busybox
fi
bb=$cache/busybox

# ---------------------------------------------------------------- kernel
if [ ! -f kernel/ready ]; then
  kpkg=${COHESIX_V9FS_KERNEL_PKG:-}
  if [ -z "$kpkg" ]; then
    kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\).*/\1/p' | sed -n 1p)
  fi
  [ -n "$kpkg" ] || die 1 "cannot tell which kernel linux-image-amd64 points to (is apt-get update done?)"
  deb=$(fetch "$kpkg")
  rm -rf kernel kernel.tmp && mkdir -p kernel.tmp/mods
  # The .deb has no modules.dep (depmod runs at install time), so resolve
  # dependencies ourselves from each module's .modinfo "depends=" string,
  # extracting only the module files actually needed.
  declare -A where=() deps=() seen=()
  dpkg-deb --fsys-tarfile "$deb" | tar -t > kernel.tmp/members
  while read -r member; do
    n=${member##*/}; n=${n%%.ko*}; where[${n//-/_}]=$member
  done < <(grep -E '^\./lib/modules/[^/]+/kernel/.*\.ko(\.(xz|zst|gz))?$' kernel.tmp/members)
  kver=$(sed -n 's|^\./boot/vmlinuz-||p' kernel.tmp/members | sed -n 1p)
  [ -n "$kver" ] || die 1 "no ./boot/vmlinuz-* in $deb"
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C kernel.tmp "./boot/vmlinuz-$kver"
  todo=$wanted_modules
  while [ -n "${todo// /}" ]; do
    batch=() names=()
    for n in $todo; do
      [ -n "${seen[$n]:-}" ] && continue
      seen[$n]=1
      [ -n "${where[$n]:-}" ] || die 1 "module $n not in $deb (built into the kernel? check its config)"
      batch+=("${where[$n]}") names+=("$n")
    done
    [ ${#batch[@]} -gt 0 ] || break
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C kernel.tmp "${batch[@]}"
    todo=
    for n in "${names[@]}"; do
      src=kernel.tmp/${where[$n]}
      case "$src" in
        *.xz)  xz -dc "$src" > "kernel.tmp/mods/$n.ko" 2>/dev/null || "$bb" unxz -c "$src" > "kernel.tmp/mods/$n.ko" ;;
        *.zst) command -v zstd >/dev/null || die 1 "modules are zstd-compressed; install zstd"
               zstd -qdc "$src" > "kernel.tmp/mods/$n.ko" ;;
        *.gz)  gzip -dc "$src" > "kernel.tmp/mods/$n.ko" ;;
        *)     cp "$src" "kernel.tmp/mods/$n.ko" ;;
      esac
      d=$(tr '\0' '\n' < "kernel.tmp/mods/$n.ko" | sed -n 's/^depends=//p' | tr ',' ' ')
      d=${d//-/_}
      deps[$n]=$d
      todo="$todo $d"
    done
  done
  # load order: dependencies first
  declare -A placed=()
  order=()
  place() {
    local m=$1 x
    [ -n "${placed[$m]:-}" ] && return
    placed[$m]=1
    for x in ${deps[$m]}; do place "$x"; done
    order+=("$m")
  }
  for n in $wanted_modules; do place "$n"; done
  printf '%s\n' "${order[@]}" > kernel.tmp/modules.load
  mv kernel.tmp/boot/vmlinuz-"$kver" kernel.tmp/vmlinuz
  echo "$kver" > kernel.tmp/release
  rm -rf kernel.tmp/boot kernel.tmp/lib kernel.tmp/members
  touch kernel.tmp/ready
  mv kernel.tmp kernel
fi
ln -sfn kernel/vmlinuz vmlinuz

# ---------------------------------------------------------------- initramfs
# Rebuilt when guest/init or this script is newer than it (cheap: ~2 MB).
if [ ! -f initramfs.cpio ] || [ "$here/guest/init" -nt initramfs.cpio ] \
   || [ "${BASH_SOURCE[0]}" -nt initramfs.cpio ] || [ kernel/ready -nt initramfs.cpio ]; then
  root=$(mktemp -d "$cache/.root.XXXXXX")
  trap 'rm -rf "$root"' EXIT
  mkdir -p "$root"/bin "$root"/dev "$root"/proc "$root"/sys "$root"/tmp "$root"/mnt "$root"/etc "$root"/lib/v9fs
  cp "$bb" "$root/bin/busybox"
  ln -s busybox "$root/bin/sh"           # the rest of the applets are linked by init at boot
  cp kernel/mods/*.ko "$root/lib/v9fs/"
  cp kernel/modules.load "$root/etc/v9fs-modules"
  install -m 0755 "$here/guest/init" "$root/init"
  (cd "$root" && find . -mindepth 1 | LC_ALL=C sort | "$bb" cpio -o -H newc 2>/dev/null) > initramfs.cpio.new
  mv initramfs.cpio.new initramfs.cpio
fi

log "ready: kernel $(cat kernel/release), modules: $(tr '\n' ' ' < kernel/modules.load)"
log "cache: $cache ($(du -sh "$cache" | cut -f1))"
