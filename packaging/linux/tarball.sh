#!/bin/sh
# tarball.sh CLI DESKTOP OUT.tar.xz — the Linux .tar.xz of `fyne package
# -os linux` around the desktop program (its binary, .desktop entry, icon,
# and a Makefile that installs them under /usr/local), from already built
# binaries, with the command line added beside it: usr/local/bin holds
# both, and the Makefile's install, uninstall, user-install and
# user-uninstall carry both (the command line starts the desktop program
# from its own folder). fyne rewrites the FyneApp.toml it reads (Build +
# 1), so it works on a copy.
set -eu
usage="usage: tarball.sh CLI DESKTOP OUT.tar.xz"
cli=${1:?$usage}
desktop=${2:?$usage}
out=${3:?$usage}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
. "$REPO/packaging/meta.sh"
fyne=${FYNE:-$REPO/bin/tools/fyne}
case "$out" in /*) ;; *) out="$(pwd)/$out" ;; esac

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/src" "$tmp/out" "$tmp/tree"
cp "$REPO/FyneApp.toml" "$tmp/src/"
mkdir -p "$tmp/src/assets" && cp "$REPO/assets/icon-512.png" "$tmp/src/assets/"
cp "$desktop" "$tmp/src/$APP_DESKTOP_BIN"
# fyne wants Go code in --src even when --exe names the binary it packages.
printf 'package main\n\nfunc main() {}\n' >"$tmp/src/main.go"
(cd "$tmp/out" && "$fyne" package -os linux --release --src "$tmp/src" --exe "$tmp/src/$APP_DESKTOP_BIN" \
	--name "$APP_NAME" --app-id "$APP_ID" --app-version "$APP_VERSION" --app-build "$APP_BUILD" \
	--icon "$tmp/src/assets/icon-512.png")
set -- "$tmp"/out/*.tar.xz
[ -f "$1" ] || { echo "tarball.sh: fyne package made no .tar.xz" >&2; exit 1; }

# The command line beside the desktop program, and in the Makefile a copy
# of each line that installs or removes bin/$(Exec), for the command line.
# fyne's one top folder is named after the program it packaged; the
# tarball's is the package's name, advologix-connect/, as before.
tar -xJf "$1" -C "$tmp/tree"
top="$tmp/tree/$APP_DESKTOP_BIN"
[ -f "$top/usr/local/bin/$APP_DESKTOP_BIN" ] && [ -f "$top/Makefile" ] ||
	{ echo "tarball.sh: fyne's tarball has no $APP_DESKTOP_BIN/usr/local/bin/$APP_DESKTOP_BIN or Makefile" >&2; exit 1; }
install -m 0755 "$cli" "$top/usr/local/bin/$APP_BIN"
sed -i -e "/bin\/\$(Exec)\$/{p;s/\$(Exec)/$APP_BIN/g}" "$top/Makefile"
[ "$(grep -c "bin/$APP_BIN\$" "$top/Makefile")" = 4 ] ||
	{ echo "tarball.sh: fyne's Makefile changed: the command line is not in its four targets" >&2; exit 1; }
mv "$top" "$tmp/tree/$APP_BIN"
(cd "$tmp/tree" && tar -cJf "$out.tmp" --owner=0 --group=0 "$APP_BIN")
mv -f "$out.tmp" "$out"
