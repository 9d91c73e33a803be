package sfclient

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"
)

// StartPath is the path of the address the browser is opened on: the
// callback listener answers it with a redirect to the authorization page.
//
// Why the browser gets http://127.0.0.1:PORT/start and not the
// authorization URL: a program's arguments are public (ps shows them to
// every local user), and the authorization URL holds the state, so any
// user of the computer could open it, sign in with their own Salesforce
// account, and have this app save their account as the victim's. A
// one-time nonce in /start's address would be in the arguments just the
// same, so /start carries no secret at all. Instead it is protected by
// who may use it: on Linux the listener serves /start and the callback
// only to sockets of this process's own user (checkPeer, from
// /proc/net/tcp{,6}); /start hands out the authorization URL once (a
// second visit gets 410), and only in the redirect's Location header,
// which stays between the listener and the user's browser. The state and
// the PKCE verifier are in no process's arguments or environment.
//
// Not defended: on Windows and macOS checkPeer cannot tell the peer's
// user (see peer_other.go), so another local user who is faster than the
// browser could take /start; the user's browser then shows "already
// opened" and the sign-in times out rather than finishing for the other.
const StartPath = "/start"

// StartURL is the address the browser is opened on for a callback port.
func StartURL(port int) string {
	return "http://127.0.0.1:" + strconv.Itoa(port) + StartPath
}

// peerKey is the context key of checkPeer's verdict on a connection.
type peerKey struct{}

// connContext records, once per accepted connection, whether it belongs
// to this process's user.
func connContext(ctx context.Context, c net.Conn) context.Context {
	return context.WithValue(ctx, peerKey{}, peerVerdict{err: checkPeer(c)})
}

type peerVerdict struct{ err error }

// samePeerUser tells whether r came over a connection of this process's
// user; a request without a verdict (not served through connContext) is
// refused.
func samePeerUser(r *http.Request) bool {
	v, ok := r.Context().Value(peerKey{}).(peerVerdict)
	return ok && v.err == nil
}

// callback is the loopback end of one sign-in. Only a request to an
// expected Host that carries this sign-in's state can end it; anything else
// (a stray request, another web page, a DNS-rebinding host) gets an error
// page and the listener keeps waiting.
type callback struct {
	c               *Checker
	parent          context.Context // the caller's: cancels the exchange too
	conf            *oauth2.Config
	state, verifier string
	authURL         string // handed out once, by /start
	port            int
	started         atomic.Bool   // /start was used
	claimed         atomic.Bool   // a valid answer arrived: the sign-in is over
	accepted        chan struct{} // closed when claimed
	done            chan signInOutcome
	refused         atomic.Int32 // requests that did not belong
}

// allowedHost tells whether the Host header names the callback itself.
func (cb *callback) allowedHost(host string) bool {
	p := strconv.Itoa(cb.port)
	switch strings.ToLower(host) {
	case "localhost:" + p, "127.0.0.1:" + p, "[::1]:" + p:
		return true
	}
	return false
}

func (cb *callback) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc(StartPath, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case !cb.allowedHost(r.Host):
			cb.refused.Add(1)
			callbackPage(w, http.StatusMisdirectedRequest, "This address is not AdvoLogix Connect's", "Open the sign-in from the app.")
		case !cb.started.CompareAndSwap(false, true):
			callbackPage(w, http.StatusGone, "This sign-in was already opened", "Finish it in the tab it opened, or start the sign-in again from the app.")
		default:
			w.Header().Set("Cache-Control", "no-store")
			w.Header().Set("Referrer-Policy", "no-referrer")
			http.Redirect(w, r, cb.authURL, http.StatusFound)
		}
	})
	mux.HandleFunc(CallbackPath, func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		switch {
		case !cb.allowedHost(r.Host):
			cb.refused.Add(1)
			callbackPage(w, http.StatusMisdirectedRequest, "This address is not AdvoLogix Connect's", "Open the sign-in from the app.")
			return
		case q.Get("state") != cb.state:
			cb.refused.Add(1)
			callbackPage(w, http.StatusBadRequest, "This sign-in was not started here", "AdvoLogix Connect did not accept this answer. Start the sign-in from the app, or finish the one it opened.")
			return
		case q.Get("error") == "" && q.Get("code") == "":
			callbackPage(w, http.StatusBadRequest, "Nothing to sign in with", "This address is for Salesforce's answer only.")
			return
		}
		if !cb.claimed.CompareAndSwap(false, true) {
			callbackPage(w, http.StatusGone, "This sign-in is already over", "You can close this tab.")
			return
		}
		close(cb.accepted)
		cb.done <- cb.finish(w, q)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	// Another local user's request is refused before any of the above:
	// it can neither take /start nor end the sign-in.
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !samePeerUser(r) {
			cb.refused.Add(1)
			callbackPage(w, http.StatusForbidden, "Forbidden", "This sign-in belongs to another user of this computer.")
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// finish turns the accepted answer into the outcome and tells the browser.
func (cb *callback) finish(w http.ResponseWriter, q url.Values) signInOutcome {
	c := cb.c
	if q.Get("error") != "" {
		code := ClassifyOAuthError(q.Get("error"), q.Get("error_description"))
		if code == "" {
			code = CodeUnexpectedResponse
		}
		r := Result{Code: code, Message: q.Get("error_description"), Method: MethodOAuthBrowser, LoginURL: c.login.URL}
		diagnose(&r, diagInput{method: MethodOAuthBrowser, host: c.login, timeout: c.timeout})
		cleanResult(&r)
		callbackPage(w, http.StatusOK, "Sign-in not completed: "+r.Headline, r.Hint)
		return signInOutcome{err: &SignInError{Code: r.Code, Message: r.Message, hint: r.Hint, Result: &r}}
	}
	start := time.Now()
	// The exchange and userinfo are one attempt: the attempt timeout, not
	// what is left of the wait for the browser.
	ctx, cancel := context.WithTimeout(cb.parent, c.timeout)
	defer cancel()
	out := c.finishSignIn(ctx, cb.conf, q.Get("code"), cb.verifier)
	out.signIn.Callback = time.Since(start)
	var se *SignInError
	if errors.As(out.err, &se) && se.Result != nil && se.Result.Code == CodeTimeout {
		se.Code = CodeSignInExchangeTimeout
		se.Message = fmt.Sprintf("the sign-in arrived, but Salesforce did not complete it (code exchange and verification) within %s", c.timeout)
		se.hint = "The browser part worked. Salesforce's token service did not answer in time: check your connection, VPN and proxy, then sign in again."
	}
	if out.err != nil {
		callbackPage(w, http.StatusOK, "Sign-in not completed", out.err.Error()+" "+hintOfErr(out.err))
	} else {
		r := out.signIn.Result
		callbackPage(w, http.StatusOK, "You are signed in to AdvoLogix Connect",
			"Signed in as "+firstNonEmpty(r.UserFullName, r.Username)+". You can close this tab and return to the app.")
	}
	return out
}

// pageTemplate is parsed on first use, not at every process start.
var pageTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>AdvoLogix Connect</title>
<style>body{font-family:system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em;color:#1d2b3a}h1{font-size:1.4em}</style>
</head><body><h1>{{.Title}}</h1><p>{{.Body}}</p></body></html>
`))
})

// callbackPage tells the user in the browser what happened.
func callbackPage(w http.ResponseWriter, status int, title, body string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	_ = pageTemplate().Execute(w, struct{ Title, Body string }{title, strings.TrimSpace(body)})
}
