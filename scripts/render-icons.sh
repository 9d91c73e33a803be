#!/bin/sh
# render-icons.sh — maintainer tool: regenerate the PNGs in assets/ from
# their SVG sources. The PNGs are committed, so neither the build nor
# `make` runs this; run it by hand after changing an SVG, look at the
# results, and commit SVGs and PNGs together.
#
#   assets/icon.svg          -> assets/icon-{32,48,64,128,256,512}.png
#   assets/icon-16.svg       -> assets/icon-16.png (the design redrawn on the 16 px grid)
#   assets/tray-<state>.svg  -> assets/tray-<state>.png (64×64; Fyne scales it)
#
# Needs rsvg-convert (Debian package librsvg2-bin). Output has a transparent
# background and is byte-for-byte reproducible with the same librsvg.
set -eu

command -v rsvg-convert >/dev/null 2>&1 || {
	echo "render-icons: rsvg-convert is missing (apt-get install librsvg2-bin)" >&2
	exit 1
}

cd "$(dirname "$0")/../assets"

render() { # render SVG SIZE PNG
	rsvg-convert --width "$2" --height "$2" --keep-aspect-ratio --format png --output "$3" "$1"
	echo "render-icons: $3 (${2}×$2)"
}

render icon-16.svg 16 icon-16.png
for size in 32 48 64 128 256 512; do
	render icon.svg "$size" "icon-$size.png"
done
for state in ok failing unknown; do
	render "tray-$state.svg" 64 "tray-$state.png"
done
