//go:build integration

package bench

import (
	"context"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
	"github.com/advologix/advologix-connect/internal/testing/sftest"
	"github.com/advologix/advologix-connect/internal/testing/testfix"
	"github.com/advologix/advologix-connect/sfclient"
)

// BenchmarkBrowserSignIn measures browser sign-in from the browser's
// redirect to the app's callback until the profile is saved in the real
// keychain: the code exchange with PKCE, userinfo, and the save. The
// "browser" follows the emulator's authorization redirect at once.
func BenchmarkBrowserSignIn(b *testing.B) {
	srv := testfix.StartEmulator(b, func(c *sftest.Config) {
		c.Apps = []sftest.App{{ClientID: "bench-client", RedirectURIs: []string{sfclient.CallbackURL(sfclient.DefaultCallbackPort)}, AnyLoopbackPort: true, RequirePKCE: true}}
	})
	ca := srv.CAFile
	st, err := credstore.Open(credstore.Options{Dir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	const name = "bench-signin"
	defer st.Delete(context.Background(), name)
	browser := srv.Browser(nil, nil)
	p := credstore.Profile{Name: name, LoginURL: srv.URL(), Method: credstore.MethodOAuthBrowser, ClientID: "bench-client", CAFile: ca}
	var total time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		saved, sec, res, err := connection.SignIn(context.Background(), p, "", 10*time.Second,
			sfclient.SignInOptions{Port: sfclient.AnyPort, Timeout: 10 * time.Second, Open: browser})
		if err != nil {
			b.Fatalf("sign-in: %v", err)
		}
		returned := time.Now()
		if err := st.Save(context.Background(), saved, sec); err != nil {
			b.Fatalf("save: %v", err)
		}
		total += res.Callback + time.Since(returned)
	}
	b.StopTimer()
	ms := float64(total.Microseconds()) / 1000 / float64(b.N)
	b.ReportMetric(ms, "redirect-to-saved-ms/op")
	b.Logf("browser redirect to saved profile: %.1f ms (exchange with PKCE, userinfo, keychain save)", ms)
}
