#!/bin/sh
# sign.sh FILE... — Authenticode-sign Windows files (exe, msi) in place with
# osslsigncode, SHA-256, and verify each signature.
#
# Release: the builder supplies the certificate; nothing of it is committed.
#   ADVOLOGIX_SIGN_PFX            path to a PKCS#12 (.pfx/.p12) code-signing certificate and key
#   ADVOLOGIX_SIGN_PASSWORD_FILE  path to a file holding its password (never the password itself,
#                                 so it is in no command line or make output)
#   ADVOLOGIX_SIGN_TIMESTAMP_URL  optional RFC 3161 time-stamp server, e.g. http://timestamp.digicert.com
# Without ADVOLOGIX_SIGN_PFX: a throw-away self-signed certificate made now
# (dist/test-signing/, valid one day), for tests only; the files then say
# "Unknown publisher" on a real PC. The script says which it used.
set -eu
[ $# -gt 0 ] || { echo "usage: sign.sh FILE..." >&2; exit 2; }
REPO=$(cd "$(dirname "$0")/.." && pwd)
. "$REPO/packaging/meta.sh"

if [ -n "${ADVOLOGIX_SIGN_PFX:-}" ]; then
	[ -r "$ADVOLOGIX_SIGN_PFX" ] || { echo "sign.sh: cannot read ADVOLOGIX_SIGN_PFX=$ADVOLOGIX_SIGN_PFX" >&2; exit 1; }
	echo "sign.sh: signing with the release certificate $ADVOLOGIX_SIGN_PFX" >&2
	sign() {
		osslsigncode sign -pkcs12 "$ADVOLOGIX_SIGN_PFX" \
			${ADVOLOGIX_SIGN_PASSWORD_FILE:+-readpass "$ADVOLOGIX_SIGN_PASSWORD_FILE"} \
			${ADVOLOGIX_SIGN_TIMESTAMP_URL:+-ts "$ADVOLOGIX_SIGN_TIMESTAMP_URL"} \
			-h sha256 -n "$APP_NAME" -i https://www.advologix.com -in "$1" -out "$2"
	}
	verify() { osslsigncode verify -in "$1"; }
else
	dir=${ADVOLOGIX_TEST_SIGNING_DIR:-$REPO/dist/test-signing}
	mkdir -p "$dir"
	# One certificate for all files of a build: made when there is none
	# valid for another hour.
	[ -f "$dir/key.pem" ] && openssl x509 -in "$dir/cert.pem" -noout -checkend 3600 >/dev/null 2>&1 ||
	(umask 077 && openssl req -x509 -newkey rsa:3072 -sha256 -nodes -days 1 \
		-subj "/CN=$APP_NAME TEST SIGNING (not for release)/O=$APP_PUBLISHER" \
		-addext "keyUsage=critical,digitalSignature" -addext "extendedKeyUsage=codeSigning" \
		-keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null)
	echo "sign.sh: signing with a throw-away TEST certificate ($dir/cert.pem): not for release" >&2
	sign() {
		osslsigncode sign -certs "$dir/cert.pem" -key "$dir/key.pem" \
			-h sha256 -n "$APP_NAME" -i https://www.advologix.com -in "$1" -out "$2"
	}
	# The self-signed root is trusted for this check only.
	verify() { osslsigncode verify -CAfile "$dir/cert.pem" -in "$1"; }
fi

for f in "$@"; do
	rm -f "$f.signing"
	sign "$f" "$f.signing" >/dev/null
	mv -f "$f.signing" "$f"
	verify "$f" >/dev/null || { echo "sign.sh: the signature of $f does not verify" >&2; exit 1; }
	echo "sign.sh: signed and verified $f" >&2
done
