package connection

import "github.com/advologix/advologix-connect/credstore"

// The shared session path needs the cached session and the profile's
// lock from every store a program uses. ScrubbingStore does not register
// the cached access token with its Scrubber: `session` prints that token
// on standard output, which the command line scrubs too.
var (
	_ SessionCache = (*credstore.Store)(nil)
	_ SessionCache = (*ScrubbingStore)(nil)
)
