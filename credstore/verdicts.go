package credstore

// This file holds the verdicts: the last answer Salesforce gave to a test of
// each saved profile exactly as saved, kept beside settings.json in
// verdicts.json so that every process (the tray, a window, the command line)
// reads the same one. A verdict names the generation of the profile it is
// about; a later save gives the profile a new generation, and the verdict
// then no longer applies ("not tested since the last change"). A test of
// inputs that were not saved never writes a verdict.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"time"
)

// ErrChanged: a verdict is about a generation of the profile that is no
// longer the saved one (it was saved again, renamed or deleted meanwhile).
var ErrChanged = errors.New("the profile changed since it was tested")

// Verdict is the answer to one test of a saved profile. It holds no
// secret: Result is the connection package's encoding of the login's
// answer (who, where, the code and headline), which credstore stores
// without reading it.
type Verdict struct {
	Profile string `json:"profile"`
	// Generation is the profile's Generation when it was tested.
	Generation uint64    `json:"generation"`
	At         time.Time `json:"at"`
	// OK is the login worked; Result says more.
	OK     bool            `json:"ok"`
	Result json.RawMessage `json:"result,omitempty"`
}

// About reports whether v is the verdict on p as saved now.
func (v Verdict) About(p Profile) bool { return v.Profile == p.Name && v.Generation == p.Generation }

// verdictsFile is the content of verdicts.json.
type verdictsFile struct {
	Version  int                `json:"version"`
	Verdicts map[string]Verdict `json:"verdicts"`
}

// VerdictsPath is the path of verdicts.json, beside settings.json.
func (s *Store) VerdictsPath() string { return filepath.Join(s.dir, "verdicts.json") }

// Verdicts returns the last verdict per profile name. A missing file is
// none; a damaged one is none too (verdicts are a cache of answers: the
// next test writes a good file), but an insecure or oversized one is an
// error, as for settings.json. Compare with the profile (Verdict.About):
// a verdict on an older generation is stale.
func (s *Store) Verdicts() (map[string]Verdict, error) {
	b, err := readSettings(s.dir, s.VerdictsPath())
	if notExist(err) {
		return map[string]Verdict{}, nil
	}
	if err != nil {
		return nil, &SettingsError{Path: s.VerdictsPath(), Op: "read", Err: err}
	}
	return parseVerdicts(b), nil
}

func parseVerdicts(b []byte) map[string]Verdict {
	var f verdictsFile
	if json.Unmarshal(b, &f) != nil || f.Verdicts == nil {
		return map[string]Verdict{}
	}
	for name, v := range f.Verdicts {
		if v.Profile != name {
			delete(f.Verdicts, name)
		}
	}
	return f.Verdicts
}

// RecordVerdict stores v as the verdict on its profile, when that profile
// is still saved at v.Generation; otherwise it stores nothing and returns
// ErrChanged (the test was of inputs that are no longer the saved ones).
func (s *Store) RecordVerdict(ctx context.Context, v Verdict) error {
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, cancel := context.WithTimeout(ctx, s.saveTimeout)
	defer cancel()
	return s.locked(ctx, func() error {
		st, err := s.Load()
		if err != nil {
			return err
		}
		p, ok := st.Profile(v.Profile)
		if !ok || p.Generation != v.Generation {
			return fmt.Errorf("verdict on profile %q: %w", v.Profile, ErrChanged)
		}
		return s.writeVerdict(st, v)
	})
}

// SaveWithVerdict is Save, and in the same locked change the verdict of
// the test that preceded it: the tested inputs are the saved ones. Only
// v's OK, At and Result are used; the profile and generation are the ones
// written.
func (s *Store) SaveWithVerdict(ctx context.Context, p Profile, sec Secrets, v Verdict) error {
	return s.save(ctx, p, sec, &v)
}

// writeVerdict replaces verdicts.json with its verdicts on the profiles in
// st, plus v. Call it only inside locked.
func (s *Store) writeVerdict(st Settings, v Verdict) error {
	path := s.VerdictsPath()
	all := map[string]Verdict{}
	if b, err := readSettings(s.dir, path); err == nil {
		all = parseVerdicts(b)
	} else if !notExist(err) {
		return &SettingsError{Path: path, Op: "read", Err: err}
	}
	for name := range all {
		if _, ok := st.Profile(name); !ok {
			delete(all, name)
		}
	}
	if v.At.IsZero() {
		v.At = s.now().UTC()
	}
	all[v.Profile] = v
	b, err := json.Marshal(verdictsFile{Version: 1, Verdicts: all})
	if err != nil {
		return &SettingsError{Path: path, Op: "write", Err: err}
	}
	var out bytes.Buffer
	_ = json.Indent(&out, b, "", "  ")
	out.WriteByte('\n')
	if err := writeFileAtomic(path, out.Bytes()); err != nil {
		return &SettingsError{Path: path, Op: "write", Err: err}
	}
	return nil
}

// nextGeneration is the generation of a profile saved over old (zero:
// new): larger than old's, and for a new profile unlike any earlier
// profile of the same name (a verdict left from a deleted one must not
// apply to it).
func (s *Store) nextGeneration(old uint64) uint64 {
	return max(old+1, uint64(s.now().UnixNano()))
}
