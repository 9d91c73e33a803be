#!/bin/sh
# ensure-deps.sh GROUP... — install the Debian packages a make target needs,
# only when some are missing. With everything present it costs one dpkg-query
# call (a few milliseconds). On systems without apt it names the packages and
# fails, so nobody is left guessing.
set -eu

pkgs=""
for group in "$@"; do
	case "$group" in
	build) # cgo + X11/GL headers for Fyne's GLFW driver
		pkgs="$pkgs gcc pkg-config libgl1-mesa-dev libgl1-mesa-dri libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev" ;;
	runtime-test) # real X server, real Secret Service, screenshots, curl for the benchmark;
		# the end-to-end tests' desktop: window manager, tray host (xfce4-panel's
		# Status Tray), notification daemon, OCR of every screenshot, xprop
		pkgs="$pkgs xvfb xauth xdotool imagemagick gnome-keyring libsecret-tools dbus curl procps"
		pkgs="$pkgs openbox xfce4-panel xfce4-notifyd tesseract-ocr tesseract-ocr-eng x11-utils"
		# Node.js and npm for the real Salesforce clients (scripts/ensure-clients.sh).
		# Debian's nodejs comes without npm (its own package); NodeSource's
		# ships it and conflicts with Debian's npm: ask for npm only when the
		# command is missing.
		pkgs="$pkgs nodejs"
		command -v npm >/dev/null 2>&1 || pkgs="$pkgs npm"
		# Mono (a .NET Framework 4.x) for the .NET/VSTO recipe: mcs compiles
		# it, DataContractJsonSerializer parses the session, cert-sync
		# (ca-certificates-mono) puts the emulator's CA in its user store.
		pkgs="$pkgs mono-mcs mono-runtime libmono-system-runtime-serialization4.0-cil ca-certificates-mono" ;;
	cross) # Windows cross-build of the whole app
		pkgs="$pkgs gcc-mingw-w64-x86-64" ;;
	wine) # the Windows build run under Wine (make windows): 64-bit loader, OCR of its windows
		pkgs="$pkgs wine wine64 libwine x11-utils tesseract-ocr tesseract-ocr-eng" ;;
	dist) # make dist: MSI (wixl), Authenticode (osslsigncode, openssl), .deb, .tar.xz
		pkgs="$pkgs wixl msitools osslsigncode openssl dpkg xz-utils imagemagick" ;;
	*) echo "ensure-deps: unknown group '$group'" >&2; exit 2 ;;
	esac
done

# One dpkg-query for all packages; unknown ones print nothing, so compare.
installed=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' $pkgs 2>/dev/null | awk '$1 == "ii" {print $2}' | sed 's/:.*//') || true
missing=""
for p in $pkgs; do
	case " $(echo $installed) " in
	*" $p "*) ;;
	*) missing="$missing $p" ;;
	esac
done

[ -z "$missing" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
	echo "ensure-deps: these packages are missing and this system has no apt-get:" >&2
	echo "   $missing" >&2
	echo "Install their equivalents with your package manager, then run make again." >&2
	exit 1
fi

sudo=""
if [ "$(id -u)" != 0 ]; then
	if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
		echo "ensure-deps: need root (or sudo) to install:$missing" >&2; exit 1
	fi
fi

echo "ensure-deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# Refresh the package lists only when an install fails on stale ones.
# shellcheck disable=SC2086
if ! $sudo apt-get install -y -q --no-install-recommends $missing >/dev/null 2>&1; then
	$sudo apt-get update -q >/dev/null
	$sudo apt-get install -y -q --no-install-recommends $missing >/dev/null
fi
