# meta.sh — sourced by the packaging scripts: the app's name, ID, version
# and build number from FyneApp.toml (the one place they are kept).
# shellcheck shell=sh
_toml="${REPO:-$(cd "$(dirname "$0")/.." && pwd)}/FyneApp.toml"
_get() { sed -n "s/^$1 *= *\"\{0,1\}\([^\"]*\)\"\{0,1\} *\$/\1/p" "$_toml" | head -n 1; }
APP_NAME=$(_get Name)
APP_ID=$(_get ID)
APP_VERSION=$(_get Version)
APP_BUILD=$(_get Build)
APP_COMMENT=$(_get Comment)
APP_PUBLISHER="AdvoLogix"
# The command line's name everywhere (package name, binary), and the
# desktop program's: on Linux the .desktop entry's Exec, on Windows the
# MSI installs it as "$APP_NAME.exe", the Start menu's target.
APP_BIN=advologix-connect
APP_DESKTOP_BIN=advologix-connect-desktop
for _v in APP_NAME APP_ID APP_VERSION APP_BUILD; do
	eval "[ -n \"\$$_v\" ]" || { echo "meta.sh: $_v missing from $_toml" >&2; exit 1; }
done
