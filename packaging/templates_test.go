package packaging

import (
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/advologix/advologix-connect/credstore"
)

// policyNames are the registry values the app reads (credstore/policy.go).
var policyNames = []string{credstore.PolicyLoginURL, credstore.PolicyAllowedLoginHosts, credstore.PolicyClientID,
	credstore.PolicyMethods, credstore.PolicyProxy, credstore.PolicyCAFile, credstore.PolicyCheckInterval,
	credstore.PolicyStartInTray, credstore.PolicyLocked}

// multiValued are the REG_MULTI_SZ ones.
var multiValued = []string{credstore.PolicyAllowedLoginHosts, credstore.PolicyMethods, credstore.PolicyLocked}

// elements gathers every element of an XML document by local name, with
// its attributes, failing on anything that is not well-formed.
func elements(t *testing.T, path string) map[string][]map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]map[string]string{}
	dec := xml.NewDecoder(bytes.NewReader(data))
	depth := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s is not well-formed XML: %v", path, err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if depth == 0 && el.Name.Space != "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions" {
				t.Errorf("%s: root %s is not in the Group Policy namespace", path, el.Name.Local)
			}
			depth++
			attrs := map[string]string{}
			for _, a := range el.Attr {
				attrs[a.Name.Local] = a.Value
			}
			out[el.Name.Local] = append(out[el.Name.Local], attrs)
		case xml.EndElement:
			depth--
		}
	}
	if depth != 0 {
		t.Fatalf("%s: unbalanced elements", path)
	}
	return out
}

// The ADMX and its ADML are well-formed, every string and presentation the
// ADMX names exists in the ADML, every element has its box, and the
// registry values are exactly the ones the app reads, with the right types.
func TestPolicyTemplates(t *testing.T) {
	admx := elements(t, "policy/advologix-connect.admx")
	adml := elements(t, "policy/en-US/advologix-connect.adml")
	admxText, _ := os.ReadFile("policy/advologix-connect.admx")

	strs := map[string]bool{}
	for _, s := range adml["string"] {
		strs[s["id"]] = true
	}
	for _, m := range regexp.MustCompile(`\$\(string\.([A-Za-z0-9_]+)\)`).FindAllSubmatch(admxText, -1) {
		if !strs[string(m[1])] {
			t.Errorf("ADMX uses string %s, which the ADML lacks", m[1])
		}
	}
	boxes := map[string]bool{}
	presentations := map[string]bool{}
	for _, p := range adml["presentation"] {
		presentations[p["id"]] = true
	}
	for _, kind := range []string{"textBox", "multiTextBox"} {
		for _, b := range adml[kind] {
			boxes[b["refId"]] = true
		}
	}
	var valueNames []string
	for _, p := range admx["policy"] {
		if p["key"] != `SOFTWARE\Policies\AdvoLogix\Connect` || p["class"] != "Both" {
			t.Errorf("policy %s: key %q class %q", p["name"], p["key"], p["class"])
		}
		if pres := p["presentation"]; pres != "" {
			id := strings.TrimSuffix(strings.TrimPrefix(pres, "$(presentation."), ")")
			if !presentations[id] {
				t.Errorf("policy %s: presentation %s missing from the ADML", p["name"], id)
			}
		}
		if v := p["valueName"]; v != "" {
			valueNames = append(valueNames, v)
		}
	}
	for kind, multi := range map[string]bool{"text": false, "multiText": true} {
		for _, e := range admx[kind] {
			valueNames = append(valueNames, e["valueName"])
			if !boxes[e["id"]] {
				t.Errorf("element %s has no box in the ADML", e["id"])
			}
			if slices.Contains(multiValued, e["valueName"]) != multi {
				t.Errorf("%s is a %s element; the app reads it as multi-valued=%v", e["valueName"], kind, !multi)
			}
		}
	}
	sort.Strings(valueNames)
	want := slices.Clone(policyNames)
	sort.Strings(want)
	if !slices.Equal(valueNames, want) {
		t.Errorf("ADMX writes %v, the app reads %v", valueNames, want)
	}
}

// The .reg example is what regedit imports (UTF-16 multi-strings spelled
// out), under the key the app reads, with names it knows.
func TestPolicyRegExample(t *testing.T) {
	data, err := os.ReadFile("policy/advologix-connect-policy.reg")
	if err != nil {
		t.Fatal(err)
	}
	// regedit's own format: UTF-16LE with a byte-order mark.
	body, ok := bytes.CutPrefix(data, []byte{0xff, 0xfe})
	if !ok || len(body)%2 != 0 {
		t.Fatal("not UTF-16LE with a byte-order mark")
	}
	u := make([]uint16, len(body)/2)
	for i := range u {
		u[i] = uint16(body[2*i]) | uint16(body[2*i+1])<<8
	}
	text := string(utf16.Decode(u))
	if !strings.HasPrefix(text, "Windows Registry Editor Version 5.00\r\n") {
		t.Error("not a regedit 5 file with CRLF lines")
	}
	if !strings.Contains(text, `[HKEY_LOCAL_MACHINE\SOFTWARE\Policies\AdvoLogix\Connect]`) {
		t.Error("not the policy key")
	}
	values := regexp.MustCompile(`(?m)^"([a-z_]+)"=(.*)\r$`).FindAllStringSubmatch(text, -1)
	if len(values) < 5 {
		t.Fatalf("only %d values", len(values))
	}
	for _, v := range values {
		name, val := v[1], v[2]
		if !slices.Contains(policyNames, name) {
			t.Errorf("unknown value %s", name)
		}
		switch {
		case slices.Contains(multiValued, name):
			list := decodeMultiSZ(t, val)
			if name == credstore.PolicyLocked {
				for _, l := range list {
					if !slices.Contains(policyNames, l) {
						t.Errorf("locked names %q, not a setting", l)
					}
				}
			}
		case name == credstore.PolicyStartInTray:
			if !regexp.MustCompile(`^dword:0000000[01]$`).MatchString(val) {
				t.Errorf("start_in_tray = %s, want dword 0 or 1", val)
			}
		case !strings.HasPrefix(val, `"`):
			t.Errorf("%s = %s, want a string", name, val)
		}
	}
}

func decodeMultiSZ(t *testing.T, val string) []string {
	t.Helper()
	hexes, ok := strings.CutPrefix(val, "hex(7):")
	if !ok {
		t.Fatalf("%s is not hex(7)", val)
	}
	var b []byte
	for _, h := range strings.Split(hexes, ",") {
		var x byte
		for _, c := range h {
			x = x<<4 | byte(strings.IndexRune("0123456789abcdef", c))
		}
		b = append(b, x)
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
	}
	s := string(utf16.Decode(u))
	if !strings.HasSuffix(s, "\x00\x00") {
		t.Fatalf("multi-string %q lacks its double terminator", s)
	}
	return strings.Split(strings.TrimSuffix(s, "\x00\x00"), "\x00")
}
