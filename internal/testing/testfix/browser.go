package testfix

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// Browser is a browser that signs in at once: given the authorization URL
// (as sfclient.SignInOptions.Open is), it fetches it from the emulator in
// the background and follows the redirect to the app's callback, as a
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
