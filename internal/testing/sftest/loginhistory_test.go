package sftest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
)

func TestLoginHistoryRecordsStatuses(t *testing.T) {
	const tok = "TokenTokenTokenToken0123"
	s := newTestServer(t, Config{
		Users: []User{{Username: "jane@firm.example", Password: "pw", SecurityToken: tok},
			{Username: "ann@firm.example", Password: "pw2", SecurityToken: "AnnTokenAnnTokenAnnToken"}},
		Apps:         []App{{ClientID: "cid", AllowPasswordFlow: true}},
		LockoutAfter: 4,
	})
	tests := []struct {
		password, want string
	}{
		{"pw" + tok, StatusSuccess},
		{"pw", StatusTokenRequired},
		{"pw" + "StaleStaleStaleStale0123", StatusTokenRequired},
		{"wrong" + tok, StatusInvalidPassword},
		{"wrong", StatusInvalidPassword},
		{"pw" + tok, StatusLockout},
	}
	for i, tt := range tests {
		soapLogin(t, s, "jane@firm.example", tt.password)
		h := s.LoginHistory("jane@firm.example")
		if len(h) != i+1 || h[0].Status != tt.want || h[0].LoginType != LoginTypeSOAP || h[0].APIType != APITypeSOAP || h[0].SourceIP != "127.0.0.1" {
			t.Fatalf("after login %d: newest record %+v (of %d), want status %q", i, h[0], len(h), tt.want)
		}
	}
	soapLogin(t, s, "nobody@firm.example", "x")
	if n := len(s.LoginHistory("ann@firm.example")); n != 0 {
		t.Errorf("ann has %d records, want 0", n)
	}

	s.SetUsernamePasswordFlowBlocked(true)
	passwordGrant(t, s, "cid", "", "ann@firm.example", "pw2")
	if h := s.LoginHistory("ann@firm.example"); len(h) != 1 || h[0].Status != StatusFlowDisabled || h[0].LoginType != LoginTypeOAuth || h[0].Application != "cid" {
		t.Errorf("blocked flow recorded %+v", h)
	}
}

func TestLoginHistoryQuery(t *testing.T) {
	s := newTestServer(t, Config{
		Users: []User{{Username: "jane@firm.example", Password: "pw"}, {Username: "ann@firm.example", Password: "pw2"}},
		Apps:  []App{{ClientID: "cid", AllowPasswordFlow: true}},
	})
	soapLogin(t, s, "jane@firm.example", "bad")
	soapLogin(t, s, "ann@firm.example", "bad")
	_, tokJSON := passwordGrant(t, s, "cid", "", "jane@firm.example", "pw")
	access, _ := tokJSON["access_token"].(string)
	jane, _ := s.User("jane@firm.example")
	ann, _ := s.User("ann@firm.example")

	query := func(userID, token string) (int, http.Header, map[string]any) {
		q := url.Values{"q": {"SELECT LoginTime, Status, LoginType, Application, ApiType, SourceIp FROM LoginHistory WHERE UserId = '" + userID + "' ORDER BY LoginTime DESC LIMIT 20"}}
		code, hdr, body := get(t, s, "/services/data/v64.0/query?"+q.Encode(), token)
		var m map[string]any
		_ = json.Unmarshal(body, &m)
		return code, hdr, m
	}
	code, hdr, m := query(jane.UserID, access)
	recs, _ := m["records"].([]any)
	if code != 200 || m["totalSize"] != float64(2) || m["done"] != true || len(recs) != 2 || hdr.Get("Date") == "" {
		t.Fatalf("own history: %d %v", code, m)
	}
	first := recs[0].(map[string]any)
	attrs, _ := first["attributes"].(map[string]any)
	if first["Status"] != StatusSuccess || recs[1].(map[string]any)["Status"] != StatusInvalidPassword ||
		attrs["type"] != "LoginHistory" || first["LoginType"] != LoginTypeOAuth || first["LoginTime"] == nil {
		t.Errorf("records newest first with attributes: %v", recs)
	}
	if _, ok := first["UserId"]; ok {
		t.Errorf("unselected field UserId returned: %v", first)
	}
	if code, _, m := query(ann.UserID, access); code != 200 || m["totalSize"] != float64(0) {
		t.Errorf("another user's history: %d %v, want empty", code, m)
	}
	if code, _, _ := query(jane.UserID, ""); code != http.StatusUnauthorized {
		t.Errorf("no token: %d, want 401", code)
	}
	qs := s.HistoryQueries()
	if len(qs) != 2 || qs[0].Returned != 2 || qs[1].Returned != 0 || qs[1].CallerID != jane.UserID {
		t.Errorf("query log %+v", qs)
	}
}
