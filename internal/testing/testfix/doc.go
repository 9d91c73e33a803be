// Package testfix holds the fixtures that the tests of several packages
// share, so that each is written once:
//
//   - [StartEmulator]: a Salesforce emulator (internal/testing/sftest) of the
//     usual org, Firm & Partners LLP with Jane as its user, and its CA
//     certificate in a file for --ca-file or sfclient.Config.CAFile;
//   - [Keyring]: an in-memory keychain for credstore.Options.Keyring that
//     can also fail, block like an unanswered unlock prompt, or refuse
//     chosen writes;
//   - [AppEnv]: the environment for one run of the app binary, with
//     settings folders of its own;
//   - [Buffer]: a bytes.Buffer that a process writes while a test reads.
//
// The app binaries themselves are built by internal/testing/testbin. testfix
// imports neither credstore nor the app, so credstore's own tests can use
// it too.
package testfix
