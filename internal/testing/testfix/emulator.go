package testfix

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/advologix/advologix-connect/internal/testing/sftest"
)

// Jane is the user of the usual emulated org; her password needs the
// security token appended, as from an untrusted network.
const (
	JaneUsername = "jane@firm.example.com"
	JanePassword = "Corr3ct-Horse!"
	JaneToken    = "aBcDeF0123456789GhIjKlMn"
	JaneFullName = "Jane Doe"
	// OrgName is the name of the usual emulated org.
	OrgName = "Firm & Partners LLP"
)

// Jane is the emulator's account of Jane.
func Jane() sftest.User {
	return sftest.User{Username: JaneUsername, Password: JanePassword, SecurityToken: JaneToken, FullName: JaneFullName}
}

// JaneOrg is the configuration of the usual emulated org: OrgName with
// Jane as its one user, over HTTPS.
func JaneOrg() sftest.Config {
	return sftest.Config{OrgName: OrgName, Users: []sftest.User{Jane()}}
}

// Emulator is a running Salesforce emulator and the file of the CA
// certificate that signed its loopback certificate.
type Emulator struct {
	*sftest.Server
	// CAFile is the PEM file to trust the server through; empty for a
	// PlainHTTP server.
	CAFile string
}

// StartEmulator starts an emulator of [JaneOrg], changed first by mod
// when mod is not nil, and writes its CA certificate into a temporary
// directory of tb. The server closes at the end of the test; a failure
// to start fails it.
func StartEmulator(tb testing.TB, mod func(*sftest.Config)) *Emulator {
	tb.Helper()
	cfg := JaneOrg()
	if mod != nil {
		mod(&cfg)
	}
	e, err := NewEmulator(cfg, tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(e.Close)
	return e
}

// NewEmulator starts an emulator of cfg and, unless it is PlainHTTP,
// writes its CA certificate to dir/ca.pem. It is [StartEmulator] for a
// TestMain, which has no testing.TB: the caller closes the server.
func NewEmulator(cfg sftest.Config, dir string) (*Emulator, error) {
	srv, err := sftest.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("start the Salesforce emulator: %w", err)
	}
	e := &Emulator{Server: srv}
	if cfg.PlainHTTP {
		return e, nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		srv.Close()
		return nil, fmt.Errorf("the emulator's CA file: %w", err)
	}
	e.CAFile = filepath.Join(dir, "ca.pem")
	if err := srv.WriteCAFile(e.CAFile); err != nil {
		srv.Close()
		return nil, fmt.Errorf("write the emulator's CA file: %w", err)
	}
	return e, nil
}
