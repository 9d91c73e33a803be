package desktoptest

import "testing"

// tsvOf is tesseract's TSV for words on lines (block 1, paragraph 1),
// each word 10 px wide at scale 2.
func tsvOf(lines ...[]string) []byte {
	out := "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
	for li, words := range lines {
		for wi, w := range words {
			out += "5\t1\t1\t1\t" + itoa(li+1) + "\t" + itoa(wi+1) + "\t" + itoa(20*wi) + "\t" + itoa(40*li) + "\t20\t30\t90\t" + w + "\n"
		}
	}
	return []byte(out)
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}

func TestTextContains(t *testing.T) {
	text := parseTSV(tsvOf(
		[]string{"Where", "do", "you", "sign", "in", "to", "Salesforce?"},
		[]string{"Signed", "in", "as", "Jane", "Doe", "(jane@firm.example.com)"},
		[]string{"You’re", "connected"},
		[]string{"Finis"},
		[]string{"Sav"},
		[]string{">", "Test", "connection"},
	), 2)
	tests := []struct {
		want string
		ok   bool
	}{
		{"Where do you sign in to Salesforce?", true},
		{"where do you sign in to salesforce", true},
		{"Signed in as Jane Doe", true},
		{"You're connected", true},         // typographic apostrophe
		{"Finish", true},                   // one letter lost, six letters
		{"Save", false},                    // short words must be exact
		{"Test connection", true},          // after an icon read as ">"
		{"Signed in as John Doe", false},   // another user
		{"Your security token", false},     // another step
		{"Salesforce? Signed in as", true}, // a phrase across lines
		{"Connected to Salesforce", false},
	}
	for _, tt := range tests {
		if got := text.Contains(tt.want); got != tt.ok {
			t.Errorf("Contains(%q) = %v, want %v; text:\n%s", tt.want, got, tt.ok, text)
		}
	}
	w, ok := text.Find("Test connection")
	if !ok || w.Text != "Test" || w.X != 10 || w.Y != 100 || w.Width != 10 || w.Height != 15 {
		t.Errorf("Find(Test connection) = %+v, %v; want the word Test at 10,100 10×15 (boxes halved)", w, ok)
	}
	if _, ok := text.Find("Quit"); ok {
		t.Error("Find(Quit) found a word that is not there")
	}
}
