package credstore

import (
	"strings"
	"testing"
	"time"
)

func TestParseCheckInterval(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    time.Duration
		wantErr bool
	}{
		{"", 0, false},
		{"off", -1, false},
		{"30m", 30 * time.Minute, false},
		{"2h", 2 * time.Hour, false},
		{"1ns", time.Nanosecond, false},
		{"90s", 90 * time.Second, false},
		{"0s", 0, true},
		{"0", 0, true},
		{"-5m", 0, true},
		{"soon", 0, true},
		{"30", 0, true},
		{"Off", 0, true},
		{" 30m", 0, true},
		{"never", 0, true},
	} {
		got, err := ParseCheckInterval(tc.in)
		if got != tc.want || (err != nil) != tc.wantErr {
			t.Errorf("ParseCheckInterval(%q) = %v, %v; want %v, error %v", tc.in, got, err, tc.want, tc.wantErr)
		}
		if err != nil && !strings.Contains(err.Error(), "not a duration") {
			t.Errorf("ParseCheckInterval(%q): error %q does not say what is wanted", tc.in, err)
		}
	}
}
