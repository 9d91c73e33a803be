package connection

// This file holds the saved state every face of the app describes: the saved
// profiles and, for each, the verdict of the last test of exactly its saved
// inputs (credstore's verdicts.json). The tray, the window and `status` all
// read it through LoadState; a test of unsaved inputs never changes it.

import (
	"context"
	"encoding/json"
	"time"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/sfclient"
)

// VerdictStore is the part of credstore.Store that keeps verdicts. The
// Service records verdicts only when its Store has it.
type VerdictStore interface {
	Verdicts() (map[string]credstore.Verdict, error)
	RecordVerdict(ctx context.Context, v credstore.Verdict) error
	SaveWithVerdict(ctx context.Context, p credstore.Profile, sec credstore.Secrets, v credstore.Verdict) error
}

// Tested is what is known of a saved profile's login.
type Tested int

// What is known of a saved profile's login.
const (
	NotTested        Tested = iota // saved, never tested as saved
	ChangedSinceTest               // saved again after its last test
	Connected                      // the last test of the saved inputs worked
	Failing                        // Salesforce refused the saved inputs
)

// String is the word status --json uses.
func (t Tested) String() string {
	return [...]string{"not_tested", "changed_since_test", "connected", "failing"}[t]
}

// ProfileState is one saved profile and what is known of its login.
type ProfileState struct {
	Profile credstore.Profile
	Default bool
	Tested  Tested
	// At and Result are the last verdict's (zero when NotTested).
	At     time.Time
	Result sfclient.Result
}

// State is the saved state: the profiles, the default one, their verdicts.
type State struct {
	Default  string
	Profiles []ProfileState
	// Err is why the settings could not be read (nothing else is set).
	Err error
}

// StateStore is what LoadState reads; verdicts come along when the store
// is a VerdictStore.
type StateStore interface {
	Load() (credstore.Settings, error)
}

// LoadState reads the saved profiles and their verdicts. It does not
// touch the keychain, so it is cheap enough to run on every change of the
// files.
func LoadState(st StateStore) State {
	s, err := st.Load()
	if err != nil {
		return State{Err: err}
	}
	var verdicts map[string]credstore.Verdict
	if vs, ok := st.(VerdictStore); ok {
		verdicts, _ = vs.Verdicts() // unreadable: nothing is known
	}
	out := State{Default: s.Default}
	for _, p := range s.Profiles {
		ps := ProfileState{Profile: p, Default: p.Name == s.Default}
		if v, ok := verdicts[p.Name]; ok {
			ps.At = v.At
			ps.Result = decodeResult(v)
			switch {
			case !v.About(p):
				ps.Tested = ChangedSinceTest
			case v.OK:
				ps.Tested = Connected
			default:
				ps.Tested = Failing
			}
		}
		out.Profiles = append(out.Profiles, ps)
	}
	return out
}

// Profile returns the state of profile name ("": the default).
func (s State) Profile(name string) (ProfileState, bool) {
	if name == "" {
		name = s.Default
	}
	for _, p := range s.Profiles {
		if p.Profile.Name == name {
			return p, true
		}
	}
	return ProfileState{}, false
}

// storedResult is a result as a verdict keeps it: with the fields for
// people that sfclient's JSON leaves out. It holds no secret.
type storedResult struct {
	sfclient.Result
	Headline string         `json:"headline"`
	Suspect  sfclient.Field `json:"suspect"`
	Warnings []string       `json:"warnings,omitempty"`
}

// verdictOf is the verdict an outcome gives on its profile's saved inputs,
// or false when it gives none: no login was made, it was cancelled, or
// Salesforce could not be reached (that says nothing of the inputs).
func verdictOf(o Outcome) (credstore.Verdict, bool) {
	if !o.Checked || o.Code == sfclient.CodeCanceled || o.Kind() == KindConnection {
		return credstore.Verdict{}, false
	}
	r := o.Result
	b, err := json.Marshal(storedResult{Result: r, Headline: r.Headline, Suspect: r.Suspect, Warnings: r.Warnings})
	if err != nil {
		return credstore.Verdict{}, false
	}
	return credstore.Verdict{Profile: o.Profile.Name, Generation: o.Profile.Generation, At: time.Now().UTC(), OK: r.OK, Result: b}, true
}

// decodeResult reads a verdict's result; what cannot be read is only its
// OK.
func decodeResult(v credstore.Verdict) sfclient.Result {
	var sr storedResult
	if json.Unmarshal(v.Result, &sr) != nil {
		return sfclient.Result{OK: v.OK}
	}
	r := sr.Result
	r.OK = v.OK
	r.Headline, r.Suspect, r.Warnings = sr.Headline, sr.Suspect, sr.Warnings
	return r
}

// recordVerdict keeps the verdict of a test of saved profile o.Profile,
// when the store keeps verdicts and the profile was not saved again
// meanwhile.
func (s *Service) recordVerdict(ctx context.Context, o Outcome) {
	vs, ok := s.Store.(VerdictStore)
	if !ok {
		return
	}
	if v, ok := verdictOf(o); ok {
		_ = vs.RecordVerdict(ctx, v) // ErrChanged: the test is of inputs no longer saved
	}
}
