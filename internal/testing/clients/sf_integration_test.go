//go:build integration

package clients_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/advologix/advologix-connect/internal/testing/testfix"
)

// TestSalesforceCLI runs the README's Salesforce CLI recipe (sf/query.sh):
// sf 2, under the Node.js 22 of the npm registry's `node` package, logs in
// with `sf org login access-token` from what `advologix-connect session`
// printed, and `sf data query` reads the org and the accounts. sf keeps
// its own files in the world's HOME (~/.sf, ~/.sfdx) and its key in the
// session's keyring; none of them holds the password or the token.
func TestSalesforceCLI(t *testing.T) {
	w := newWorld(t)
	install := filepath.Join(clientsDir(t), "sf")
	script, err := filepath.Abs(filepath.Join("sf", "query.sh"))
	if err != nil {
		t.Fatal(err)
	}
	requireClient(t, install, script)
	env := w.with(w.pathWith(filepath.Join(install, "node_modules", ".bin")),
		// No update checks or telemetry: the network here ends at the
		// package registries.
		"SF_AUTOUPDATE_DISABLE=true", "SF_DISABLE_TELEMETRY=true", "SF_SKIP_NEW_VERSION_CHECK=true")
	tests := []struct {
		soql  string
		total float64
		name  string
	}{
		{"SELECT Id, Name FROM Organization", 1, testfix.OrgName},
		{"SELECT Id, Name FROM Account ORDER BY Name LIMIT 1", 1, ""},
	}
	var all bytes.Buffer
	for _, tc := range tests {
		ctx, cancel := context.WithTimeout(context.Background(), clientWait)
		cmd := exec.CommandContext(ctx, "sh", script, tc.soql)
		cmd.Env = env
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		cancel()
		all.Write(stdout.Bytes())
		all.Write(stderr.Bytes())
		if err != nil {
			t.Fatalf("sf recipe %q: %v\n%s%s", tc.soql, err, stdout.String(), stderr.String())
		}
		var got struct {
			Status int `json:"status"`
			Result struct {
				TotalSize float64          `json:"totalSize"`
				Records   []map[string]any `json:"records"`
			} `json:"result"`
		}
		if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
			t.Fatalf("sf data query --json: %v\n%s", err, stdout.String())
		}
		if got.Status != 0 || got.Result.TotalSize != tc.total || len(got.Result.Records) != int(tc.total) ||
			tc.name != "" && got.Result.Records[0]["Name"] != tc.name {
			t.Errorf("%s: %s", tc.soql, stdout.String())
		}
	}
	w.assertServed(t)
	w.assertClean(t, all.Bytes(), install, filepath.Join(clientsDir(t), "npm-cache"))
}
