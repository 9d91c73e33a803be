package connection

import (
	"context"

	"github.com/advologix/advologix-connect/credstore"
)

// The shared session path needs the cached session and the profile's
// lock from every store a program uses.
var (
	_ SessionCache = (*credstore.Store)(nil)
	_ SessionCache = (*ScrubbingStore)(nil)
)

// CachedSession reads the cached session and registers its access token,
// so that no text the run shows afterwards holds it.
func (s *ScrubbingStore) CachedSession(ctx context.Context, name string) (credstore.CachedSession, bool, error) {
	c, ok, err := s.Store.CachedSession(ctx, name)
	s.Scrub.Add(c.AccessToken)
	return c, ok, err
}

// SaveCachedSession registers the session's access token, then saves it.
func (s *ScrubbingStore) SaveCachedSession(ctx context.Context, name string, c credstore.CachedSession) error {
	s.Scrub.Add(c.AccessToken)
	return s.Store.SaveCachedSession(ctx, name, c)
}
