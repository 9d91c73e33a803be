package sfclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// needsProbe tells which failures the version-list probe can explain: those
// where no Salesforce verdict came back. A TLS or DNS failure would only
// repeat itself, and a timeout leaves no time.
func needsProbe(code Code) bool {
	switch code {
	case CodeUnexpectedResponse, CodeServerUnavailable, CodeProxy, CodeUserInfoRejected:
		return true
	}
	return false
}

// versionJSON is one entry of GET /services/data/.
type versionJSON struct {
	Label   string `json:"label"`
	URL     string `json:"url"`
	Version string `json:"version"`
}

// ProbeResult is what the unauthenticated version list said.
type ProbeResult struct {
	Reachable bool   // Salesforce's version list answered
	Latest    string // newest API version offered, e.g. "66.0"
	Answer    string // what answered instead, for people ("an HTML page titled …")
	Err       error  // transport failure, if any
}

// Probe asks the login host for its API version list, without credentials.
// A JSON list of versions means Salesforce itself is reachable from here.
func (c *Checker) Probe(ctx context.Context) ProbeResult {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.login.URL+"/services/data/", nil)
	if err != nil {
		return ProbeResult{Err: err}
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.client.Do(req)
	if err != nil {
		return ProbeResult{Err: err}
	}
	defer resp.Body.Close()
	body, err := readLimited(resp.Body, MaxResponseBytes)
	if err != nil {
		if errors.Is(err, errTooLarge) {
			return ProbeResult{Answer: "an answer larger than the read limit"}
		}
		return ProbeResult{Err: err}
	}
	if resp.StatusCode == http.StatusOK {
		if latest, ok := parseVersions(body); ok {
			return ProbeResult{Reachable: true, Latest: latest}
		}
	}
	return ProbeResult{Answer: describeAnswer(resp, body)}
}

// versionRE accepts what version lists really hold: "66.0", and also a
// bare "100" (seen in the wild) that means 100.0.
var versionRE = regexp.MustCompile(`^([1-9][0-9]{1,2})(?:\.0)?$`)

// parseVersions reads the version list and returns its newest entry
// ("NN.N"). An entry with an unreadable version spoils the list: something
// other than Salesforce answered.
func parseVersions(body []byte) (string, bool) {
	var vs []versionJSON
	if json.Unmarshal(body, &vs) != nil || len(vs) == 0 {
		return "", false
	}
	latest, latestN := "", -1
	for _, v := range vs {
		m := versionRE.FindStringSubmatch(strings.TrimSpace(v.Version))
		if m == nil {
			return "", false
		}
		n, _ := strconv.Atoi(m[1])
		if n > latestN {
			latest, latestN = m[1]+".0", n
		}
	}
	return latest, true
}

// probe refines a failed Result with what the version list says.
func (c *Checker) probe(ctx context.Context, r *Result) {
	p := c.Probe(ctx)
	reachable := p.Reachable
	r.Reachable = &reachable
	switch {
	case p.Reachable:
		r.probeNote = fmt.Sprintf("Salesforce itself is reachable from here (its API list answered, up to version %s), so the login service's answer is the problem.", p.Latest)
	case p.Err != nil:
		f := classifyTransport(p.Err, c.login.Host)
		r.probeNote = fmt.Sprintf("Salesforce's API list could not be reached either (%s).", f.message)
	default:
		r.probeNote = fmt.Sprintf("Salesforce's API list did not answer either: %s came back instead, so this address is not Salesforce, or something on your network (a proxy, filter or Wi-Fi sign-in page) is answering in its place.", p.Answer)
	}
}
