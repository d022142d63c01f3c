#!/bin/sh
# Builds the test payload rootfs (see README.md here): busybox-static with its applet links, plus the
# static payload and escape programs. Rebuilds only when this script or a C file here changed.
# Usage: build-payload-rootfs.sh OUTPUT_DIR
set -eu
out=$1
here=$(cd "$(dirname "$0")" && pwd)
busybox=${BUSYBOX:-/bin/busybox}
stamp="$out/.built"
if [ -f "$stamp" ] && [ "$stamp" -nt "$here/payload.c" ] && [ "$stamp" -nt "$here/escape.c" ] \
  && [ "$stamp" -nt "$0" ]; then
  exit 0
fi
if ! "$busybox" --list-full >/dev/null 2>&1; then
  echo "build-payload-rootfs: $busybox is not a busybox with --list-full (install busybox-static)" >&2
  exit 1
fi
case $(file -b "$busybox" 2>/dev/null || echo static) in
  *dynamically*) echo "build-payload-rootfs: $busybox is dynamically linked (install busybox-static)" >&2; exit 1 ;;
esac

tmp="$out.tmp"
rm -rf "$tmp"
mkdir -p "$tmp/bin" "$tmp/sbin" "$tmp/usr/bin" "$tmp/usr/sbin" "$tmp/etc" "$tmp/root" \
  "$tmp/proc" "$tmp/sys" "$tmp/dev" "$tmp/tmp" "$tmp/var/tmp"
chmod 1777 "$tmp/tmp" "$tmp/var/tmp"
cp "$busybox" "$tmp/bin/busybox"
for applet in $("$busybox" --list-full); do
  [ -e "$tmp/$applet" ] || ln -s /bin/busybox "$tmp/$applet"
done
for program in payload escape; do
  gcc -std=gnu11 -static -O2 -s -Wall -Wextra -Werror -o "$tmp/bin/$program" "$here/$program.c"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$tmp/etc/passwd"
printf 'root:x:0:\ntty:x:5:\nnogroup:x:65534:\n' > "$tmp/etc/group"
printf 'payload\n' > "$tmp/etc/hostname"
touch "$tmp/.built"
rm -rf "$out"
mv "$tmp" "$out"
