// Package sfclient answers one question: do these Salesforce credentials
// work here, and if not, why and what should the user do?
//
// It speaks the two login doors the AdvoLogix add-ins use — the SOAP partner
// API login() call and the OAuth 2.0 token endpoint (username-password,
// refresh-token and authorization-code grants) — and verifies OAuth tokens
// with the REST userinfo endpoint. Every attempt ends in a [Result] with a
// stable [Code], Salesforce's own message when there is one, and a hint in
// plain words.
//
// Rules the package keeps so that a check never hurts the account it tests:
//   - exactly one login request per attempt, never a silent retry (failed
//     logins count towards the org's lockout policy);
//   - HTTPS only, except plain HTTP to a loopback host (tests and the demo);
//   - response bodies read through a size limit and the whole attempt bounded
//     by a timeout;
//   - no redirect is followed to another host;
//   - secrets never appear in a Result, an error text or a log line.
//
// sfclient knows nothing of windows, keychains or settings files.
package sfclient
