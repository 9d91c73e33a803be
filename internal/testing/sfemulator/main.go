// Command sfemulator runs the sftest Salesforce emulator as a standalone
// loopback server, for `make demo` and benchmarks.
//
// It serves fixed demo accounts (fake data) and runs until SIGINT or
// SIGTERM:
//
//	sfemulator --ca-out /tmp/sfemu-ca.pem --ready-file /tmp/sfemu.url --client-id DemoClient
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/advologix/advologix-connect/internal/testing/sftest"
)

// Demo accounts. These are fake credentials for an offline emulator.
const (
	demoUser     = "demo@advologix.example"
	demoPassword = "Demo-Password-1"
	demoToken    = "DemoToken0123456789abcdef"

	ipRangesUser     = "ip-ranges@advologix.example"
	ipRangesPassword = "Demo-Password-2"

	expiredUser     = "expired@advologix.example"
	expiredPassword = "Demo-Password-3"
	expiredToken    = "ExpiredToken0123456789ab"
)

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string { return strings.Join(*l, ",") }

func (l *stringList) Set(v string) error {
	*l = append(*l, v)
	return nil
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "sfemulator:", err)
		os.Exit(1)
	}
}

// run serves until ctx is done.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sfemulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "listen address")
	caOut := fs.String("ca-out", "", "write the emulator's CA certificate (PEM) to this `path`")
	readyFile := fs.String("ready-file", "", "write the server URL to this `path` once listening (atomically)")
	sandbox := fs.Bool("sandbox", false, "emulate a sandbox org")
	plainHTTP := fs.Bool("plain-http", false, "serve plain http instead of HTTPS")
	clientID := fs.String("client-id", "", "register a public connected app with this client id (password flow, PKCE)")
	var redirects stringList
	fs.Var(&redirects, "redirect-uri", "callback URL allowed for --client-id (repeatable; default http://localhost:7890/OauthRedirect and http://127.0.0.1:7890/OauthRedirect)")
	rotate := fs.Bool("rotate-refresh-tokens", false, "--client-id's app rotates refresh tokens (the spent one dies at once)")
	sessionLife := fs.Duration("session-lifetime", 0, "how long a session works after it is issued (default 2h)")
	refreshIdle := fs.Duration("refresh-token-idle", 0, "a refresh token unused this long is refused (default 720h; negative: never)")
	maxPairs := fs.Int("max-token-pairs", 0, "refresh tokens per user per app before the oldest is revoked (default 5)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %q", fs.Args())
	}

	cfg := sftest.Config{
		Addr:             *addr,
		Sandbox:          *sandbox,
		PlainHTTP:        *plainHTTP,
		SessionLifetime:  *sessionLife,
		RefreshTokenIdle: *refreshIdle,
		MaxTokenPairs:    *maxPairs,
		Users: []sftest.User{
			{Username: demoUser, Password: demoPassword, SecurityToken: demoToken, FullName: "Demo User"},
			{Username: ipRangesUser, Password: ipRangesPassword, TrustedNetwork: true, FullName: "IP Ranges User"},
			{Username: expiredUser, Password: expiredPassword, SecurityToken: expiredToken, FullName: "Expired Password User", PasswordExpired: true},
		},
	}
	if *clientID != "" {
		if len(redirects) == 0 {
			redirects = stringList{"http://localhost:7890/OauthRedirect", "http://127.0.0.1:7890/OauthRedirect"}
		}
		cfg.Apps = []sftest.App{{
			ClientID:            *clientID,
			RedirectURIs:        redirects,
			RequirePKCE:         true,
			AllowPasswordFlow:   true,
			RotateRefreshTokens: *rotate,
		}}
	}
	srv, err := sftest.New(cfg)
	if err != nil {
		return err
	}
	defer srv.Close()

	if *caOut != "" {
		if err := srv.WriteCAFile(*caOut); err != nil {
			return fmt.Errorf("--ca-out: %w", err)
		}
	}

	fmt.Fprintf(stdout, "Salesforce emulator listening on %s\n", srv.URL())
	kind := "production"
	if *sandbox {
		kind = "sandbox"
	}
	fmt.Fprintf(stdout, "  org %s (%s)\n", srv.OrgID(), kind)
	if *caOut != "" {
		fmt.Fprintf(stdout, "  CA certificate: %s\n", *caOut)
	}
	if *clientID != "" {
		fmt.Fprintf(stdout, "  connected app: client_id=%s (public, PKCE, password flow) redirect URIs: %s\n", *clientID, redirects.String())
	}
	fmt.Fprintln(stdout, "Demo accounts (fake data):")
	fmt.Fprintf(stdout, "  %-30s password %-18s token %s\n", demoUser, demoPassword, demoToken)
	fmt.Fprintf(stdout, "  %-30s password %-18s no token (Login IP Ranges / trusted network)\n", ipRangesUser, ipRangesPassword)
	fmt.Fprintf(stdout, "  %-30s password %-18s token %s (password expired)\n", expiredUser, expiredPassword, expiredToken)
	fmt.Fprintln(stdout, "Press Ctrl-C to stop.")

	if *readyFile != "" {
		if err := sftest.WriteFileAtomic(*readyFile, []byte(srv.URL()+"\n"), 0o644); err != nil {
			return fmt.Errorf("--ready-file: %w", err)
		}
	}

	<-ctx.Done()
	fmt.Fprintln(stdout, "sfemulator: shutting down")
	return nil
}
