#!/bin/sh
# dist-macos.sh DIST — the macOS app, signed and notarised: the desktop
# program (cmd/advologix-connect-desktop) as AdvoLogix Connect.app, with the
# command line (cmd/advologix-connect, no cgo) beside it in Contents/MacOS,
# where it finds the desktop program. Runs only on a Mac with Xcode's
# command-line tools (cgo against Cocoa and OpenGL cannot
# be cross-compiled from Linux, and codesign/notarytool exist only there).
#
#   ADVOLOGIX_MAC_IDENTITY   codesign identity, e.g. "Developer ID Application: AdvoLogix (TEAMID)"
#   ADVOLOGIX_NOTARY_PROFILE a notarytool keychain profile
#                            (xcrun notarytool store-credentials PROFILE --apple-id … --team-id …)
# Without them it builds the unsigned .app and says so.
set -eu
dist=${1:?usage: dist-macos.sh DIST}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
. "$REPO/packaging/meta.sh"
if [ "$(uname -s)" != Darwin ]; then
	echo "dist-macos: runs on macOS only (fyne package -os darwin needs Xcode's tools, codesign and notarytool)" >&2
	exit 1
fi
fyne=${FYNE:-$REPO/bin/tools/fyne}
arch=$(uname -m)
mkdir -p "$dist"
# Should fyne rewrite a FyneApp.toml (Build + 1), the checkout undoes it.
(cd "$REPO" && "$fyne" package -os darwin --release --src cmd/advologix-connect-desktop \
	--name "$APP_NAME" --app-id "$APP_ID" --app-version "$APP_VERSION" --app-build "$APP_BUILD" \
	--icon "$REPO/assets/icon-512.png")
git -C "$REPO" checkout -- FyneApp.toml 2>/dev/null || true
app="$REPO/cmd/advologix-connect-desktop/$APP_NAME.app"
[ -d "$app" ] || app="$REPO/$APP_NAME.app"
rm -rf "$dist/$APP_NAME.app" && mv "$app" "$dist/"
app="$dist/$APP_NAME.app"
[ -x "$app/Contents/MacOS/$APP_DESKTOP_BIN" ] ||
	{ echo "dist-macos: fyne did not name the app's program $APP_DESKTOP_BIN: the command line would not find it" >&2; exit 1; }
(cd "$REPO" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=$APP_VERSION" \
	-o "$app/Contents/MacOS/$APP_BIN" ./cmd/advologix-connect)
zip="$dist/AdvoLogix-Connect-$APP_VERSION-macos-$arch.zip"
if [ -z "${ADVOLOGIX_MAC_IDENTITY:-}" ]; then
	ditto -c -k --keepParent "$app" "$zip"
	echo "dist-macos: $zip is NOT signed (set ADVOLOGIX_MAC_IDENTITY and ADVOLOGIX_NOTARY_PROFILE)" >&2
	exit 0
fi
codesign --force --deep --options runtime --timestamp --sign "$ADVOLOGIX_MAC_IDENTITY" "$app"
codesign --verify --strict --verbose=2 "$app"
ditto -c -k --keepParent "$app" "$zip"
xcrun notarytool submit "$zip" --keychain-profile "${ADVOLOGIX_NOTARY_PROFILE:?set ADVOLOGIX_NOTARY_PROFILE}" --wait
xcrun stapler staple "$app"
rm -f "$zip" && ditto -c -k --keepParent "$app" "$zip"
spctl --assess --type execute --verbose "$app"
echo "dist-macos: $zip signed, notarised and stapled" >&2
