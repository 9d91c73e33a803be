package desktoptest

import (
	"strings"
	"unicode"
)

// normalize lower-cases s, maps typographic quotes and dashes to ASCII
// and keeps letters, digits and single spaces: what OCR and the expected
// text can be compared on.
func normalize(s string) string {
	var b strings.Builder
	space := true
	for _, r := range strings.ToLower(s) {
		switch r {
		case '’', '‘', '`', '´':
			r = '\''
		case '“', '”':
			r = '"'
		case '—', '–':
			r = '-'
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("'@.:-", r) {
			b.WriteRune(r)
			space = false
		} else if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimSpace(b.String())
}

// Contains tells whether want appears in the text, tolerating OCR's
// usual slips: case, punctuation, spacing, and one wrong, missing or
// extra character per eight (from five characters on; shorter words must
// be read exactly, so "Jane" never passes for "John") — an approximate
// substring match.
func (t Text) Contains(want string) bool {
	if _, ok := t.match(want); !ok {
		return false
	}
	words := map[string]bool{}
	for _, line := range t.Lines {
		for _, w := range strings.Fields(normalize(line)) {
			words[strings.Trim(w, ".:-")] = true
		}
	}
	for _, w := range strings.Fields(normalize(want)) {
		if w = strings.Trim(w, ".:-"); len([]rune(w)) <= 4 && w != "" && !words[w] {
			return false
		}
	}
	return true
}

// Find returns the first word of the best match of want, if the text
// contains it (see [Text.Contains]), for clicking on it.
func (t Text) Find(want string) (Word, bool) {
	first := strings.Fields(normalize(want))
	if len(first) == 0 {
		return Word{}, false
	}
	for li, line := range t.Lines {
		if _, ok := approxIndex(normalize(line), normalize(want)); !ok {
			continue
		}
		for _, w := range t.Words {
			if w.Line == li && editDistance(normalize(w.Text), first[0]) <= len(first[0])/4 {
				return w, true
			}
		}
	}
	return Word{}, false
}

// FindLabel is Find for a control's label: the first line that holds
// want and at most one word more (an icon OCR reads as a character), so a
// button is not mistaken for the same word inside a sentence that names it.
func (t Text) FindLabel(want string) (Word, bool) {
	wf := strings.Fields(normalize(want))
	for li, line := range t.Lines {
		if len(strings.Fields(normalize(line))) > len(wf)+1 {
			continue
		}
		if w, ok := (Text{Lines: t.Lines[li : li+1], Words: lineWords(t.Words, li)}).Find(want); ok {
			w.Line = li
			return w, true
		}
	}
	return Word{}, false
}

// lineWords are the words of line li, renumbered as line 0.
func lineWords(words []Word, li int) []Word {
	var out []Word
	for _, w := range words {
		if w.Line == li {
			w.Line = 0
			out = append(out, w)
		}
	}
	return out
}

func (t Text) match(want string) (int, bool) {
	// Lines one by one first, then all joined (a phrase may wrap).
	w := normalize(want)
	for _, line := range t.Lines {
		if d, ok := approxIndex(normalize(line), w); ok {
			return d, true
		}
	}
	return approxIndex(normalize(strings.Join(t.Lines, " ")), w)
}

// approxIndex is Sellers' approximate substring match: the least edit
// distance between want and any substring of text, and whether it is
// within the tolerance.
func approxIndex(text, want string) (int, bool) {
	p, s := []rune(want), []rune(text)
	if len(p) == 0 {
		return 0, true
	}
	prev := make([]int, len(p)+1)
	cur := make([]int, len(p)+1)
	for i := range prev {
		prev[i] = i
	}
	best := prev[len(p)]
	for j := 1; j <= len(s); j++ {
		cur[0] = 0
		for i := 1; i <= len(p); i++ {
			cost := 1
			if p[i-1] == s[j-1] {
				cost = 0
			}
			cur[i] = min(prev[i-1]+cost, prev[i]+1, cur[i-1]+1)
		}
		best = min(best, cur[len(p)])
		prev, cur = cur, prev
	}
	return best, best <= (len(p)+3)/8
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j-1]+cost, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
