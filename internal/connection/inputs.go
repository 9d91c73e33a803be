package connection

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"time"

	"github.com/advologix/advologix-connect/credstore"
)

// inputsKey keys the fingerprints of this process: a fingerprint proves
// nothing outside it, so it is no password hash anyone could test guesses
// against.
var inputsKey = func() []byte {
	k := make([]byte, 32)
	_, _ = rand.Read(k)
	return k
}()

// fingerprint identifies everything one login sends or depends on — the
// login address, username, method, client id, API version, proxy, CA
// file, timeout and every secret — as an HMAC, so an Outcome can tell
// whether it is the answer for given inputs without keeping them (it is
// printed in logs and tests; a secret must not be).
type fingerprint [sha256.Size]byte

// fingerprintOf returns the fingerprint of one attempt's inputs.
func fingerprintOf(p credstore.Profile, s credstore.Secrets, timeout time.Duration) fingerprint {
	m := hmac.New(sha256.New, inputsKey)
	for _, v := range []string{
		p.LoginURL, p.Username, methodName(p.Method), p.ClientID, p.APIVersion, p.Proxy, p.CAFile,
		s.Password, s.SecurityToken, s.ClientSecret, s.RefreshToken, timeout.String(),
	} {
		// Length-prefixed, so no two lists of fields give the same bytes.
		n := len(v)
		m.Write([]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
		m.Write([]byte(v))
	}
	var f fingerprint
	copy(f[:], m.Sum(nil))
	return f
}

// TestedWith reports whether o is the answer of a login with exactly these
// inputs (as Test ran them, policy applied): then saving them needs no new
// login. Any change — a field, a secret, the timeout — needs one.
func (s *Service) TestedWith(o Outcome, p credstore.Profile, sec credstore.Secrets) bool {
	if !o.Checked || o.inputs == (fingerprint{}) {
		return false
	}
	p, stop := s.Prepare(p)
	if stop != nil {
		return false
	}
	return o.inputs == fingerprintOf(p, SecretsFor(p, sec), s.timeout())
}
