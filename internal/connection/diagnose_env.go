package connection

// This file holds the app, locale and policy checks of Diagnose: what runs, on
// what, under which IT policy.

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/advologix/advologix-connect/credstore"
)

// checkPolicy says which IT policy applies and from where.
func (d *diag) checkPolicy() (CheckStatus, string) {
	if err := d.o.PolicyErr; err != nil {
		detail := err.Error()
		var coded interface{ Code() string }
		if errors.As(err, &coded) {
			detail = coded.Code() + ": " + detail
		}
		return CheckFail, detail + "; the profiles are diagnosed as saved"
	}
	pol := d.o.Policy
	if pol.IsZero() {
		return CheckOK, "no IT policy applies on this computer"
	}
	var vals []string
	add := func(name, v string) {
		if v == "" {
			return
		}
		if pol.IsLocked(name) {
			v += " (locked)"
		}
		vals = append(vals, name+"="+v)
	}
	add(credstore.PolicyLoginURL, pol.LoginURL)
	add(credstore.PolicyAllowedLoginHosts, strings.Join(pol.AllowedLoginHosts, " "))
	add(credstore.PolicyMethods, strings.Join(pol.Methods, " "))
	add(credstore.PolicyClientID, pol.ClientID)
	if pol.Proxy != "" {
		shown := "(not a URL)"
		if u, err := url.Parse(pol.Proxy); err == nil && u.Host != "" {
			shown = redactProxy(u)
		}
		add(credstore.PolicyProxy, shown)
	}
	add(credstore.PolicyCAFile, pol.CAFile)
	add(credstore.PolicyCheckInterval, pol.CheckInterval)
	if pol.StartInTray != nil {
		add(credstore.PolicyStartInTray, strconv.FormatBool(*pol.StartInTray))
	}
	if len(vals) == 0 {
		vals = append(vals, "no values")
	}
	return CheckOK, fmt.Sprintf("from %s: %s", strings.Join(pol.Sources, ", then "), strings.Join(vals, ", "))
}

func (d *diag) checkApp() (CheckStatus, string) {
	v := d.o.Version
	if v == "" {
		v = "dev"
	}
	osName := runtime.GOOS + "/" + runtime.GOARCH
	if pretty := osRelease(); pretty != "" {
		osName += " (" + pretty + ")"
	}
	goVer := runtime.Version()
	if bi, ok := debug.ReadBuildInfo(); ok && bi.GoVersion != "" {
		goVer = bi.GoVersion
	}
	return CheckOK, fmt.Sprintf("advologix-connect %s on %s, built with %s; %s", v, osName, goVer, builtInNote())
}

// osRelease is the Linux distribution's PRETTY_NAME, "" elsewhere.
func osRelease() string {
	if runtime.GOOS != "linux" {
		return ""
	}
	f, err := os.Open("/etc/os-release")
	if err != nil {
		return ""
	}
	defer f.Close()
	b, _ := io.ReadAll(io.LimitReader(f, 16<<10))
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "PRETTY_NAME="); ok {
			return strings.Trim(strings.TrimSpace(v), `"'`)
		}
	}
	return ""
}

func (d *diag) checkLocale() (CheckStatus, string) {
	var set, unset []string
	effective := ""
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := d.o.Getenv(k); v != "" {
			set = append(set, k+"="+v)
			if effective == "" {
				effective = v
			}
		} else {
			unset = append(unset, k)
		}
	}
	if len(set) == 0 {
		if runtime.GOOS == "windows" {
			return CheckOK, "the user's Windows display language and region (LANG, LC_ALL unset)"
		}
		return CheckOK, "none set (LC_ALL, LC_MESSAGES, LANG unset): the C locale, messages in English"
	}
	detail := strings.Join(set, ", ")
	if len(unset) > 0 {
		detail += " (" + strings.Join(unset, ", ") + " unset)"
	}
	if up := strings.ToUpper(effective); !strings.Contains(up, "UTF-8") && !strings.Contains(up, "UTF8") {
		detail += "; not UTF-8, so a terminal may show accented characters wrongly"
	}
	return CheckOK, detail
}
