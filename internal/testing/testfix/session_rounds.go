package testfix

// This file holds what the proofs of issue 19 item 3 share on every
// platform (e2e on Linux, wintest under Wine, the benchmark): the
// scenarios, and running many `advologix-connect session --json` at once.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"sync"
)

// SessionRound is one scenario of the proof that a profile's login is
// made once per expiry: Programs callers of `session` at once, Rounds
// times, each round after the last session expired.
type SessionRound struct {
	Name             string
	Programs, Rounds int
}

// SessionRounds are the scenarios every platform's proof runs: 6 at once
// (the report: 4–5 of 6 failed), and 20 × 3 expiries (56 of 60 failed).
var SessionRounds = []SessionRound{
	{"6 programs", 6, 1},
	{"20 programs, 3 expiries", 20, 3},
}

// SessionAnswer is what one `advologix-connect session --json` did.
// Failure is empty when it printed a session, else says what went wrong
// (the exit status, the outcome's code, standard error).
type SessionAnswer struct {
	AccessToken string `json:"access_token"`
	InstanceURL string `json:"instance_url"`
	Code        string `json:"code"`
	Failure     string `json:"-"`
}

// SessionsAtOnce starts the n programs cmd(i) makes — each an
// `advologix-connect session --json`, its output not yet set — all before
// waiting for any, and returns what each answered.
func SessionsAtOnce(n int, cmd func(i int) *exec.Cmd) []SessionAnswer {
	answers := make([]SessionAnswer, n)
	outs, errs := make([]bytes.Buffer, n), make([]bytes.Buffer, n)
	var wg sync.WaitGroup
	for i := range n {
		c := cmd(i)
		c.Stdout, c.Stderr = &outs[i], &errs[i]
		if err := c.Start(); err != nil {
			answers[i].Failure = fmt.Sprintf("start: %v", err)
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := c.Wait()
			a := &answers[i]
			jerr := json.Unmarshal(bytes.TrimSpace(outs[i].Bytes()), a)
			var ee *exec.ExitError
			switch {
			case errors.As(err, &ee):
				a.Failure = fmt.Sprintf("exit %d, code %q: %s", ee.ExitCode(), a.Code, errs[i].String())
			case err != nil:
				a.Failure = err.Error()
			case jerr != nil || a.AccessToken == "":
				a.Failure = fmt.Sprintf("no session (%v): %q", jerr, outs[i].String())
			}
		}()
	}
	wg.Wait()
	return answers
}
