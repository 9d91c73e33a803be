package sfclient

import (
	"slices"
	"strings"
	"unicode"
)

// CleanText makes text from a server safe to show on a terminal, in a
// window or in a notification: invalid UTF-8 becomes U+FFFD, line breaks
// and tabs become spaces, and every other control character (C0 with ESC,
// DEL, C1), format character (bidi overrides such as U+202E, zero-width
// characters) and line or paragraph separator is dropped. A server can so
// neither send terminal escapes nor reorder or hide what is shown.
func CleanText(s string) string {
	if isClean(s) {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029':
			b.WriteByte(' ')
		case unsafeRune(r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029'
}

// isClean is the fast path: printable ASCII needs no work.
func isClean(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// cleanResult applies CleanText to every text of r. It runs once where
// server text enters a Result, so every face (command line, window, tray
// notification) shows only clean text.
func cleanResult(r *Result) {
	for _, p := range []*string{&r.Message, &r.Hint, &r.Headline, &r.LoginURL, &r.InstanceURL, &r.Username, &r.UserID,
		&r.UserFullName, &r.UserEmail, &r.OrganizationID, &r.OrganizationName} {
		*p = CleanText(*p)
	}
	r.Code = Code(CleanText(string(r.Code)))
	r.LoginHistoryStatus = CleanText(r.LoginHistoryStatus)
	for i, w := range r.Warnings {
		r.Warnings[i] = CleanText(w)
	}
}

// CleanResult returns r with CleanText applied to every text, for a face
// that prints a Result: it is the last step before the text is shown, so
// nothing written into the Result after the check (a Login History
// refinement, a caller's own change) reaches a terminal uncleaned.
func CleanResult(r Result) Result {
	r.Warnings = slices.Clone(r.Warnings)
	cleanResult(&r)
	return r
}
