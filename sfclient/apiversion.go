package sfclient

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// NewestAPIVersion is the newest REST API version this app knows (Spring
// '26). A session is handed out with the newest version its org serves up
// to this one: a client told a newer one would be promised behaviour
// nobody here has seen.
const NewestAPIVersion = "66.0"

// IdentityURL is the identity service's URL of the grant's user
// (https://login…/id/ORGID/USERID), on the login host as Salesforce's
// token answer gives it.
func (c *Checker) IdentityURL(g Grant) string {
	return c.login.URL + "/id/" + g.OrgID + "/" + g.UserID
}

// APIVersion asks the instance's version list (GET /services/data/,
// without credentials) for the newest REST API version it serves that is
// not newer than NewestAPIVersion. instanceURL must be one VerifyGrant
// accepted.
func (c *Checker) APIVersion(ctx context.Context, instanceURL string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, instanceURL+"/services/data/", nil)
	if err != nil {
		return "", fmt.Errorf("the API version list: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.client.Do(req)
	if err != nil {
		return "", fmt.Errorf("the API version list: %w", err)
	}
	defer resp.Body.Close()
	body, err := readLimited(resp.Body, MaxResponseBytes)
	if err != nil {
		return "", fmt.Errorf("the API version list: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("the API version list answered HTTP %d", resp.StatusCode)
	}
	v, ok := newestUpTo(body, NewestAPIVersion)
	if !ok {
		return "", fmt.Errorf("the API version list holds no version from %s down that this app knows", NewestAPIVersion)
	}
	return v, nil
}

// newestUpTo reads a version list and returns its newest version not
// newer than limit ("NN.0"); an unreadable list gives false.
func newestUpTo(body []byte, limit string) (string, bool) {
	lim, _ := strconv.Atoi(limit[:len(limit)-2])
	var vs []versionJSON
	if _, ok := parseVersions(body); !ok || json.Unmarshal(body, &vs) != nil {
		return "", false
	}
	best := -1
	for _, v := range vs {
		m := versionRE.FindStringSubmatch(v.Version)
		if m == nil {
			continue
		}
		if n, _ := strconv.Atoi(m[1]); n <= lim && n > best {
			best = n
		}
	}
	if best < 0 {
		return "", false
	}
	return strconv.Itoa(best) + ".0", true
}
