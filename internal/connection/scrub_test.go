package connection_test

import (
	"strings"
	"testing"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
)

func TestScrubberText(t *testing.T) {
	sc := connection.NewScrubber()
	sc.AddSecrets(credstore.Secrets{Password: `P&ss<w "1"`, SecurityToken: "Tok3nTok3n", RefreshToken: "5Aep861refresh", ClientSecret: "abc"})
	sc.AddProxy("http://proxyuser:Pr%40xyPw@proxy:8080")
	const r = connection.Scrubbed
	tests := []struct{ in, want string }{
		{`You sent: P&ss<w "1"Tok3nTok3n`, "You sent: " + r},
		{"token 5Aep861refresh.", "token " + r + "."},
		{"form password=P%26ss%3Cw+%221%22", "form password=" + r},
		{"xml P&amp;ss&lt;w &#34;1&#34;", "xml " + r},
		{"zero-width Tok3n\u200bTok3n", "zero-width " + r},
		{"esc \x1b[31mred", "esc [31mred"},
		{"proxy http://proxyuser:Pr%40xyPw@proxy:8080 and Pr@xyPw", "proxy http://" + r + "@proxy:8080 and " + r},
		{"short secrets stay: abc", "short secrets stay: abc"},
		{"jane@firm.example.com", "jane@firm.example.com"},
	}
	for _, tt := range tests {
		if got := sc.Text(tt.in); got != tt.want {
			t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	var none *connection.Scrubber
	if got := none.Text("a\u202eb"); got != "ab" {
		t.Errorf("nil Scrubber: %q", got)
	}
}

func TestScrubCopiesDeep(t *testing.T) {
	sc := connection.NewScrubber()
	sc.Add("S3cretValue")
	type inner struct{ Note string }
	type outer struct {
		Msg   string
		List  []string
		Map   map[string]string
		Ptr   *inner
		Any   any
		plain string
	}
	in := outer{Msg: "m S3cretValue", List: []string{"S3cretValue"}, Map: map[string]string{"k": "S3cretValue"},
		Ptr: &inner{Note: "S3cretValue"}, Any: inner{Note: "x S3cretValue"}, plain: "kept"}
	out := connection.Scrub(sc, in)
	if strings.Contains(out.Msg+out.List[0]+out.Map["k"]+out.Ptr.Note+out.Any.(inner).Note, "S3cret") || out.plain != "kept" {
		t.Errorf("scrubbed = %+v", out)
	}
	if in.List[0] != "S3cretValue" || in.Ptr.Note != "S3cretValue" || in.Map["k"] != "S3cretValue" {
		t.Error("Scrub changed its input")
	}
}
