package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
	"github.com/advologix/advologix-connect/sfclient"
)

// checkJSON is the --json answer of a login Salesforce answered (check,
// session): the Result's fields, plus the notes that did not stop it
// (e.g. a login host that is not Salesforce's).
type checkJSON struct {
	sfclient.Result
	Warnings []string `json:"warnings,omitempty"`
}

// errorJSON is the --json answer when no login could be attempted, or what
// followed it failed.
type errorJSON struct {
	OK      bool   `json:"ok"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Hint    string `json:"hint"`
}

// usagef is connection.Usage with a formatted message: exit 2.
func usagef(format string, a ...any) connection.Outcome {
	return connection.Usage(fmt.Sprintf(format, a...))
}

// usage is usagef for a stop.
func usage(format string, a ...any) *connection.Outcome {
	o := usagef(format, a...)
	return &o
}

// failed is connection.Failed for a stop that concerns no profile.
func failed(err error) *connection.Outcome {
	o := connection.Failed(credstore.Profile{}, err)
	return &o
}

// asUsage makes settings typed on the command line that cannot be used
// (INVALID_PROFILE from connection.Service.Prepare) a usage error, as
// scripts know it: the flag is at fault, not a saved profile.
func asUsage(o connection.Outcome) connection.Outcome {
	if o.Code == connection.CodeInvalidProfile {
		o.Code, o.Hint = connection.CodeUsage, ""
	}
	return o
}

// exitStatus is the exit status of an outcome: 0 it worked, 2 the input
// cannot be used as given (nothing was sent), 1 any other failure.
func exitStatus(o connection.Outcome) int {
	switch {
	case o.OK():
		return ExitOK
	case o.Usage():
		return ExitUsage
	}
	return ExitFail
}

// answered reports whether o is Salesforce's verdict on a login (rendered
// as check renders it), rather than a failure around it.
func answered(o connection.Outcome) bool {
	return o.Checked && (o.OK() || !o.Result.OK)
}

// render prints an outcome — Salesforce's verdict on a login as check
// --json / the check report, any other failure as errorJSON / one line on
// standard error — and returns its exit status.
func render(env Env, asJSON bool, o connection.Outcome) int {
	// Scrubbing (secrets out, server text cleaned) is the last step
	// before printing, whatever refined the outcome after the check
	// (Login History).
	o = scrubOutcome(env.scrub, o)
	if answered(o) {
		if asJSON {
			writeJSON(env.Stdout, checkJSON{Result: o.Result, Warnings: o.Warnings})
		} else {
			writeWarnings(env.Stderr, o.Warnings)
			writeHuman(env.Stdout, o.Result)
		}
		return exitStatus(o)
	}
	if !o.OK() {
		renderFailure(env, asJSON, o)
	}
	return exitStatus(o)
}

// scrubOutcome is o with every text through sc (connection.Scrubber.Text:
// the run's secrets removed, server text cleaned, proxy credentials
// redacted).
func scrubOutcome(sc *connection.Scrubber, o connection.Outcome) connection.Outcome {
	return connection.Scrub(sc, o)
}

// renderFailure prints a failure that is not Salesforce's verdict.
func renderFailure(env Env, asJSON bool, o connection.Outcome) {
	msg := o.Message
	if msg == "" {
		msg = o.Headline
	}
	if asJSON {
		writeJSON(env.Stdout, errorJSON{Code: string(o.Code), Message: msg, Hint: o.Hint})
		return
	}
	writeWarnings(env.Stderr, o.Warnings)
	fmt.Fprintf(env.Stderr, "advologix-connect: %s\n", msg)
	if o.Hint != "" {
		fmt.Fprintf(env.Stderr, "  %s\n", wrap(o.Hint, 70, "  "))
	}
	if o.Usage() {
		fmt.Fprintln(env.Stderr, "Run 'advologix-connect help' for usage.")
	}
}

func writeWarnings(w io.Writer, warnings []string) {
	for _, s := range warnings {
		fmt.Fprintf(w, "warning: %s\n", s)
	}
}

// writeJSON prints v as one JSON object, every string field scrubbed by
// the run's Scrubber first (w is the run's stream).
func writeJSON(w io.Writer, v any) {
	v = scrubbed(w, v)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// writeHuman prints a short report of a login for people.
func writeHuman(w io.Writer, r sfclient.Result) {
	if r.OK {
		fmt.Fprintf(w, "Connected to Salesforce as %s\n", r.Who())
		fmt.Fprintf(w, "  Organization:  %s\n", org(r))
		fmt.Fprintf(w, "  Instance:      %s\n", r.InstanceURL)
	} else {
		fmt.Fprintf(w, "Not connected: %s [%s]\n", r.Headline, r.Code)
		if r.Hint != "" {
			fmt.Fprintf(w, "  What to do:    %s\n", wrap(r.Hint, 62, "                 "))
		}
		if r.Message != "" {
			fmt.Fprintf(w, "  Details:       %s\n", wrap(r.Message, 62, "                 "))
		}
		if r.LoginHistoryStatus != "" {
			fmt.Fprintf(w, "  Login History: %s\n", r.LoginHistoryStatus)
		}
		if r.UserID != "" {
			fmt.Fprintf(w, "  User:          %s\n", r.Who())
		}
	}
	fmt.Fprintf(w, "  Login:         %s via %s, %d ms\n", r.Method.Label(), r.LoginURL, r.ElapsedMS)
}

func org(r sfclient.Result) string {
	name := r.Org()
	if r.OrganizationName != "" && r.OrganizationID != "" {
		name += " (" + r.OrganizationID + ")"
	}
	return name + ", " + r.Environment()
}

// wrap breaks s into lines of at most width runes, indenting continuation
// lines.
func wrap(s string, width int, indent string) string {
	var b strings.Builder
	n := 0
	for i, word := range strings.Fields(s) {
		l := len([]rune(word))
		if i > 0 {
			if n+1+l > width {
				b.WriteString("\n" + indent)
				n = 0
			} else {
				b.WriteByte(' ')
				n++
			}
		}
		b.WriteString(word)
		n += l
	}
	return b.String()
}
