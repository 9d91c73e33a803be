package sfclient

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	"golang.org/x/oauth2"
)

// Browser sign-in defaults.
const (
	// DefaultCallbackPort is the loopback port of the sign-in callback,
	// http://localhost:7890/OauthRedirect, which the connected app must
	// list as a callback URL.
	DefaultCallbackPort = 7890
	// AnyPort as SignInOptions.Port (--callback-port 0) listens on a port
	// the system chooses, for authorization servers that accept any port
	// on a loopback callback (RFC 8252 §7.3), such as the tests' emulator.
	// The connected app's callback URL must then allow any port.
	AnyPort = -1
	// CallbackPath is the callback's path.
	CallbackPath = "/OauthRedirect"
	// DefaultSignInTimeout is how long the callback waits for the user.
	DefaultSignInTimeout = 3 * time.Minute
)

// CallbackURL is the redirect URI for a callback port.
func CallbackURL(port int) string {
	return "http://localhost:" + strconv.Itoa(port) + CallbackPath
}

// SignInOptions configure a browser sign-in.
type SignInOptions struct {
	Port    int           // callback port; default DefaultCallbackPort; AnyPort: the system's choice
	Timeout time.Duration // wait for the user; default DefaultSignInTimeout
	// Open opens the user's browser on the sign-in's start address
	// (StartURL: the callback listener, which redirects to the
	// authorization page). It carries no secret: see StartPath.
	Open         func(url string) error
	ClientSecret string // consumer secret, when the app has one
	// Waiting, when set, is told the start address once the callback
	// listens, e.g. to print it for a user whose browser did not open.
	Waiting func(startURL string)
	// SignedIn, when set, is told who signed in and where as soon as the
	// tokens are verified, before SignIn returns (and so before anything
	// is saved).
	SignedIn func(Result)
}

// SignIn is the outcome of a successful browser sign-in. RefreshToken is a
// secret: the String form never shows it.
type SignIn struct {
	Result       Result        // the verified login: who and where
	RefreshToken string        // what a profile keeps to log in again
	Callback     time.Duration // from the browser's redirect to verified tokens
}

// String hides the refresh token.
func (s SignIn) String() string {
	return fmt.Sprintf("SignIn{%s as %s, refresh token %s}", s.Result.LoginURL, s.Result.Username, present(s.RefreshToken))
}

// GoString is String.
func (s SignIn) GoString() string { return s.String() }

// SignInError is a browser sign-in that did not finish. Code is stable:
// OAUTH_ACCESS_DENIED and other OAUTH_… errors from the callback or the
// token endpoint, SIGNIN_TIMEOUT, SIGNIN_EXCHANGE_TIMEOUT (the answer came,
// Salesforce did not complete the exchange within the attempt timeout),
// SIGNIN_PORT_IN_USE, SIGNIN_NO_REFRESH_TOKEN, SIGNIN_BROWSER, or a Result
// code when the tokens did not verify. SIGNIN_STATE_MISMATCH is no longer
// produced: an answer without this sign-in's state does not end it.
type SignInError struct {
	Code    Code
	Message string // Salesforce's words when there are any
	hint    string
	Result  *Result // set when Salesforce answered the exchange or verification
}

func (e *SignInError) Error() string {
	if e.Message == "" {
		return "browser sign-in failed: " + string(e.Code)
	}
	return "browser sign-in failed: " + e.Message
}

// Hint says what to do.
func (e *SignInError) Hint() string { return e.hint }

// SignIn runs the OAuth 2.0 web-server flow with PKCE (S256): it opens the
// browser on the login host's authorization page, waits on a loopback
// callback for the code, checks state, exchanges the code with the PKCE
// verifier, and verifies the tokens with userinfo. The listener always
// closes, at the latest after the timeout.
func (c *Checker) SignIn(ctx context.Context, o SignInOptions) (SignIn, error) {
	if o.Port == 0 {
		o.Port = DefaultCallbackPort
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultSignInTimeout
	}
	if c.clientID == "" {
		return SignIn{}, &ConfigError{Field: "client-id", Reason: "is required for browser sign-in (the connected app's consumer key)"}
	}
	ln, err := listenLoopback(o.Port)
	if err != nil {
		return SignIn{}, err
	}
	defer ln.close()
	o.Port = ln.port

	conf := c.oauthConfig(o.ClientSecret)
	conf.RedirectURL = CallbackURL(o.Port)
	verifier := oauth2.GenerateVerifier()
	state, err := randomState()
	if err != nil {
		return SignIn{}, err
	}
	authURL := conf.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier))

	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	cb := &callback{c: c, parent: parent, conf: conf, state: state, verifier: verifier, authURL: authURL, port: o.Port,
		accepted: make(chan struct{}), done: make(chan signInOutcome, 1)}
	srv := &http.Server{
		Handler:           cb.handler(),
		ConnContext:       connContext,
		ReadHeaderTimeout: 10 * time.Second,
	}
	for _, l := range ln.listeners {
		go func(l net.Listener) { _ = srv.Serve(l) }(l)
	}
	defer func() {
		shutdown, stop := context.WithTimeout(context.Background(), 2*time.Second)
		defer stop()
		_ = srv.Shutdown(shutdown)
		_ = srv.Close()
	}()

	startURL := StartURL(o.Port)
	if o.Waiting != nil {
		o.Waiting(startURL)
	}
	if o.Open != nil {
		if err := o.Open(startURL); err != nil {
			return SignIn{}, &SignInError{Code: CodeSignInBrowser, Message: err.Error(),
				hint: "The browser could not be opened. Open the sign-in address yourself, or set $BROWSER."}
		}
	}
	select {
	case out := <-cb.done:
		return o.told(out)
	case <-ctx.Done():
	}
	select {
	case <-cb.accepted:
		// The sign-in arrived in time: its code exchange has its own
		// limit (the attempt timeout), so wait for its outcome.
		return o.told(<-cb.done)
	default:
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		msg := fmt.Sprintf("no sign-in arrived within %s", o.Timeout)
		if n := cb.refused.Load(); n > 0 {
			msg += fmt.Sprintf(" (%d request(s) to the callback that did not belong to this sign-in were refused)", n)
		}
		return SignIn{}, &SignInError{Code: CodeSignInTimeout, Message: msg,
			hint: "Sign in again and finish in the browser within the time; if the browser showed an error page, the connected app's callback URL may not match " + CallbackURL(o.Port) + ". " + notBackHint}
	}
	return SignIn{}, &SignInError{Code: CodeCanceled, Message: "the sign-in was cancelled"}
}

type signInOutcome struct {
	signIn SignIn
	err    error
}

// told tells o.SignedIn who signed in, when the sign-in worked.
func (o SignInOptions) told(out signInOutcome) (SignIn, error) {
	if out.err == nil && o.SignedIn != nil {
		o.SignedIn(out.signIn.Result)
	}
	return out.signIn, out.err
}

func hintOfErr(err error) string {
	var h interface{ Hint() string }
	if errors.As(err, &h) {
		return h.Hint()
	}
	return ""
}

// finishSignIn exchanges the code (PKCE verifier attached) and verifies the
// tokens.
func (c *Checker) finishSignIn(ctx context.Context, conf *oauth2.Config, code, verifier string) signInOutcome {
	octx := context.WithValue(ctx, oauth2.HTTPClient, c.client)
	tok, err := conf.Exchange(octx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		r := c.tokenFailure(err)
		c.finishResult(&r)
		return signInOutcome{err: &SignInError{Code: r.Code, Message: r.Message, hint: r.Hint, Result: &r}}
	}
	if tok.RefreshToken == "" {
		return signInOutcome{err: &SignInError{Code: CodeSignInNoRefreshToken, Message: "Salesforce issued no refresh token",
			hint: "The connected app must allow the refresh_token (offline_access) scope; ask your Salesforce admin."}}
	}
	r := c.verifyToken(ctx, tok)
	c.finishResult(&r)
	if !r.OK {
		return signInOutcome{err: &SignInError{Code: r.Code, Message: r.Message, hint: r.Hint, Result: &r}}
	}
	return signInOutcome{signIn: SignIn{Result: r, RefreshToken: tok.RefreshToken}}
}

// finishResult fills what Check fills around an attempt.
func (c *Checker) finishResult(r *Result) {
	r.Method = MethodOAuthBrowser
	r.LoginURL = c.login.URL
	diagnose(r, diagInput{method: MethodOAuthBrowser, host: c.login, timeout: c.timeout})
	r.Warnings = append(append([]string(nil), c.warnings...), r.Warnings...)
	cleanResult(r)
}

func randomState() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random state: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
