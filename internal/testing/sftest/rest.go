package sftest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// restError is one element of the REST API's error array.
type restError struct {
	Message   string `json:"message"`
	ErrorCode string `json:"errorCode"`
}

func writeRESTError(w http.ResponseWriter, status int, code, msg string) {
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", "Token")
	}
	writeJSON(w, status, []restError{{Message: msg, ErrorCode: code}})
}

// apiVersion is one entry of GET /services/data/.
type apiVersion struct {
	Label   string `json:"label"`
	URL     string `json:"url"`
	Version string `json:"version"`
}

// releaseLabel names the release of an API version: three releases a year,
// 56.0 being Winter '23.
func releaseLabel(v int) string {
	d := v - 56
	year := 23 + floorDiv(d, 3)
	season := []string{"Winter", "Spring", "Summer"}[d-3*floorDiv(d, 3)]
	return fmt.Sprintf("%s '%02d", season, year)
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// handleVersions serves GET /services/data/ (no authentication), listing
// every supported version from 31.0 to Config.LatestAPIVersion.
func (s *Server) handleVersions(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		writeRESTError(w, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "HTTP Method '"+r.Method+"' not allowed. Allowed are GET,HEAD")
		return
	}
	s.mu.Lock()
	latest := int(s.cfg.LatestAPIVersion)
	s.mu.Unlock()
	var out []apiVersion
	for v := int(minAPIVersion); v <= latest; v++ {
		out = append(out, apiVersion{
			Label:   releaseLabel(v),
			URL:     fmt.Sprintf("/services/data/v%d.0", v),
			Version: fmt.Sprintf("%d.0", v),
		})
	}
	writeJSON(w, http.StatusOK, out)
}

var dataPathRe = regexp.MustCompile(`^/services/data/v([0-9]+\.[0-9])(/.*)?$`)

// restSessionLocked authenticates a REST request; it writes the error and
// returns nil on failure.
func (s *Server) restSessionLocked(w http.ResponseWriter, r *http.Request) *session {
	sess := s.lookupSessionLocked(bearerToken(r, false))
	if sess == nil || sess.user.Inactive {
		writeRESTError(w, http.StatusUnauthorized, "INVALID_SESSION_ID", "Session expired or invalid")
		return nil
	}
	if sess.passwordExpired {
		// Only setPassword() works with an expired password's session.
		// The HTTP status for this REST error is not documented.
		writeRESTError(w, http.StatusForbidden, "INVALID_OPERATION_WITH_EXPIRED_PASSWORD",
			"The users password has expired, you must call SetPassword before attempting any other API operations")
		return nil
	}
	return sess
}

// handleData serves /services/data/vNN.N/...: the resource list and query.
func (s *Server) handleData(w http.ResponseWriter, r *http.Request) {
	m := dataPathRe.FindStringSubmatch(r.URL.Path)
	if m == nil {
		writeRESTError(w, http.StatusNotFound, "NOT_FOUND", "The requested resource does not exist")
		return
	}
	ver, _ := strconv.ParseFloat(m[1], 64)
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case ver < minAPIVersion && ver >= 21:
		// Versions 21.0-30.0 were retired in Summer '25: 410 GONE.
		writeRESTError(w, http.StatusGone, "GONE", "The requested resource is no longer available.")
		return
	case ver < minAPIVersion || ver > s.cfg.LatestAPIVersion:
		writeRESTError(w, http.StatusNotFound, "NOT_FOUND", "The requested resource does not exist")
		return
	}
	sess := s.restSessionLocked(w, r)
	if sess == nil {
		return
	}
	base := "/services/data/v" + m[1]
	switch strings.TrimSuffix(m[2], "/") {
	case "":
		writeJSON(w, http.StatusOK, map[string]string{
			"sobjects": base + "/sobjects",
			"query":    base + "/query",
			"queryAll": base + "/queryAll",
			"limits":   base + "/limits",
			"search":   base + "/search",
			"tooling":  base + "/tooling",
		})
	case "/query":
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			writeRESTError(w, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "HTTP Method '"+r.Method+"' not allowed. Allowed are GET,HEAD")
			return
		}
		if !s.queryLoginHistoryLocked(w, sess, r.URL.Query().Get("q"), base) {
			s.queryLocked(w, r.URL.Query().Get("q"), base)
		}
	default:
		writeRESTError(w, http.StatusNotFound, "NOT_FOUND", "The requested resource does not exist")
	}
}

var (
	selectRe   = regexp.MustCompile(`(?is)^\s*SELECT\s+(.+?)\s+FROM\s+(\w+)((?:\s+\w+)*)\s*$`)
	limitOneRe = regexp.MustCompile(`(?i)^\s+LIMIT\s+1$`)
	orgFields  = []string{"Id", "Name", "IsSandbox", "OrganizationType", "InstanceName"}
)

// queryLocked answers the only SOQL the emulator knows: fields of
// Organization (Id, Name, IsSandbox, OrganizationType, InstanceName, any
// order or case), optionally LIMIT 1.
func (s *Server) queryLocked(w http.ResponseWriter, q, base string) {
	if strings.TrimSpace(q) == "" {
		writeRESTError(w, http.StatusBadRequest, "MALFORMED_QUERY", "A query string has to be specified")
		return
	}
	m := selectRe.FindStringSubmatch(q)
	if m == nil || !strings.EqualFold(m[2], "Organization") || (m[3] != "" && !limitOneRe.MatchString(m[3])) {
		writeRESTError(w, http.StatusBadRequest, "MALFORMED_QUERY",
			"sftest only understands SELECT <Id|Name|IsSandbox|OrganizationType|InstanceName, ...> FROM Organization [LIMIT 1]; unexpected query: "+q)
		return
	}
	var fields []string
	for _, raw := range strings.Split(m[1], ",") {
		f := strings.TrimSpace(raw)
		canon := ""
		for _, known := range orgFields {
			if strings.EqualFold(f, known) {
				canon = known
			}
		}
		if canon == "" {
			col := strings.Index(q, f) + 1
			writeRESTError(w, http.StatusBadRequest, "INVALID_FIELD", fmt.Sprintf(
				"\n%s\n%*s\nERROR at Row:1:Column:%d\nNo such column '%s' on entity 'Organization'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
				q, col, "^", col, f))
			return
		}
		fields = append(fields, canon)
	}
	values := map[string]any{
		"Id":               s.orgID,
		"Name":             s.cfg.OrgName,
		"IsSandbox":        s.cfg.Sandbox,
		"OrganizationType": "Enterprise Edition",
		"InstanceName":     s.instanceName(),
	}
	// Records keep the selected field order, after "attributes", as
	// Salesforce writes them.
	var rec strings.Builder
	attrs, _ := json.Marshal(map[string]string{"type": "Organization", "url": base + "/sobjects/Organization/" + s.orgID})
	rec.WriteString(`{"attributes":`)
	rec.Write(attrs)
	for _, f := range fields {
		v, _ := json.Marshal(values[f])
		rec.WriteString(`,"` + f + `":`)
		rec.Write(v)
	}
	rec.WriteString("}")
	body := `{"totalSize":1,"done":true,"records":[` + rec.String() + `]}`
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(body))
}

func (s *Server) instanceName() string {
	if s.cfg.Sandbox {
		return "CS1"
	}
	return "NA1"
}
