package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
)

// diagnoseOptions are diagnose's flags.
type diagnoseOptions struct {
	Profile string
	Login   bool
	JSON    bool
	Out     string
}

// newCmdDiagnose parses diagnose's flags into its options.
func newCmdDiagnose(args []string) (*diagnoseOptions, error) {
	opts := &diagnoseOptions{}
	fs := newFlagSet("diagnose")
	fs.StringVar(&opts.Profile, "profile", "", "profile whose login host the network checks use (default: the default profile)")
	fs.BoolVar(&opts.Login, "login", false, "also test each saved login (each test counts towards Salesforce's lockout)")
	fs.BoolVar(&opts.JSON, "json", false, "print one JSON object")
	fs.StringVar(&opts.Out, "out", "", "write the report to this file (private, 0600; - is standard output) instead of standard output")
	if err := parseFlags(fs, args); err != nil {
		return nil, err
	}
	if opts.Profile != "" {
		if err := credstore.ValidateName(opts.Profile); err != nil {
			return nil, fmt.Errorf("--profile: %w", err)
		}
	}
	return opts, nil
}

func runDiagnose(ctx context.Context, env Env, args []string) int {
	opts, err := newCmdDiagnose(args)
	if err != nil {
		return render(env, jsonWanted(args), usagef("%v", err))
	}
	return diagnoseRun(ctx, env, opts)
}

// diagnoseRun runs the checks and renders the report. The exit status is
// the number of failed checks (at most 125).
func diagnoseRun(ctx context.Context, env Env, opts *diagnoseOptions) int {
	do := connection.DiagnoseOptions{Profile: opts.Profile, Login: opts.Login, Version: env.Version, Getenv: env.Getenv}
	do.Policy, do.PolicyErr = loadPolicy(ctx, env, 0)
	if st, err := openStore(env); err != nil {
		do.StoreErr = err
	} else {
		do.Store = st
	}
	// The report, for the terminal or a file, is scrubbed of every
	// secret the run read (the store's secrets are read by --login).
	rep := connection.Scrub(env.scrub, connection.Diagnose(ctx, do))
	var out []byte
	if opts.JSON {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(rep); err != nil {
			return render(env, true, connection.Failed(credstore.Profile{}, err))
		}
		out = b.Bytes()
	} else {
		out = []byte(rep.Text())
	}
	if opts.Out == "" || opts.Out == "-" {
		_, _ = env.Stdout.Write(out)
		return rep.ExitStatus()
	}
	appDir := ""
	if do.Store != nil {
		appDir = filepath.Dir(do.Store.Path())
	}
	if err := credstore.WriteReport(opts.Out, out, appDir); errors.Is(err, credstore.ErrReportTarget) {
		return render(env, opts.JSON, usagef("--out: %v", err))
	} else if err != nil {
		return render(env, opts.JSON, connection.Failed(credstore.Profile{}, fmt.Errorf("write the report to %s: %w", opts.Out, err)))
	}
	fmt.Fprintf(env.Stderr, "Wrote the diagnostics to %s: %s\n", opts.Out, rep.Summary())
	return rep.ExitStatus()
}

// jsonWanted tells whether --json is among args, for reporting a usage
// error in the form asked for.
func jsonWanted(args []string) bool {
	for _, a := range args {
		if a == "--json" || a == "-json" || a == "--json=true" || a == "-json=true" {
			return true
		}
	}
	return false
}
