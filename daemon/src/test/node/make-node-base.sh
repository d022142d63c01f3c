#!/usr/bin/env bash
# Builds a node base image rootfs for builds from source (named test/actor-node:20 by the tests): the runtime's
# payload rootfs (busybox: /bin/sh, env), this host's node with the shared libraries it links, the host's npm,
# and at /npm-cache a copy of the host's npm cache, where install.sh's `npm ci` left the pinned packages'
# tarballs, so a Dockerfile's `npm ci --offline --cache /npm-cache` reaches no registry. Nothing is downloaded.
#
#   make-node-base.sh PAYLOAD_ROOTFS OUT_DIR
set -euo pipefail
payload=${1:?usage: make-node-base.sh PAYLOAD_ROOTFS OUT_DIR}
out=${2:?usage: make-node-base.sh PAYLOAD_ROOTFS OUT_DIR}
cache="${npm_config_cache:-$HOME/.npm}/_cacache"
[ -d "$cache" ] || { echo "no npm cache at $cache (run install.sh first)" >&2; exit 3; }
node=$(readlink -f "$(command -v node)")
npm=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
tmp="$out.partial"
rm -rf "$tmp"
cp -a "$payload" "$tmp"
mkdir -p "$tmp/usr/bin" "$tmp/usr/lib/node_modules" "$tmp/npm-cache" "$tmp/root"
cp "$node" "$tmp/usr/bin/node"
ldd "$node" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | while read -r lib; do
  mkdir -p "$tmp$(dirname "$lib")"
  cp -L "$lib" "$tmp$lib"
done
cp -a "$npm" "$tmp/usr/lib/node_modules/npm"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$tmp/usr/bin/npm"
cp -a "$cache" "$tmp/npm-cache/_cacache"
rm -rf "$out"
mv "$tmp" "$out"
