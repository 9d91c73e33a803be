// Package clients runs real Salesforce clients that nobody here wrote
// against the emulator (internal/testing/sftest), each with nothing but
// what `advologix-connect session --json` prints: jsforce 3 under Node.js,
// the Salesforce CLI 2 under the Node.js 22 of the npm registry's `node`
// package, and a Go program on github.com/simpleforce/simpleforce. Each
// client's program is the README's recipe for it ("Handing the session to
// other programs").
//
// The tests are integration tests (go test -tags integration, inside
// scripts/test-session.sh). The Node clients are installed, pinned, by
// scripts/ensure-clients.sh (make test's clients stage) into bin/clients;
// a missing client fails the tests, it never skips them.
package clients
