package sftest

import (
	"crypto/rand"
	"math/big"
	"strings"
)

const (
	alnum        = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	sessionChars = alnum + "._"
)

// randomString returns n characters drawn uniformly from alphabet using
// crypto/rand.
func randomString(n int, alphabet string) string {
	var b strings.Builder
	b.Grow(n)
	max := big.NewInt(int64(len(alphabet)))
	for range n {
		i, err := rand.Int(rand.Reader, max)
		if err != nil {
			panic("sftest: crypto/rand failed: " + err.Error())
		}
		b.WriteByte(alphabet[i.Int64()])
	}
	return b.String()
}

// newSecurityToken returns a token shaped like Salesforce's: 24
// case-sensitive alphanumeric characters.
func newSecurityToken() string { return randomString(24, alnum) }

// id18 extends a 15-character case-sensitive Salesforce ID with its
// 3-character case-insensitivity checksum. Other lengths are returned as is.
func id18(id string) string {
	if len(id) != 15 {
		return id
	}
	const table = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
	suffix := make([]byte, 3)
	for chunk := range 3 {
		flags := 0
		for j := range 5 {
			c := id[chunk*5+j]
			if c >= 'A' && c <= 'Z' {
				flags |= 1 << j
			}
		}
		suffix[chunk] = table[flags]
	}
	return id + string(suffix)
}

// id15 returns the case-sensitive 15-character form of an ID.
func id15(id string) string {
	if len(id) == 18 {
		return id[:15]
	}
	return id
}

// newID returns a fresh 18-character ID with the given 3-character key
// prefix (005 user, 00D organization, 00e profile).
func newID(prefix string) string {
	return id18(prefix + "Hn00000" + randomString(5, alnum))
}
