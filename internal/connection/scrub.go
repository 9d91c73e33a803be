package connection

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/sfclient"
)

// Scrubbed stands for a secret wherever output would have shown it.
const Scrubbed = "[secret redacted]"

// minSecret is the shortest text a Scrubber hides: shorter ones would
// blank out ordinary words and hide nothing worth guessing.
const minSecret = 4

// Scrubber is the one scrub of everything a run shows: it collects every
// secret the run holds or reads (password, security token, both
// concatenated, refresh token, client secret, proxy credentials), as the
// Service and the command line read them, and Text removes them, with
// server text cleaned (sfclient.CleanText). A nil *Scrubber still cleans.
// It is safe for concurrent use.
type Scrubber struct {
	mu      sync.Mutex
	secrets []string // and their encoded forms, longest first
}

// NewScrubber returns an empty Scrubber.
func NewScrubber() *Scrubber { return &Scrubber{} }

// Add registers secrets, with the forms a server or an encoder may echo
// them in (URL query, HTML/XML, JSON escapes).
func (s *Scrubber) Add(secrets ...string) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range secrets {
		if len(v) < minSecret {
			continue
		}
		js, _ := json.Marshal(v)
		for _, form := range []string{v, url.QueryEscape(v), url.PathEscape(v), html.EscapeString(v), strings.Trim(string(js), `"`), sfclient.CleanText(v)} {
			if len(form) >= minSecret && !slices.Contains(s.secrets, form) {
				s.secrets = append(s.secrets, form)
			}
		}
	}
	slices.SortFunc(s.secrets, func(a, b string) int { return len(b) - len(a) })
}

// AddSecrets registers a profile's secrets, and the password and security
// token concatenated as a login sends them.
func (s *Scrubber) AddSecrets(sec credstore.Secrets) {
	s.Add(sec.Password+sec.SecurityToken, sec.Password, sec.SecurityToken, sec.RefreshToken, sec.ClientSecret)
}

// AddProxy registers the user name and password of a proxy setting, in
// either form it is written ("http://user:pw@host", "user:pw@host").
func (s *Scrubber) AddProxy(proxy string) {
	s.Add(sfclient.ProxyCredentials(proxy)...)
}

// Text returns t cleaned (sfclient.CleanText) with every registered
// secret replaced by Scrubbed. Cleaning comes first, so a secret broken up
// by invisible characters is whole again when it is looked for. Proxy
// credentials are hidden as registered secrets (AddProxy), not by
// sfclient.RedactText, which would also hide the name part of every
// e-mail address, usernames included.
func (s *Scrubber) Text(t string) string {
	return s.Raw(sfclient.CleanText(t))
}

// Raw replaces every registered secret in t, leaving line breaks and
// the rest as they are: for a stream of finished output.
func (s *Scrubber) Raw(t string) string {
	if s == nil {
		return t
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range s.secrets {
		t = strings.ReplaceAll(t, v, Scrubbed)
	}
	return t
}

// Scrub returns a copy of v in which every string, in every exported
// field, slice, map and pointer it holds, has been through s.Text.
func Scrub[T any](s *Scrubber, v T) T {
	in := reflect.ValueOf(&v).Elem()
	out := reflect.New(in.Type()).Elem()
	scrubValue(s, out, in)
	return out.Interface().(T)
}

func scrubValue(s *Scrubber, dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.String:
		dst.SetString(s.Text(src.String()))
	case reflect.Struct:
		dst.Set(src) // unexported fields as they are
		for i := range src.NumField() {
			if dst.Field(i).CanSet() {
				scrubValue(s, dst.Field(i), src.Field(i))
			}
		}
	case reflect.Pointer:
		if src.IsNil() {
			return
		}
		p := reflect.New(src.Type().Elem())
		scrubValue(s, p.Elem(), src.Elem())
		dst.Set(p)
	case reflect.Slice:
		if src.IsNil() {
			return
		}
		l := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		for i := range src.Len() {
			scrubValue(s, l.Index(i), src.Index(i))
		}
		dst.Set(l)
	case reflect.Array:
		for i := range src.Len() {
			scrubValue(s, dst.Index(i), src.Index(i))
		}
	case reflect.Map:
		if src.IsNil() {
			return
		}
		m := reflect.MakeMapWithSize(src.Type(), src.Len())
		for it := src.MapRange(); it.Next(); {
			k := reflect.New(src.Type().Key()).Elem()
			scrubValue(s, k, it.Key())
			v := reflect.New(src.Type().Elem()).Elem()
			scrubValue(s, v, it.Value())
			m.SetMapIndex(k, v)
		}
		dst.Set(m)
	case reflect.Interface:
		if src.IsNil() {
			return
		}
		v := reflect.New(src.Elem().Type()).Elem()
		scrubValue(s, v, src.Elem())
		dst.Set(v)
	default:
		dst.Set(src)
	}
}

// ScrubbingStore is a credential store that registers every secret read
// from it, or written into it, with Scrub, so that what the run shows
// afterwards can hide them.
type ScrubbingStore struct {
	*credstore.Store
	Scrub *Scrubber
}

// Secrets reads the profile's secrets and registers them, with the
// credentials of the profile's proxy.
func (s *ScrubbingStore) Secrets(ctx context.Context, name string) (credstore.Secrets, error) {
	sec, err := s.Store.Secrets(ctx, name)
	s.Scrub.AddSecrets(sec)
	if p, perr := s.Store.Profile(name); perr == nil {
		s.Scrub.AddProxy(p.Proxy)
	}
	if err != nil {
		return sec, fmt.Errorf("read the secrets of profile %q: %w", name, err)
	}
	return sec, nil
}

// UpdateSecret registers value, then saves it.
func (s *ScrubbingStore) UpdateSecret(ctx context.Context, name, kind, value string) error {
	s.Scrub.Add(value)
	return s.Store.UpdateSecret(ctx, name, kind, value)
}
