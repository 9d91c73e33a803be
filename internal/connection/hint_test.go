package connection_test

import (
	"context"
	"strings"
	"testing"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/sfclient"
)

// An untrusted certificate at this computer's own address (the emulator,
// whose CA the profile does not name) is a program here, not a proxy on
// the network; each face can say its own way to the CA file.
func TestUntrustedCertificateOnThisComputer(t *testing.T) {
	f := newFixture(t)
	for _, host := range []string{"127.0.0.1", "localhost"} {
		t.Run(host, func(t *testing.T) {
			p := f.profile("jane", credstore.MethodSOAP, jane)
			p.CAFile = ""
			p.LoginURL = strings.Replace(f.srv.URL(), "127.0.0.1", host, 1)
			o := f.service().Test(context.Background(), p, janeSecrets)
			if o.Code != sfclient.CodeTLS || o.Result.Remedy != sfclient.RemedyCAFile {
				t.Fatalf("code %q remedy %q: %+v", o.Code, o.Result.Remedy, o)
			}
			if strings.Contains(o.Headline+o.Hint, "on your network") || !strings.Contains(o.Hint, "this computer") ||
				!strings.Contains(o.Hint, "test or demo server") {
				t.Errorf("headline %q hint %q", o.Headline, o.Hint)
			}
			if !strings.Contains(o.Hint, "--ca-file") {
				t.Errorf("the shared hint lost the command line's way: %q", o.Hint)
			}
			own := o.HintWith(func(sfclient.Remedy) string { return "Do it here." })
			if strings.Contains(own, "--ca-file") || strings.Contains(own, "Advanced") || !strings.HasSuffix(own, "Do it here.") {
				t.Errorf("HintWith: %q", own)
			}
		})
	}
}

// HintWith leaves a hint that asks for no setting alone.
func TestHintWithNoRemedy(t *testing.T) {
	f := newFixture(t)
	o := f.service().Test(context.Background(), f.profile("jane", credstore.MethodSOAP, jane), credstore.Secrets{Password: "Wr0ng-Horse"})
	if o.OK() || o.HintWith(func(sfclient.Remedy) string { return "X" }) != o.Hint {
		t.Fatalf("%+v", o)
	}
}
