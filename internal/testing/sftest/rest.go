package sftest

import (
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

// handleData serves /services/data/vNN.N/...: the version check and
// authentication, then serveDataLocked.
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
	s.serveDataLocked(w, r, sess, "/services/data/v"+m[1], strings.TrimSuffix(m[2], "/"))
}

func (s *Server) instanceName() string {
	if s.cfg.Sandbox {
		return "CS1"
	}
	return "NA1"
}
