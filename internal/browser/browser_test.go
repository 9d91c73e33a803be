package browser

import (
	"os"
	"reflect"
	"testing"
)

func TestCommand(t *testing.T) {
	const u = "https://login.salesforce.com/services/oauth2/authorize?x=1&y=2"
	tests := []struct {
		env, goos string
		name      string
		args      []string
	}{
		{"", "linux", "xdg-open", []string{u}},
		{"", "darwin", "open", []string{u}},
		{"", "windows", "rundll32", []string{"url.dll,FileProtocolHandler", u}},
		{"firefox", "linux", "firefox", []string{u}},
		{"firefox --new-window", "linux", "firefox", []string{"--new-window", u}},
		{"lynx -dump %s" + string(os.PathListSeparator) + "w3m", "linux", "lynx", []string{"-dump", u}},
	}
	for _, tt := range tests {
		name, args, err := command(u, tt.env, tt.goos)
		if err != nil || name != tt.name || !reflect.DeepEqual(args, tt.args) {
			t.Errorf("command(%q, %s) = %q %q %v", tt.env, tt.goos, name, args, err)
		}
	}
	if _, _, err := command(u, "", "plan9"); err == nil {
		t.Error("unknown OS without $BROWSER: want an error")
	}
}

func TestOpenRefusesOtherSchemes(t *testing.T) {
	if err := open("file:///etc/passwd", "true", "linux"); err == nil {
		t.Error("opened a file: URL")
	}
}
