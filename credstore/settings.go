package credstore

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"
)

// SchemaVersion is the version of settings.json this package writes. It
// changes only for incompatible changes; new optional fields don't bump it.
const SchemaVersion = 1

// Login methods a profile can use (Profile.Method). credstore stores the
// value without checking it.
const (
	MethodSOAP          = "soap"
	MethodOAuthPassword = "oauth-password"
	MethodOAuthBrowser  = "oauth-browser"
)

// Profile is one saved Salesforce connection: everything but its secrets.
// JSON fields this version does not know are kept when the file is
// rewritten.
type Profile struct {
	// Name identifies the profile: 1 to 64 characters, no ':' and no
	// control characters; unique without regard to case.
	Name       string `json:"name"`
	LoginURL   string `json:"login_url"`
	Username   string `json:"username"`
	Method     string `json:"method"` // MethodSOAP, MethodOAuthPassword, MethodOAuthBrowser
	ClientID   string `json:"client_id,omitempty"`
	APIVersion string `json:"api_version,omitempty"`
	Proxy      string `json:"proxy,omitempty"`
	CAFile     string `json:"ca_file,omitempty"`
	// Secrets lists the secret kinds (KindPassword, ...) this profile has
	// in the keychain: names only, never values. Set by credstore.
	Secrets []string `json:"secrets,omitempty"`
	// UpdatedAt is when credstore last wrote the profile.
	UpdatedAt time.Time `json:"updated_at"`
	// Generation changes with every save of the profile (set by
	// credstore): a Verdict names the generation it is about.
	Generation uint64 `json:"generation,omitempty"`
	// SaveInterrupted is set while a save of this profile is writing its
	// keychain entries. If it is still set when the profile is read, that
	// save did not finish: the keychain may hold some old and some new
	// secrets. Test the connection or enter the credentials again.
	SaveInterrupted time.Time `json:"save_interrupted,omitzero"`
	// Retired lists secret kinds a switch of login method (Store.Switch)
	// left in the keychain to delete: the profile no longer uses them.
	// Store.Sweep deletes them. Names only, never values.
	Retired []string `json:"retired,omitempty"`

	extra map[string]json.RawMessage // fields this version doesn't know
}

// LoginMethod is the profile's login method: Method, or MethodSOAP when
// it is empty (settings written by older versions, or a caller that left
// it out). Save and SaveProfile store this, never an empty method.
func (p Profile) LoginMethod() string {
	if p.Method == "" {
		return MethodSOAP
	}
	return p.Method
}

// Interrupted reports whether the last save of the profile did not finish.
func (p Profile) Interrupted() bool { return !p.SaveInterrupted.IsZero() }

// HasSecret reports whether the profile lists kind among its secrets.
func (p Profile) HasSecret(kind string) bool { return slices.Contains(p.Secrets, kind) }

// MarshalJSON writes the known fields followed by the unknown ones.
func (p Profile) MarshalJSON() ([]byte, error) {
	type plain Profile
	return marshalKeeping(plain(p), p.extra)
}

// UnmarshalJSON reads the known fields and keeps the rest.
func (p *Profile) UnmarshalJSON(data []byte) error {
	type plain Profile
	var q plain
	extra, err := unmarshalKeeping(data, &q, profileKeys)
	if err != nil {
		return err
	}
	*p = Profile(q)
	p.extra = extra
	return nil
}

// Prefs are the application preferences kept beside the profiles.
type Prefs struct {
	// StartInTray starts the desktop app hidden in the system tray.
	StartInTray bool `json:"start_in_tray"`
	// CheckInterval is how often the tray re-tests the default profile in
	// the background, as a Go duration ("30m"); "" means the default (30
	// minutes), "off" never. [ParseCheckInterval] reads it.
	CheckInterval string `json:"check_interval,omitempty"`
	// DefaultClientID is the consumer key of the firm's connected app for
	// browser sign-in, for profiles that name none. Admins deploy it with
	// the settings file; the ADVOLOGIX_CLIENT_ID environment variable
	// overrides it.
	DefaultClientID string `json:"default_client_id,omitempty"`
}

// ParseCheckInterval reads a check interval as the settings file and the
// IT policy write it: "" is none set (0: the caller's default), "off" is
// never (-1, a negative interval), anything else a positive Go duration
// such as "30m". Other text, zero and negative durations are errors.
func ParseCheckInterval(s string) (time.Duration, error) {
	switch s {
	case "":
		return 0, nil
	case "off":
		return -1, nil
	}
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return d, nil
	}
	return 0, fmt.Errorf("%q is not a duration such as 30m, or off", s)
}

// Settings is the content of settings.json.
type Settings struct {
	Version int `json:"version"`
	// Default is the name of the profile the add-ins use, or "".
	Default  string    `json:"default"`
	Profiles []Profile `json:"profiles"`
	Prefs

	extra map[string]json.RawMessage
}

// Profile returns the profile with that exact name.
func (s Settings) Profile(name string) (Profile, bool) {
	if i := s.index(name); i >= 0 {
		return s.Profiles[i], true
	}
	return Profile{}, false
}

func (s Settings) index(name string) int {
	return slices.IndexFunc(s.Profiles, func(p Profile) bool { return p.Name == name })
}

// indexFold finds a profile whose name equals name without regard to case.
func (s Settings) indexFold(name string) int {
	return slices.IndexFunc(s.Profiles, func(p Profile) bool { return strings.EqualFold(p.Name, name) })
}

// clone returns a deep enough copy for a modify-then-write.
func (s Settings) clone() Settings {
	c := s
	c.Profiles = make([]Profile, len(s.Profiles))
	for i, p := range s.Profiles {
		p.Secrets = slices.Clone(p.Secrets)
		c.Profiles[i] = p
	}
	return c
}

// MarshalJSON writes the known fields followed by the unknown ones.
func (s Settings) MarshalJSON() ([]byte, error) {
	type plain Settings
	q := plain(s)
	if q.Profiles == nil {
		q.Profiles = []Profile{}
	}
	return marshalKeeping(q, s.extra)
}

// UnmarshalJSON reads the known fields and keeps the rest.
func (s *Settings) UnmarshalJSON(data []byte) error {
	type plain Settings
	var q plain
	extra, err := unmarshalKeeping(data, &q, settingsKeys)
	if err != nil {
		return err
	}
	*s = Settings(q)
	s.extra = extra
	return nil
}

var (
	profileKeys  = jsonKeys(reflect.TypeFor[Profile]())
	settingsKeys = jsonKeys(reflect.TypeFor[Settings]())
)

// jsonKeys lists the JSON object keys encoding/json uses for struct t.
func jsonKeys(t reflect.Type) []string {
	var keys []string
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		switch {
		case name == "-":
		case f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct:
			keys = append(keys, jsonKeys(f.Type)...)
		case !f.IsExported():
		case name != "":
			keys = append(keys, name)
		default:
			keys = append(keys, f.Name)
		}
	}
	return keys
}

// unmarshalKeeping decodes data into v and returns the object members
// whose keys v does not know. Keys are matched exactly (encoding/json alone
// would also fill a field from a key differing in case, which other
// programs see as a different member).
func unmarshalKeeping(data []byte, v any, known []string) (map[string]json.RawMessage, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	if raw == nil {
		return nil, errors.New("null where an object was expected")
	}
	extra := make(map[string]json.RawMessage)
	for k, m := range raw {
		if !slices.Contains(known, k) {
			extra[k] = m
			delete(raw, k)
		}
	}
	b, err := json.Marshal(raw)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return nil, err
	}
	if len(extra) == 0 {
		return nil, nil
	}
	return extra, nil
}

// marshalKeeping encodes v (a struct) and appends the extra members, sorted.
func marshalKeeping(v any, extra map[string]json.RawMessage) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil || len(extra) == 0 {
		return b, err
	}
	keys := make([]string, 0, len(extra))
	for k := range extra {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var buf bytes.Buffer
	buf.Write(b[:len(b)-1]) // drop '}'
	for _, k := range keys {
		if buf.Len() > 1 {
			buf.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		buf.Write(kb)
		buf.WriteByte(':')
		buf.Write(extra[k])
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// parseSettings decodes and checks settings.json. Any problem is ErrCorrupt.
func parseSettings(data []byte) (Settings, error) {
	var s Settings
	if len(bytes.TrimSpace(data)) == 0 {
		return s, fmt.Errorf("%w: the file is empty", ErrCorrupt)
	}
	if err := json.Unmarshal(data, &s); err != nil {
		return Settings{}, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if s.Version < 0 {
		return Settings{}, fmt.Errorf("%w: version %d", ErrCorrupt, s.Version)
	}
	if s.Version == 0 {
		s.Version = SchemaVersion
	}
	seen := make(map[string]bool, len(s.Profiles))
	for i, p := range s.Profiles {
		if err := ValidateName(p.Name); err != nil {
			return Settings{}, fmt.Errorf("%w: profile %d: %v", ErrCorrupt, i+1, err)
		}
		if seen[p.Name] {
			return Settings{}, fmt.Errorf("%w: profile %q appears twice", ErrCorrupt, p.Name)
		}
		seen[p.Name] = true
		for _, k := range p.Secrets {
			if validKind(k) != nil {
				return Settings{}, fmt.Errorf("%w: profile %q: unknown secret kind %q", ErrCorrupt, p.Name, k)
			}
		}
	}
	return s, nil
}

// encodeSettings returns the file content: indented JSON and a newline.
func encodeSettings(s Settings) ([]byte, error) {
	b, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}
