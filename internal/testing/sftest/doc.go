// Package sftest is a loopback Salesforce emulator for tests, benchmarks and
// offline demos.
//
// A [Server] speaks the documented Salesforce login formats:
//
//   - the partner SOAP API login() call (POST /services/Soap/u/{version}),
//     answering a LoginResult or a soapenv:Fault carrying a LoginFault;
//   - the OAuth 2.0 token endpoint (/services/oauth2/token) for the
//     username-password, authorization-code (with PKCE) and refresh-token
//     grants, plus the authorize, revoke and OpenID userinfo endpoints;
//   - the identity service (/id/{orgId}/{userId});
//   - the REST versions list (/services/data/) and a tiny SOQL subset on the
//     Organization object (/services/data/vNN.0/query).
//
// Users, connected apps and faults are configured with [Config] and can be
// changed while the server runs; every method is safe for concurrent use.
// The server generates its own certificate authority at start, so clients
// trust it through [Server.CACertPEM], [Server.WriteCAFile] or
// [Server.Client].
//
// The package depends only on the standard library and deliberately imports
// nothing from the client it is used to test.
package sftest
