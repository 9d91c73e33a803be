package sfclient

import (
	"net/url"
	"strings"
	"unicode"
)

// Redacted stands for a proxy's user name and password wherever a proxy
// setting is shown.
const Redacted = "[credentials redacted]"

// RedactProxy shows a proxy setting without its user name or password, in
// either form people write it: a URL ("http://user:pw@proxy:8080") or
// scheme-less ("user:pw@proxy:8080", as HTTPS_PROXY and hand-edited
// settings hold it; url.Parse reads the user name as a scheme there and
// url.URL.Redacted shows the password). Everything between the scheme, if
// any, and the last "@" is hidden, so a password holding "@" or "/" is
// hidden too. It is the one redaction of proxy credentials: errors,
// diagnose's lines and check's messages all use it.
func RedactProxy(s string) string {
	at := strings.LastIndex(s, "@")
	if at < 0 {
		return s
	}
	start := 0
	if i := strings.Index(s, "://"); i > 0 && i < at && isScheme(s[:i]) {
		start = i + len("://")
	}
	return s[:start] + Redacted + s[at:]
}

// isScheme reports whether s is a URL scheme (RFC 3986: a letter, then
// letters, digits, "+", "-", "."): "u:p" in "u:p://x@proxy" is not one.
func isScheme(s string) bool {
	for i, r := range s {
		letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if !letter && (i == 0 || !(r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.')) {
			return false
		}
	}
	return s != ""
}

// RedactText applies RedactProxy to every word of a text that holds an
// "@" (an error message quoting a proxy setting, e.g. url.Parse's
// `parse "user:pw@proxy:8080": …`). Words end at spaces, quotes, brackets,
// commas, semicolons and "=".
func RedactText(s string) string {
	if !strings.Contains(s, "@") {
		return s
	}
	var b strings.Builder
	word := func(r rune) bool { return !unicode.IsSpace(r) && !strings.ContainsRune("\"'`()<>[],;=", r) }
	for len(s) > 0 {
		i := strings.IndexFunc(s, word)
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		s = s[i:]
		j := strings.IndexFunc(s, func(r rune) bool { return !word(r) })
		if j < 0 {
			j = len(s)
		}
		b.WriteString(RedactProxy(s[:j]))
		s = s[j:]
	}
	return b.String()
}

// ProxyCredentials returns the secret parts of a proxy setting in either
// form it is written ("http://user:pw@host", "user:pw@host"): the whole
// user information, its password, and the password unescaped, those that
// are not empty. Redaction by value (diagnose, the CLI's scrubber) uses
// it; RedactProxy hides the same span by position.
func ProxyCredentials(proxy string) []string {
	at := strings.LastIndex(proxy, "@")
	if at < 0 {
		return nil
	}
	info := proxy[:at]
	if i := strings.Index(info, "://"); i >= 0 {
		info = info[i+len("://"):]
	}
	out := []string{info}
	if _, pw, ok := strings.Cut(info, ":"); ok && pw != "" {
		out = append(out, pw)
		if u, err := url.PathUnescape(pw); err == nil && u != pw {
			out = append(out, u)
		}
	}
	return out
}
