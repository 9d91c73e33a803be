#!/bin/sh
# tarball.sh BIN OUT.tar.xz — the Linux .tar.xz of `fyne package -os linux`
# (binary, .desktop entry, icon, and a Makefile that installs them under
# /usr/local), from an already built binary. fyne rewrites the FyneApp.toml
# it reads (Build + 1), so it works on a copy.
set -eu
bin=${1:?usage: tarball.sh BIN OUT.tar.xz}
out=${2:?usage: tarball.sh BIN OUT.tar.xz}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
. "$REPO/packaging/meta.sh"
fyne=${FYNE:-$REPO/bin/tools/fyne}
case "$bin" in /*) ;; *) bin="$(pwd)/$bin" ;; esac
case "$out" in /*) ;; *) out="$(pwd)/$out" ;; esac

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/src" "$tmp/out"
cp "$REPO/FyneApp.toml" "$tmp/src/"
mkdir -p "$tmp/src/assets" && cp "$REPO/assets/icon-512.png" "$tmp/src/assets/"
cp "$bin" "$tmp/src/$APP_BIN"
# fyne wants Go code in --src even when --exe names the binary it packages.
printf 'package main\n\nfunc main() {}\n' >"$tmp/src/main.go"
(cd "$tmp/out" && "$fyne" package -os linux --release --src "$tmp/src" --exe "$tmp/src/$APP_BIN" \
	--name "$APP_NAME" --app-id "$APP_ID" --app-version "$APP_VERSION" --app-build "$APP_BUILD" \
	--icon "$tmp/src/assets/icon-512.png")
set -- "$tmp"/out/*.tar.xz
[ -f "$1" ] || { echo "tarball.sh: fyne package made no .tar.xz" >&2; exit 1; }
mv -f "$1" "$out"
