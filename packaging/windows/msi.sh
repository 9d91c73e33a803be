#!/bin/sh
# msi.sh CLI.exe DESKTOP.exe OUT.msi — the per-machine Windows Installer
# package of both programs (the console command line advologix-connect.exe
# and the desktop app, installed as "AdvoLogix Connect.exe"), built with
# wixl (Debian package wixl, from msitools) from advologix-connect.wxs. Its
# version is FyneApp.toml's Version (Windows Installer compares only three
# fields: a newer MSI needs a higher Version, not just a higher Build);
# MSI_VERSION overrides it (the upgrade test builds a "newer" one), and
# MSI_WXS the WiX source (the upgrade test builds a package of the single
# exe versions from packaging/testdata/single-exe.wxs).
set -eu
exe=${1:?usage: msi.sh CLI.exe DESKTOP.exe OUT.msi}
desktop=${2:?usage: msi.sh CLI.exe DESKTOP.exe OUT.msi}
out=${3:?usage: msi.sh CLI.exe DESKTOP.exe OUT.msi}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
. "$REPO/packaging/meta.sh"
case "$out" in /*) ;; *) out="$(pwd)/$out" ;; esac
# The icon of the shortcut and of Apps & features, as an .ico (an exe as
# the icon source would be stored in the MSI a second time).
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
/usr/bin/convert "$REPO/assets/icon-16.png" "$REPO/assets/icon-32.png" "$REPO/assets/icon-48.png" \
	"$REPO/assets/icon-256.png" "$tmp/app.ico"
cp "$exe" "$tmp/advologix-connect.exe"
cp "$desktop" "$tmp/desktop.exe"
# wixl takes source files relative to the working folder.
cd "$tmp"
wixl -a x64 -o "$out" -D IconPath=app.ico \
	-D ProductName="$APP_NAME" -D Manufacturer="$APP_PUBLISHER" -D AppID="$APP_ID" \
	-D Version="${MSI_VERSION:-$APP_VERSION}" -D Comment="$APP_COMMENT" \
	-D ExePath=advologix-connect.exe -D DesktopExePath=desktop.exe \
	"${MSI_WXS:-$REPO/packaging/windows/advologix-connect.wxs}"
