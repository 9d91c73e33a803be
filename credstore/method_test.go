package credstore

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSaveStoresTheMethod: a profile saved without a method is stored as
// what it is (SOAP login), never as "method": "" in settings.json.
func TestSaveStoresTheMethod(t *testing.T) {
	tests := []struct {
		name, method, want string
	}{
		{"empty is soap", "", MethodSOAP},
		{"soap", MethodSOAP, MethodSOAP},
		{"oauth password", MethodOAuthPassword, MethodOAuthPassword},
		{"browser", MethodOAuthBrowser, MethodOAuthBrowser},
	}
	for _, tt := range tests {
		for _, via := range []string{"Save", "SaveProfile"} {
			t.Run(tt.name+"/"+via, func(t *testing.T) {
				dir := t.TempDir()
				s := openTest(t, dir, newMem())
				p := prof("p")
				p.Method = tt.method
				if via == "Save" {
					mustSave(t, s, p, Secrets{})
				} else {
					mustSave(t, s, prof("p"), Secrets{})
					if err := s.SaveProfile(p); err != nil {
						t.Fatal(err)
					}
				}
				got, err := s.Profile("p")
				if err != nil {
					t.Fatal(err)
				}
				if got.Method != tt.want {
					t.Errorf("method %q read back, want %q", got.Method, tt.want)
				}
				raw, err := os.ReadFile(filepath.Join(dir, "settings.json"))
				if err != nil {
					t.Fatal(err)
				}
				if strings.Contains(string(raw), `"method": ""`) || strings.Contains(string(raw), `"method":""`) {
					t.Errorf("settings.json stores an empty method:\n%s", raw)
				}
			})
		}
	}
}
