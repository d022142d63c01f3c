#!/usr/bin/env bash
# Builds a rootfs directory for actors written with the apify SDK: this host's node binary with the shared
# libraries it links (as ldd lists them, and the dynamic loader), the pinned node_modules installed by
# install.sh and the actor scripts, all under /app. Nothing is downloaded.
#
#   make-rootfs.sh WORK_DIR ROOTFS_DIR    (WORK_DIR: where install.sh put node_modules)
set -euo pipefail
work=$(cd "${1:?usage: make-rootfs.sh WORK_DIR ROOTFS_DIR}" && pwd)
rootfs=${2:?usage: make-rootfs.sh WORK_DIR ROOTFS_DIR}
stamp="$rootfs/.actord-rootfs"
want="$(cat "$work/package-lock.json" "$work"/*.mjs | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
node=$(readlink -f "$(command -v node)")
tmp="$rootfs.partial"
rm -rf "$tmp"
mkdir -p "$tmp"/{usr/bin,app,tmp,etc,root,dev,proc,sys}
chmod 1777 "$tmp/tmp"
cp "$node" "$tmp/usr/bin/node"
# Libraries and the loader, at the paths the binary asks for (ldd: "name => /path (addr)" or "/path (addr)").
ldd "$node" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | while read -r lib; do
  mkdir -p "$tmp$(dirname "$lib")"
  cp -L "$lib" "$tmp$lib"
done
cp -a "$work/node_modules" "$work/package.json" "$tmp/app/"
cp "$work"/*.mjs "$tmp/app/"
printf '127.0.0.1 localhost\n::1 localhost\n' > "$tmp/etc/hosts"
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$tmp/etc/passwd"
printf 'root:x:0:\n' > "$tmp/etc/group"
echo "$want" > "$tmp/.actord-rootfs"
rm -rf "$rootfs"
mv "$tmp" "$rootfs"
