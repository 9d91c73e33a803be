package sfclient

import "testing"

func TestNewestUpTo(t *testing.T) {
	tests := []struct {
		name, body, want string
		ok               bool
	}{
		{"newest listed", `[{"version":"64.0"},{"version":"65.0"},{"version":"66.0"}]`, "66.0", true},
		{"newer than the app knows", `[{"version":"65.0"},{"version":"66.0"},{"version":"67.0"}]`, "66.0", true},
		{"older org", `[{"version":"61.0"},{"version":"62.0"}]`, "62.0", true},
		{"unordered", `[{"version":"62.0"},{"version":"58.0"}]`, "62.0", true},
		{"only newer", `[{"version":"70.0"}]`, "", false},
		{"not a list", `{"version":"66.0"}`, "", false},
		{"unreadable entry", `[{"version":"66.0"},{"version":"x"}]`, "", false},
		{"empty", `[]`, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := newestUpTo([]byte(tc.body), NewestAPIVersion)
			if got != tc.want || ok != tc.ok {
				t.Errorf("newestUpTo = %q, %v; want %q, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}
