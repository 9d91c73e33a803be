//go:build integration

package e2e

import (
	"bytes"
	"image/png"
	"testing"

	"github.com/advologix/advologix-connect/assets"
)

// TestIconColour: the tray icons read as what they show; the grey one's
// few anti-aliased coloured pixels do not make it green.
func TestIconColour(t *testing.T) {
	for _, tt := range []struct {
		name string
		png  []byte
		want string
	}{
		{"ok", assets.TrayOK.Content(), "green"},
		{"failing", assets.TrayFailing.Content(), "red"},
		{"unknown", assets.TrayUnknown.Content(), "grey"},
	} {
		img, err := png.Decode(bytes.NewReader(tt.png))
		if err != nil {
			t.Fatal(err)
		}
		if got := iconColour(img); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
}
