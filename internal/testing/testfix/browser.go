package testfix

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// Browser is a browser that signs in at once: given the sign-in's start
// address (as sfclient.SignInOptions.Open is) or the authorization URL it
// redirects to, it fetches it, then the authorization page from the
// emulator, in the background and follows the redirect to the app's callback, as a
// browser does after the user signs in. tamper, when not nil, may change
// the callback URL first. When page is not nil, the callback page's body,
// or what went wrong instead, is sent on it.
func (e *Emulator) Browser(tamper func(*url.URL), page chan<- string) func(authURL string) error {
	tell := func(s string) {
		if page != nil {
			page <- s
		}
	}
	return func(authURL string) error {
		go func() {
			authURL, err := Authorization(authURL)
			if err != nil {
				tell("start: " + err.Error())
				return
			}
			resp, err := e.Client().Get(authURL)
			if err != nil {
				tell("authorize: " + err.Error())
				return
			}
			resp.Body.Close()
			loc, err := resp.Location()
			if err != nil {
				tell(fmt.Sprintf("authorize answered %d without a redirect", resp.StatusCode))
				return
			}
			if tamper != nil {
				tamper(loc)
			}
			cb, err := http.Get(loc.String())
			if err != nil {
				tell("callback: " + err.Error())
				return
			}
			body, _ := io.ReadAll(cb.Body)
			cb.Body.Close()
			tell(string(body))
		}()
		return nil
	}
}

// Authorization follows a sign-in's start address
// (http://127.0.0.1:PORT/start, which answers once) to the authorization
// URL it redirects to; any other address is returned as it is.
func Authorization(startURL string) (string, error) {
	u, err := url.Parse(startURL)
	if err != nil || u.Scheme != "http" || u.Path != "/start" {
		return startURL, nil // not a start address
	}
	cl := http.Client{Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := cl.Get(startURL)
	if err != nil {
		return "", fmt.Errorf("open %s: %w", startURL, err)
	}
	resp.Body.Close()
	loc, err := resp.Location()
	if err != nil {
		return "", fmt.Errorf("%s answered %d without a redirect", startURL, resp.StatusCode)
	}
	return loc.String(), nil
}
