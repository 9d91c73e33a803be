// Package probe holds the adversarial tests of issue #23 that go through
// the real advologix-connect binary, where a user or an attacker would:
// another local user (setpriv) following a browser sign-in, an IT policy
// file placed in a private mount namespace (never the real /etc), and a
// hostile login server on loopback that echoes the secrets it is sent.
// They run as root inside scripts/test-session.sh, as make test does:
//
//	scripts/test-session.sh go test -tags integration ./internal/testing/probe/
//
// $ADVOLOGIX_TEST_BIN runs them against another build (an older commit's,
// to see a test fail on the code before its fix).
package probe
