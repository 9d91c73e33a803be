package connection

// This file keeps a dead sign-in from being sent again: when Salesforce
// refuses a browser profile's refresh token (revoked, idle too long, the
// app removed), the keychain's session entry records which token it
// refused and how. The next program that would send that same token —
// `session` in a loop, twenty at once, the tray's watch — answers with
// the recorded refusal instead, under the profile's lock, and sends
// nothing: one refused request per dead token, as one failed request per
// wrong password. A new sign-in (a new generation) or another refresh
// token in the keychain (an admin's, another program's) is tried as usual,
// and so is a token refused for a reason that can pass (an IP range or
// login hours).

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/sfclient"
)

// tokenDigest is the hex SHA-256 of a refresh token: what the keychain
// keeps of a refused one.
func tokenDigest(tok string) string {
	sum := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(sum[:])
}

// refusedBefore is the recorded refusal of refresh token tok of p, if
// Salesforce refused exactly this token of this generation of p before.
func refusedBefore(ctx context.Context, sc SessionCache, p credstore.Profile, tok string) (Outcome, bool) {
	if tok == "" {
		return Outcome{}, false
	}
	cs, ok, err := sc.CachedSession(ctx, p.Name)
	if err != nil || !ok || cs.Generation != p.Generation || cs.Refused == "" || cs.Refused != tokenDigest(tok) {
		return Outcome{}, false
	}
	o := checked(p, decodeResult(credstore.Verdict{Result: cs.RefusedResult}))
	if o.Code == "" {
		o.Code = sfclient.CodeOAuthInvalidGrant
	}
	o.warn("Salesforce already refused this sign-in; it was not sent again")
	return o, true
}

// deadToken reports whether o is Salesforce saying a refresh token will
// never work again — revoked, unused for too long, rotated away: OAuth
// invalid_grant "expired access/refresh token". Other invalid_grant
// answers ("ip restricted or invalid login hours") can pass. sfclient
// names the first OAUTH_REFRESH_TOKEN_EXPIRED.
func deadToken(o Outcome) bool {
	return o.Code == sfclient.CodeOAuthRefreshTokenExpired ||
		o.Code == sfclient.CodeOAuthInvalidGrant && strings.Contains(strings.ToLower(o.Result.Message), "expired")
}

// recordRefusal keeps Salesforce's refusal of refresh token tok of p in
// place of p's cached session, for refusedBefore.
func recordRefusal(ctx context.Context, sc SessionCache, p credstore.Profile, tok string, o Outcome) {
	if tok == "" || !deadToken(o) {
		return
	}
	v, ok := verdictOf(o)
	if !ok {
		return
	}
	_ = sc.SaveCachedSession(ctx, p.Name, credstore.CachedSession{
		Refused: tokenDigest(tok), RefusedResult: v.Result, Generation: p.Generation, VerifiedAt: time.Now().UTC(),
	})
}
