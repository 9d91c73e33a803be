package sftest

import (
	"net/http"
	"strings"
)

// dailyAPIRequests is the org's DailyApiRequests allowance (Enterprise
// Edition's base of 100,000 calls a day).
const dailyAPIRequests = 100000

// serveDataLocked answers an authenticated /services/data/vNN.N request;
// rest is the path after the version, without its trailing slash.
func (s *Server) serveDataLocked(w http.ResponseWriter, r *http.Request, sess *session, base, rest string) {
	switch {
	case rest == "":
		writeJSON(w, http.StatusOK, s.resourcesLocked(sess, base))
	case rest == "/query" || rest == "/queryAll":
		if rest == "/query" && s.queryLoginHistoryLocked(w, sess, r.URL.Query().Get("q"), base) {
			return
		}
		s.serveQueryLocked(w, r, base, sobjectTypes)
	case rest == "/limits":
		s.serveLimitsLocked(w, r)
	case rest == "/sobjects" || strings.HasPrefix(rest, "/sobjects/"):
		s.serveSObjectsLocked(w, r, base, strings.TrimPrefix(rest, "/sobjects"), sobjectTypes)
	case rest == "/tooling":
		writeJSON(w, http.StatusOK, map[string]string{
			"sobjects": base + "/tooling/sobjects",
			"query":    base + "/tooling/query",
		})
	case rest == "/tooling/query":
		s.serveQueryLocked(w, r, base+"/tooling", toolingTypes)
	case rest == "/tooling/sobjects" || strings.HasPrefix(rest, "/tooling/sobjects/"):
		s.serveSObjectsLocked(w, r, base+"/tooling", strings.TrimPrefix(rest, "/tooling/sobjects"), toolingTypes)
	default:
		writeNotFound(w)
	}
}

// resourcesLocked is GET /services/data/vNN.N/: the resources this
// version offers, each by its URL. Only what the emulator serves is
// listed; identity is the session user's identity URL, as Salesforce
// gives it.
func (s *Server) resourcesLocked(sess *session, base string) map[string]string {
	return map[string]string{
		"identity": s.identityURL(sess.user),
		"sobjects": base + "/sobjects",
		"query":    base + "/query",
		"queryAll": base + "/queryAll",
		"limits":   base + "/limits",
		"tooling":  base + "/tooling",
	}
}

// serveLimitsLocked answers GET limits: the org's allowances. Daily API
// requests count the REST calls the emulator has logged.
func (s *Server) serveLimitsLocked(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		writeRESTError(w, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "HTTP Method '"+r.Method+"' not allowed. Allowed are GET,HEAD")
		return
	}
	used := 0
	for _, e := range s.log {
		if strings.HasPrefix(e.Path, "/services/data/v") || strings.HasPrefix(e.Path, "//services/data/v") {
			used++
		}
	}
	limit := func(max, remaining int) map[string]int { return map[string]int{"Max": max, "Remaining": remaining} }
	writeJSON(w, http.StatusOK, map[string]any{
		"ConcurrentAsyncGetReportInstances": limit(200, 200),
		"ConcurrentSyncReportRuns":          limit(20, 20),
		"DailyApiRequests":                  limit(dailyAPIRequests, dailyAPIRequests-used),
		"DailyAsyncApexExecutions":          limit(250000, 250000),
		"DailyBulkApiBatches":               limit(15000, 15000),
		"DailyBulkV2QueryJobs":              limit(10000, 10000),
		"DataStorageMB":                     limit(1024, 1019),
		"FileStorageMB":                     limit(10240, 10238),
		"HourlyDashboardRefreshes":          limit(200, 200),
		"HourlyODataCallout":                limit(20000, 20000),
		"HourlySyncReportRuns":              limit(500, 500),
		"MassEmail":                         limit(5000, 5000),
		"SingleEmail":                       limit(5000, 5000),
	})
}
