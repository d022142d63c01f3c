#!/usr/bin/env bash
# Makes the hello actor's rootfs in DEST: a static busybox (Debian's busybox-static), the shell tools
# hello.sh uses, the directories a container needs, and hello.sh itself.
set -euo pipefail
dest=${1:?usage: make-rootfs.sh DEST}
here=$(cd "$(dirname "$0")" && pwd)
busybox=/bin/busybox
# A dynamically linked busybox would need its libraries in the rootfs; ldd fails on a static one.
if [ ! -x "$busybox" ] || ldd "$busybox" >/dev/null 2>&1; then
  echo "make-rootfs: $busybox is missing or not static; install busybox-static" >&2
  exit 1
fi
rm -rf "$dest"
mkdir -p "$dest"/{bin,dev,etc,proc,sys,tmp,root,actord/kv}
chmod 1777 "$dest/tmp"
cp "$busybox" "$dest/bin/busybox"
for tool in sh echo cat sed head printf ls sleep env; do
  ln -s busybox "$dest/bin/$tool"
done
install -m 0755 "$here/hello.sh" "$dest/hello.sh"
