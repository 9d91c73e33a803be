#!/bin/sh
# winres.sh OUT.syso [FILENAME] — the Windows resources of one of the
# exes: the app icon (16–256 px), a manifest (DPI aware, common controls
# 6) and the version resource (FyneApp.toml's name, version, build, app
# ID; FILENAME, default advologix-connect.exe, as its original file name),
# as a COFF object that `go build` links when it lies in the main
# package's folder (with or without cgo).
set -eu
out=${1:?usage: winres.sh OUT.syso [FILENAME]}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
. "$REPO/packaging/meta.sh"
filename=${2:-$APP_BIN.exe}
winres=${GO_WINRES:-$REPO/bin/tools/go-winres}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for s in 16 32 48 64 128 256; do cp "$REPO/assets/icon-$s.png" "$tmp/"; done
v4="$APP_VERSION.$APP_BUILD"
cat >"$tmp/winres.json" <<JSON
{
  "RT_GROUP_ICON": {"APP": {"0000": ["icon-256.png", "icon-128.png", "icon-64.png", "icon-48.png", "icon-32.png", "icon-16.png"]}},
  "RT_MANIFEST": {"#1": {"0409": {
    "identity": {"name": "$APP_ID", "version": "$v4"},
    "description": "$APP_NAME", "minimum-os": "win7", "execution-level": "as invoker",
    "dpi-awareness": "per monitor v2", "use-common-controls-v6": true, "long-path-aware": true
  }}},
  "RT_VERSION": {"#1": {"0000": {
    "fixed": {"file_version": "$v4", "product_version": "$v4"},
    "info": {"0409": {
      "CompanyName": "$APP_PUBLISHER", "FileDescription": "$APP_NAME", "FileVersion": "$v4",
      "InternalName": "$APP_ID", "OriginalFilename": "$filename", "ProductName": "$APP_NAME",
      "ProductVersion": "$APP_VERSION", "Comments": "App ID $APP_ID",
      "LegalCopyright": "Copyright (c) AdvoLogix"
    }}
  }}}
}
JSON
(cd "$tmp" && "$winres" make --in winres.json --arch amd64 --out rsrc)
mv -f "$tmp/rsrc_windows_amd64.syso" "$out"
