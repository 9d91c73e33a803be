//go:build integration

package e2e

import (
	"strings"
	"testing"
)

// strayOutput are what no GUI process of the app may ever print: a Go
// panic, and Fyne's own error log lines (for example "Fyne error:
// Preferences load error").
var strayOutput = []string{"panic", "Fyne error"}

// assertCleanOutput fails t when the output of a process the test started
// (stdout and stderr together) holds a panic or a Fyne error. Every
// process started with startProcess is checked when it ends.
func assertCleanOutput(t *testing.T, name string, output string) {
	t.Helper()
	for _, bad := range strayOutput {
		if strings.Contains(output, bad) {
			t.Errorf("%s printed %q:\n%s", name, bad, output)
			return
		}
	}
}
