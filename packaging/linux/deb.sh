#!/bin/sh
# deb.sh CLI DESKTOP TARBALL OUT.deb — the Debian package: the command line
# /usr/bin/advologix-connect (static, no cgo) and the desktop program
# /usr/bin/advologix-connect-desktop beside it (the command line starts it
# from its own folder), the .desktop entry from fyne's tarball (so both
# agree; it starts the desktop program), the hicolor icons 16–512 px and
# the SVG, and Depends on the shared libraries the desktop program links
# (libc, OpenGL, X11). Built with dpkg-deb; no maintainer scripts (dpkg's
# triggers refresh the menu and icon caches).
set -eu
usage="usage: deb.sh CLI DESKTOP TARBALL OUT.deb"
cli=${1:?$usage}
desktop_bin=${2:?$usage}
tarball=${3:?$usage}
out=${4:?$usage}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
. "$REPO/packaging/meta.sh"

# The runtime libraries of the desktop program, a Fyne (GLFW, OpenGL, X11)
# binary, as Debian packages; packaging tests check the list covers every
# library it links (the command line links none).
DEPENDS="libc6 (>= 2.34), libgl1, libx11-6, libxcursor1, libxrandr2, libxinerama1, libxi6, libxxf86vm1, libxext6"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
root="$tmp/root"
mkdir -p "$root/DEBIAN" "$root/usr/bin" "$root/usr/share/applications" \
	"$root/usr/share/doc/$APP_BIN" "$root/usr/share/icons/hicolor/scalable/apps"
install -m 0755 "$cli" "$root/usr/bin/$APP_BIN"
install -m 0755 "$desktop_bin" "$root/usr/bin/$APP_DESKTOP_BIN"

mkdir "$tmp/tar" && tar -xJf "$tarball" -C "$tmp/tar"
desktop=$(find "$tmp/tar" -name '*.desktop' | head -n 1)
[ -n "$desktop" ] || { echo "deb.sh: no .desktop file in $tarball" >&2; exit 1; }
# fyne writes Exec with the bare program name (the desktop program's),
# found on PATH in /usr/bin.
install -m 0644 "$desktop" "$root/usr/share/applications/$APP_ID.desktop"

for s in 16 32 48 64 128 256 512; do
	d="$root/usr/share/icons/hicolor/${s}x$s/apps"
	mkdir -p "$d" && install -m 0644 "$REPO/assets/icon-$s.png" "$d/$APP_ID.png"
done
install -m 0644 "$REPO/assets/icon.svg" "$root/usr/share/icons/hicolor/scalable/apps/$APP_ID.svg"
printf '%s\n\nCopyright (c) %s. All rights reserved.\n' "$APP_NAME" "$APP_PUBLISHER" >"$root/usr/share/doc/$APP_BIN/copyright"
chmod 0644 "$root/usr/share/doc/$APP_BIN/copyright"

version="$APP_VERSION-$APP_BUILD"
cat >"$root/DEBIAN/control" <<CONTROL
Package: $APP_BIN
Version: $version
Architecture: amd64
Maintainer: $APP_PUBLISHER <support@advologix.com>
Installed-Size: $(du -sk "$root/usr" | cut -f1)
Depends: $DEPENDS
Recommends: libgl1-mesa-dri
Suggests: gnome-keyring
Section: utils
Priority: optional
Homepage: https://www.advologix.com
Description: $APP_NAME — Salesforce login helper for the AdvoLogix add-ins
 $APP_COMMENT.
 Tests a username, password and security token against Salesforce, says in
 plain words what is wrong, and keeps the secrets in the Secret Service
 keychain. Desktop app and tray icon (advologix-connect-desktop) and a
 command line that needs no desktop (advologix-connect help).
CONTROL
dpkg-deb --root-owner-group -Zxz --build "$root" "$out" >/dev/null
