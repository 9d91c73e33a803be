#!/bin/sh
# ensure-clients.sh [DIR] — install the real Salesforce clients that the
# tests in internal/testing/clients run against the emulator: jsforce, and
# the Salesforce CLI with the Node.js 22 it needs (the npm registry's `node`
# package), each pinned by the package.json and package-lock.json beside
# its recipe, into DIR (default bin/clients, which git ignores), with npm's
# download cache there too; the Go recipe's modules; and the .NET recipe
# compiled by Mono's mcs. A client whose pinned files have not changed
# since its install is left as it is, so a warm run costs a hash and
# `go mod download`. Any failure is an error: the tests fail without the
# clients, they never skip.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:-$root/bin/clients}
src=$root/internal/testing/clients

command -v npm >/dev/null 2>&1 || {
	echo "ensure-clients: npm is missing (run scripts/ensure-deps.sh runtime-test)" >&2
	exit 1
}
mkdir -p "$dest"
for name in jsforce sf; do
	for f in package.json package-lock.json; do
		[ -f "$src/$name/$f" ] || { echo "ensure-clients: $src/$name/$f is missing" >&2; exit 1; }
	done
	want=$(cat "$src/$name/package.json" "$src/$name/package-lock.json" | sha256sum | cut -d' ' -f1)
	if [ "$(cat "$dest/$name/.installed" 2>/dev/null || true)" = "$want" ]; then
		continue
	fi
	echo "ensure-clients: installing $name into $dest/$name"
	rm -rf "${dest:?}/$name"
	mkdir -p "$dest/$name"
	cp "$src/$name/package.json" "$src/$name/package-lock.json" "$dest/$name/"
	(cd "$dest/$name" && npm ci --no-audit --no-fund --loglevel=error --cache "$dest/npm-cache")
	echo "$want" >"$dest/$name/.installed"
done
(cd "$src/go" && GOWORK=off go mod download)

# The .NET/VSTO recipe, compiled by Mono's mcs (a .NET Framework 4.x; no
# .NET SDK installs here) into dest/dotnet, again only when its source
# changed: .installed holds the source's SHA-256, which the test compares.
for tool in mcs mono cert-sync; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "ensure-clients: $tool is missing (run scripts/ensure-deps.sh runtime-test)" >&2
		exit 1
	}
done
cs=$src/dotnet/SessionCaller.cs
want=$(sha256sum <"$cs" | cut -d' ' -f1)
if [ "$(cat "$dest/dotnet/.installed" 2>/dev/null || true)" != "$want" ]; then
	echo "ensure-clients: compiling $cs into $dest/dotnet"
	mkdir -p "$dest/dotnet"
	rm -f "$dest/dotnet/.installed"
	mcs -nologo -warnaserror -target:exe -r:System.Runtime.Serialization.dll \
		-out:"$dest/dotnet/SessionCaller.exe" "$cs"
	echo "$want" >"$dest/dotnet/.installed"
fi
