// Command sessiongo is the README's Go recipe, run by make test
// (internal/testing/clients): a Go program that nobody here wrote the
// Salesforce client of (github.com/simpleforce/simpleforce) gets its
// session from `advologix-connect session --json` and nothing else.
//
// When Salesforce answers INVALID_SESSION_ID (the session ended), it asks
// for a new session, once, and repeats the request. It prints one JSON line
// per step on standard output, never a token. Before the last step it
// prints {"step":"expire"} and waits for a line on standard input, or its
// end: the test ends the session in between. It is a module of its own so
// that the app's go.mod does not gain the client.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"

	"github.com/simpleforce/simpleforce"
)

// session is the part of `advologix-connect session --json` (schema
// version 1) that this program reads.
type session struct {
	AccessToken   string `json:"access_token"`
	InstanceURL   string `json:"instance_url"`
	APIVersion    string `json:"api_version"`
	UserID        string `json:"user_id"`
	SchemaVersion int    `json:"schema_version"`
}

// newSession runs `advologix-connect session --json` for the profile in
// ADVOLOGIX_PROFILE (else the default one).
func newSession() (session, error) {
	args := []string{"session", "--json"}
	if p := os.Getenv("ADVOLOGIX_PROFILE"); p != "" {
		args = append(args, "--profile", p)
	}
	var s session
	out, err := exec.Command("advologix-connect", args...).Output()
	if err != nil {
		// No session: the JSON on standard output says why.
		var why struct{ Code, Message string }
		if json.Unmarshal(out, &why) == nil && why.Code != "" {
			return s, fmt.Errorf("advologix-connect session: %s: %s", why.Code, why.Message)
		}
		return s, fmt.Errorf("advologix-connect session: %w", err)
	}
	if err := json.Unmarshal(out, &s); err != nil {
		return s, fmt.Errorf("advologix-connect session: %w", err)
	}
	if s.SchemaVersion != 1 {
		return s, fmt.Errorf("advologix-connect session: schema_version %d, this program reads 1", s.SchemaVersion)
	}
	return s, nil
}

func report(step string, fields map[string]any) {
	fields["step"] = step
	b, _ := json.Marshal(fields)
	fmt.Println(string(b))
}

// sessionEnded reports whether err is Salesforce's answer to a session
// that ended (expired, logged out, revoked).
func sessionEnded(err error) bool {
	var sfErr simpleforce.SalesforceError
	return errors.As(err, &sfErr) && sfErr.ErrorCode == "INVALID_SESSION_ID"
}

// renewed runs call; when the session has ended, it gets a new one from
// advologix-connect, once, and runs call again.
func renewed(client *simpleforce.Client, renewals *int, call func() error) error {
	err := call()
	if !sessionEnded(err) {
		return err
	}
	s, err := newSession()
	if err != nil {
		return err
	}
	client.SetSidLoc(s.AccessToken, s.InstanceURL)
	*renewals++
	return call()
}

func run() error {
	s, err := newSession()
	if err != nil {
		return err
	}
	client := simpleforce.NewClient(s.InstanceURL, simpleforce.DefaultClientID, s.APIVersion)
	client.SetSidLoc(s.AccessToken, s.InstanceURL)
	renewals := 0

	org, err := client.Query("SELECT Id, Name FROM Organization")
	if err != nil {
		return fmt.Errorf("query: %w", err)
	}
	if len(org.Records) != 1 {
		return fmt.Errorf("query: %d organizations", len(org.Records))
	}
	report("query", map[string]any{"totalSize": org.TotalSize, "name": org.Records[0].StringField("Name")})

	user := client.SObject("User").Get(s.UserID)
	if user == nil {
		return fmt.Errorf("retrieve User %s failed", s.UserID)
	}
	report("retrieve", map[string]any{"username": user.StringField("Username")})

	meta := client.SObject("Account").Describe()
	if meta == nil {
		return fmt.Errorf("describe Account failed")
	}
	fields, _ := (*meta)["fields"].([]any)
	report("describe", map[string]any{"name": (*meta)["name"], "fields": len(fields)})

	global, err := client.DescribeGlobal()
	if err != nil {
		return fmt.Errorf("describeGlobal: %w", err)
	}
	objects, _ := (*global)["sobjects"].([]any)
	report("describeGlobal", map[string]any{"sobjects": len(objects)})

	report("expire", map[string]any{})
	_, _ = bufio.NewReader(os.Stdin).ReadString('\n')
	var users *simpleforce.QueryResult
	err = renewed(client, &renewals, func() (err error) {
		users, err = client.Query("SELECT Id, Username FROM User WHERE IsActive = true")
		return err
	})
	if err != nil {
		return fmt.Errorf("query after the session ended: %w", err)
	}
	var names []string
	for _, u := range users.Records {
		names = append(names, u.StringField("Username"))
	}
	report("refreshed", map[string]any{"renewals": renewals, "usernames": names})
	return nil
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "go recipe:", err)
		os.Exit(1)
	}
}
