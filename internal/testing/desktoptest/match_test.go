package desktoptest

import "testing"

func TestFindLabel(t *testing.T) {
	text := Text{
		Lines: []string{"or enter it under Advanced > Client ID.", "» Advanced", "Close"},
		Words: []Word{
			{Text: "or", Line: 0}, {Text: "enter", Line: 0}, {Text: "it", Line: 0}, {Text: "under", Line: 0},
			{Text: "Advanced", X: 200, Y: 10, Line: 0}, {Text: ">", Line: 0}, {Text: "Client", Line: 0}, {Text: "ID.", Line: 0},
			{Text: "»", X: 20, Y: 40, Line: 1}, {Text: "Advanced", X: 40, Y: 40, Line: 1},
			{Text: "Close", X: 60, Y: 80, Line: 2},
		},
	}
	tests := []struct {
		label string
		want  Word
		ok    bool
	}{
		{"Advanced", Word{Text: "Advanced", X: 40, Y: 40, Line: 1}, true}, // the button, not the sentence
		{"Close", Word{Text: "Close", X: 60, Y: 80, Line: 2}, true},
		{"Client ID", Word{}, false}, // only inside a sentence
	}
	for _, tt := range tests {
		got, ok := text.FindLabel(tt.label)
		if ok != tt.ok || got != tt.want {
			t.Errorf("FindLabel(%q) = %+v, %v; want %+v, %v", tt.label, got, ok, tt.want, tt.ok)
		}
	}
	if w, _ := text.Find("Advanced"); w.Line != 0 {
		t.Errorf("Find(Advanced) = %+v: the first mention, as before", w)
	}
}
