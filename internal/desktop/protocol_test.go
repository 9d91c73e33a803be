package desktop

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestEncodeDecode(t *testing.T) {
	for _, tc := range []struct {
		msg  Message
		line string
	}{
		{Message{Kind: Show}, "show\n"},
		{Message{Kind: Quit}, "quit\n"},
		{Message{Kind: Show, Profile: "default"}, `show {"profile":"default"}` + "\n"},
		{Message{Kind: Show, Profile: "Büro <Köln> & \"Partner\""}, `show {"profile":"Büro \u003cKöln\u003e \u0026 \"Partner\""}` + "\n"},
	} {
		b, err := tc.msg.Encode()
		if err != nil || string(b) != tc.line {
			t.Errorf("Encode(%+v) = %q, %v; want %q", tc.msg, b, err, tc.line)
			continue
		}
		got, err := Decode([]byte(strings.TrimSuffix(tc.line, "\n")))
		if err != nil || got != tc.msg {
			t.Errorf("Decode(%q) = %+v, %v; want %+v", tc.line, got, err, tc.msg)
		}
	}
}

func TestEncodeRefuses(t *testing.T) {
	for _, m := range []Message{
		{Kind: "result"},
		{Kind: "seen", Profile: "default"},
		{Kind: Quit, Profile: "default"},
		{Kind: Show, Profile: "bad\nname"},
		{Kind: Show, Profile: strings.Repeat("x", 65)},
	} {
		if b, err := m.Encode(); err == nil {
			t.Errorf("Encode(%+v) = %q, want an error", m, b)
		}
	}
}

func TestDecodeRejects(t *testing.T) {
	for _, line := range []string{
		"",
		"show ",
		"SHOW",
		"quit now",
		"quit ",
		"result {}",
		`seen {"profile":"default","ok":true}`,
		"show {",
		`show {"profile":""}`,
		`show {"profile":"a:b"}`,
		`show {"profile":"x\u0007"}`,
		`show {"profile":"default","extra":1}`,
		`show {"profile":"default"} {"profile":"other"}`,
		`show {"profile":"default"}garbage`,
		`show ["default"]`,
		`show null`,
		"show \xff\xfe",
		"show {\"profile\":\"" + strings.Repeat("x", 600) + "\"}",
	} {
		if m, err := Decode([]byte(line)); !errors.Is(err, ErrMessage) {
			t.Errorf("Decode(%.40q) = %+v, %v; want ErrMessage", line, m, err)
		}
	}
}

func TestReadSkipsWhatIsNotAMessage(t *testing.T) {
	input := strings.Join([]string{
		"show",
		"hostile " + strings.Repeat("A", 100000), // far over MaxLine
		`show {"profile":"second"}`,
		"result {\"profile\":\"x\"}",
		"\x00\x01",
		"quit",
		"show", // after quit: still read; the caller decides
		"quit", // a last line without its newline is not a message
	}, "\n")
	var got []Message
	if err := Read(strings.NewReader(input), func(m Message) { got = append(got, m) }); err != nil {
		t.Fatal(err)
	}
	want := []Message{{Kind: Show}, {Kind: Show, Profile: "second"}, {Kind: Quit}, {Kind: Show}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Read = %+v, want %+v", got, want)
	}
}

func TestServeQuitsOnceAtQuitOrEnd(t *testing.T) {
	for _, input := range []string{"quit\n", "", "show\n", "quit\nquit\n"} {
		quits := 0
		var shown []string
		Serve(strings.NewReader(input), func(p string) { shown = append(shown, p) }, func() { quits++ })
		if quits != 1 {
			t.Errorf("input %q: %d quits, want 1", input, quits)
		}
	}
}
