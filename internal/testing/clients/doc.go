// Package clients runs real Salesforce clients that nobody here wrote
// against the emulator (internal/testing/sftest), each with nothing but
// what `advologix-connect session --json` prints: jsforce 3 under Node.js,
// the Salesforce CLI 2 under the Node.js 22 of the npm registry's `node`
// package, a Go program on github.com/simpleforce/simpleforce, and a C#
// program written as a .NET Framework 4.x (VSTO) add-in would be, run by
// Debian's Mono. Each client's program is the README's recipe for it
// (README, "For other programs: advologix-connect session").
//
// The tests are integration tests (go test -tags integration, inside
// scripts/test-session.sh). The Node clients are installed, pinned, by
// scripts/ensure-clients.sh (make test's clients stage) into bin/clients,
// which also compiles the C# program with Mono's mcs; a missing client
// fails the tests, it never skips them.
package clients
