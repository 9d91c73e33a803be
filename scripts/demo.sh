#!/bin/sh
# demo.sh APP EMULATOR — the app against a local Salesforce emulator, with a
# demo profile, so anyone can try a right and a wrong token offline. Settings
# go to a throw-away folder; the demo profile's keychain entries are removed
# on exit.
set -eu
app=$1
emulator=$2

dir=$(mktemp -d "${TMPDIR:-/tmp}/advologix-demo.XXXXXX")
config="$dir/config"
mkdir -p "$config"
emu_pid=""
cleanup() {
	XDG_CONFIG_HOME="$config" "$app" logout --profile demo >/dev/null 2>&1 || true
	[ -n "$emu_pid" ] && kill "$emu_pid" 2>/dev/null || true
	rm -rf "$dir"
}
trap cleanup EXIT INT TERM

"$emulator" --ca-out "$dir/ca.pem" --ready-file "$dir/url" --client-id 3MVG9.AdvoLogixConnect.demo \
	--redirect-uri http://localhost:7890/OauthRedirect >"$dir/emulator.txt" 2>&1 &
emu_pid=$!
i=0
while [ ! -s "$dir/url" ]; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 "$emu_pid" 2>/dev/null; then
		echo "demo: the emulator did not start:" >&2
		cat "$dir/emulator.txt" >&2
		exit 1
	fi
	sleep 0.1
done
url=$(cat "$dir/url")

# A demo profile without secrets, in the settings file's documented schema.
mkdir -p "$config/advologix-connect"
chmod 700 "$config/advologix-connect"
cat >"$config/advologix-connect/settings.json" <<JSON
{"version": 1, "default": "demo", "profiles": [{"name": "demo", "login_url": "$url", "username": "demo@advologix.example", "method": "soap", "ca_file": "$dir/ca.pem"}]}
JSON
chmod 600 "$config/advologix-connect/settings.json"

cat <<TEXT

AdvoLogix Connect demo — a Salesforce emulator runs at $url
  Username:        demo@advologix.example
  Password:        Demo-Password-1
  Security token:  DemoToken0123456789abcdef   (try a wrong one, or none, too)
  Other accounts:  ip-ranges@advologix.example / Demo-Password-2 (no token needed)
                   expired@advologix.example   / Demo-Password-3 + ExpiredToken0123456789ab (expired password)
Type the password and token in the window and press Test connection.
Browser sign-in works too (Advanced → Method): the emulator approves at once.
Close the window to end the demo.

TEXT
XDG_CONFIG_HOME="$config" ADVOLOGIX_CLIENT_ID=3MVG9.AdvoLogixConnect.demo "$app" settings
