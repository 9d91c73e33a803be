package cli

import (
	"fmt"
	"io"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
)

// proxyVars are the environment variables that may hold proxy
// credentials.
var proxyVars = []string{"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"}

// withScrubber gives the run its one connection.Scrubber, told the
// secrets of the environment at once (proxy credentials, the client
// secret) and every other one as it is read; standard output and standard
// error pass through it, as a last net under render and writeJSON, which
// scrub each field before it is formatted.
func withScrubber(env Env) Env {
	if env.scrub != nil {
		return env
	}
	sc := connection.NewScrubber()
	if env.Getenv != nil {
		for _, v := range proxyVars {
			sc.AddProxy(env.Getenv(v))
		}
		sc.Add(env.Getenv(ClientSecretEnv))
	}
	env.scrub = sc
	if env.Stdout != nil {
		env.Stdout = &scrubWriter{w: env.Stdout, s: sc}
	}
	if env.Stderr != nil {
		env.Stderr = &scrubWriter{w: env.Stderr, s: sc}
	}
	return env
}

// scrubWriter removes the run's secrets from everything written through
// it.
type scrubWriter struct {
	w io.Writer
	s *connection.Scrubber
}

func (sw *scrubWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(sw.w, sw.s.Raw(string(p))); err != nil {
		return 0, fmt.Errorf("write the output: %w", err)
	}
	return len(p), nil
}

// scrubbed returns v with every string field scrubbed by the Scrubber of
// the stream w is, if it is one.
func scrubbed(w io.Writer, v any) any {
	if sw, ok := w.(*scrubWriter); ok {
		return connection.Scrub(sw.s, v)
	}
	return v
}

// openStore opens the credential store; every secret read from it is told
// to the run's Scrubber.
func openStore(env Env) (*connection.ScrubbingStore, error) {
	open := env.OpenStore
	if open == nil {
		open = func() (*credstore.Store, error) { return credstore.Open(credstore.Options{}) }
	}
	st, err := open()
	if err != nil {
		return nil, err
	}
	return &connection.ScrubbingStore{Store: st, Scrub: env.scrub}, nil
}
