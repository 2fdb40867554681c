#!/usr/bin/env bash
# tests/v9fs/run.sh — run the Linux v9fs client against a 9P server.
#
# usage: run.sh [options] HOST:PORT
#   -V LIST   dialects, comma-separated, one connection each, tested in order
#             (default 9p2000,9p2000.L)
#   -m MSIZE  msize mount option (default 1048576)
#   -b MB     size of the large-file check (default 8)
#   -n N      files in the big-directory check (default 300)
#   -p N      concurrent jobs in the concurrency checks (default 4)
#   -t SECS   time allowed for each check inside the guest (default 120)
#   -T SECS   time allowed for the whole VM (default 600)
#   -o OPTS   extra v9fs mount options, comma-separated (e.g. cache=loose)
#   -x FILE   extra checks: after the generic checks of each dialect, every line of
#             FILE (blank and #-comment lines skipped) is run in the guest as one
#             check (sh with set -e; ok when it exits 0), on a second mount of the
#             server over a second connection. $M is that mount point, $V the
#             dialect; guest/init's eq, bad and fails_with may be used
#   -X OPTS   mount options of the -x mount (default: those of -o; -X '' for none)
#   -G        skip the generic checks (with -x: run only FILE's)
#   -l FILE   where to keep the console log
#             (default $COHESIX_CACHE/v9fs/last-console.log)
#   -v        echo the whole console (kernel messages included), not just results
#
# HOST must be loopback (127.x.x.x, localhost or ::1): QEMU opens one TCP
# connection per dialect at start-up (two with -x) and the guest gets each as a
# virtio-serial port (see guest/init). The guest has no network of its own.
#
# Exit: 0 every check passed (and at least one ran), 1 some check failed,
#       2 harness error (bad arguments, setup, QEMU or the guest did not start).
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${COHESIX_CACHE:-$HOME/.cache/cohesix}/v9fs

dialects=9p2000,9p2000.L msize=1048576 big=8 nfiles=300 npar=4
step=120 vm_timeout=600 opts= log= verbose=0
extra= xopts= xopts_set=0 generic=1

usage() { sed -n '3,30p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
err() { echo "v9fs-run: $*" >&2; }
num() { [[ "$2" =~ ^[1-9][0-9]*$ ]] || { err "-$1 wants a positive integer, got '$2'"; exit 2; }; }

while getopts "V:m:b:n:p:t:T:o:x:X:Gl:vh" opt; do
  case $opt in
    V) dialects=$OPTARG ;;
    m) num m "$OPTARG"; msize=$OPTARG ;;
    b) num b "$OPTARG"; big=$OPTARG ;;
    n) num n "$OPTARG"; nfiles=$OPTARG ;;
    p) num p "$OPTARG"; npar=$OPTARG ;;
    t) num t "$OPTARG"; step=$OPTARG ;;
    T) num T "$OPTARG"; vm_timeout=$OPTARG ;;
    o) opts=$OPTARG ;;
    x) extra=$OPTARG ;;
    X) xopts=$OPTARG; xopts_set=1 ;;
    G) generic=0 ;;
    l) log=$OPTARG ;;
    v) verbose=1 ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || usage
target=$1

# ------------------------------------------------------------------ arguments
for d in ${dialects//,/ }; do
  case $d in
    9p2000|9p2000.L|9p2000.u) ;;
    *) err "unknown dialect '$d' (use 9p2000, 9p2000.L or 9p2000.u)"; exit 2 ;;
  esac
done
[ -n "${dialects//,/}" ] || { err "no dialects given"; exit 2; }
dups=$(tr ',' '\n' <<< "$dialects" | sed '/^$/d' | sort | uniq -d)
[ -z "$dups" ] || { err "dialect listed twice: $dups"; exit 2; }
[[ "$opts" =~ ^[A-Za-z0-9_=.,:/-]*$ ]] || { err "-o must not contain spaces or shell characters"; exit 2; }
[ "$big" -le 256 ] || { err "-b is limited to 256 MB (guest tmpfs)"; exit 2; }
[ $xopts_set = 1 ] || xopts=$opts
[[ "$xopts" =~ ^[A-Za-z0-9_=.,:/-]*$ ]] || { err "-X must not contain spaces or shell characters"; exit 2; }
if [ -n "$extra" ]; then
  [ -f "$extra" ] && [ -r "$extra" ] || { err "-x: cannot read '$extra'"; exit 2; }
  grep -qv -e '^[[:space:]]*$' -e '^[[:space:]]*#' "$extra" || { err "-x: no check lines in '$extra'"; exit 2; }
elif [ $generic = 0 ]; then
  err "-G without -x leaves nothing to check"; exit 2
elif [ $xopts_set = 1 ]; then
  err "-X without -x"; exit 2
fi

host=${target%:*} port=${target##*:}
[ "$host" != "$target" ] || { err "target must be HOST:PORT, got '$target'"; exit 2; }
host=${host#[}; host=${host%]}
[[ "$port" =~ ^[0-9]+$ ]] && [ "$port" -ge 1 ] && [ "$port" -le 65535 ] \
  || { err "bad port '$port'"; exit 2; }
case $host in
  localhost) host=127.0.0.1 ;;
  127.*) [[ "$host" =~ ^127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$ ]] || { err "bad address '$host'"; exit 2; } ;;
  ::1) ;;
  *) err "refusing non-loopback server address '$host' (only 127.0.0.0/8, localhost and ::1)"; exit 2 ;;
esac
sockaddr="host=$host,port=$port,nodelay=on"
[ "$host" = ::1 ] && sockaddr="$sockaddr,ipv6=on"

# ------------------------------------------------------------------ setup
if [ ! -f "$cache/initramfs.cpio" ] || [ ! -f "$cache/kernel/ready" ] \
   || [ "$here/guest/init" -nt "$cache/initramfs.cpio" ] || [ "$here/setup.sh" -nt "$cache/initramfs.cpio" ]; then
  "$here/setup.sh" || { rc=$?; err "setup.sh failed (exit $rc)"; exit 2; }
fi
command -v qemu-system-x86_64 >/dev/null || { err "qemu-system-x86_64 not found; run tests/v9fs/setup.sh"; exit 2; }

[ -n "$log" ] || log=$cache/last-console.log
mkdir -p "$(dirname "$log")"
: > "$log" || { err "cannot write $log"; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cohesix-v9fs.XXXXXX")
qpid= dogpid=
cleanup() {
  [ -n "$dogpid" ] && kill "$dogpid" 2>/dev/null
  if [ -n "$qpid" ] && kill -0 "$qpid" 2>/dev/null; then
    kill -TERM "$qpid" 2>/dev/null; sleep 0.5; kill -KILL "$qpid" 2>/dev/null
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'err "interrupted"; exit 2' INT TERM HUP

# ------------------------------------------------------------------ QEMU
cmdline="console=ttyS0 quiet loglevel=3 panic=-1 oops=panic"
cmdline+=" V9T_DIALECTS=$dialects V9T_MSIZE=$msize V9T_BIG_MB=$big V9T_NFILES=$nfiles"
cmdline+=" V9T_NPAR=$npar V9T_STEP_TIMEOUT=$step V9T_RUN=$(date +%s)-$$ V9T_GENERIC=$generic"
[ -n "$opts" ] && cmdline+=" V9T_OPTS=$opts"
[ -n "$extra" ] && cmdline+=" V9T_EXTRA=1"
[ -n "$extra" ] && [ -n "$xopts" ] && cmdline+=" V9T_XOPTS=$xopts"

# -x: FILE reaches the guest as /etc/v9fs-extra, in a second cpio archive after the
# base initramfs (the kernel unpacks concatenated archives in order).
initrd=$cache/initramfs.cpio
if [ -n "$extra" ]; then
  mkdir -p "$tmp/xroot/etc"
  tr -d '\r' < "$extra" > "$tmp/xroot/etc/v9fs-extra"
  (cd "$tmp/xroot" && printf '%s\n' etc etc/v9fs-extra | "$cache/busybox" cpio -o -H newc 2>/dev/null) > "$tmp/extra.cpio" \
    || { err "cannot build the cpio archive for -x"; exit 2; }
  cp "$cache/initramfs.cpio" "$tmp/initrd.cpio"
  # each archive must start on a 4-byte boundary; pad the first to 512 with zeros
  truncate -s $(( ($(stat -c %s "$tmp/initrd.cpio") + 511) / 512 * 512 )) "$tmp/initrd.cpio"
  cat "$tmp/extra.cpio" >> "$tmp/initrd.cpio"
  initrd=$tmp/initrd.cpio
fi

qemu_args=(
  -nodefaults -no-user-config -machine q35 -accel tcg,thread=multi -cpu max -smp 2 -m 768
  -display none -no-reboot -net none
  -kernel "$cache/kernel/vmlinuz" -initrd "$initrd" -append "$cmdline"
  -chardev stdio,id=console,signal=off -serial chardev:console
  -device virtio-serial-pci,id=v9fsbus
)
i=0
for d in ${dialects//,/ }; do
  if [ $generic = 1 ]; then
    qemu_args+=(-chardev "socket,id=ninep$i,$sockaddr"
                -device "virtserialport,bus=v9fsbus.0,chardev=ninep$i,name=cohesix.$d")
  fi
  if [ -n "$extra" ]; then               # the -x checks' own connection
    qemu_args+=(-chardev "socket,id=ninepx$i,$sockaddr"
                -device "virtserialport,bus=v9fsbus.0,chardev=ninepx$i,name=cohesix-x.$d")
  fi
  i=$((i + 1))
done

mkfifo "$tmp/console"
started=$(date +%s.%N)
qemu-system-x86_64 "${qemu_args[@]}" < /dev/null > "$tmp/console" 2> "$tmp/qemu.err" &
qpid=$!
(
  trap 'kill $nap 2>/dev/null; exit 0' TERM
  sleep "$vm_timeout" & nap=$!; wait $nap
  : > "$tmp/timed-out"; kill -TERM "$qpid" 2>/dev/null; sleep 3; kill -KILL "$qpid" 2>/dev/null
) > /dev/null 2>&1 < /dev/null &
dogpid=$!

# Stream the console: keep all of it in $log, show results as they come.
while IFS= read -r line; do
  line=${line%$'\r'}
  printf '%s\n' "$line" >> "$log"
  if [ $verbose = 1 ]; then
    printf '%s\n' "$line"
  else
    case $line in
      "ok "*|"not ok "*|"#"*|V9FS-*) printf '%s\n' "$line" ;;
    esac
  fi
done < "$tmp/console"
wait "$qpid"; qrc=$?
qpid=
kill "$dogpid" 2>/dev/null; dogpid=
elapsed=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')

# ------------------------------------------------------------------ verdict
passed=$(grep -c '^ok ' "$log")
failed=$(grep -c '^not ok ' "$log")
if [ -s "$tmp/qemu.err" ]; then sed 's/^/qemu: /' "$tmp/qemu.err" >&2; fi

echo "----"
grep '^V9FS-DIALECT ' "$log" | sed 's/^V9FS-DIALECT /v9fs: /'
if ! grep -q '^V9FS-DONE ' "$log"; then
  if [ -e "$tmp/timed-out" ]; then why="VM killed after ${vm_timeout}s (-T)"
  elif ! grep -q '^V9FS-BOOT ' "$log"; then why="guest never started (QEMU exit $qrc; is the server listening on $host:$port?)"
  else why="guest stopped before finishing (QEMU exit $qrc)"; fi
  err "$why; console log: $log"
  echo "v9fs: target=$target dialects=$dialects msize=$msize passed=$passed failed=$failed INCOMPLETE elapsed=${elapsed}s"
  if [ "$passed" -gt 0 ] || [ "$failed" -gt 0 ]; then
    echo "not ok - suite did not finish: $why"
    exit 1
  fi
  exit 2
fi
echo "v9fs: target=$target dialects=$dialects msize=$msize passed=$passed failed=$failed elapsed=${elapsed}s"
echo "v9fs: console log: $log"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ] && exit 0
exit 1
