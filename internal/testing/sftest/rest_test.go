package sftest

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestDataVersions(t *testing.T) {
	s := newTestServer(t, Config{})
	for _, path := range []string{"/services/data/", "/services/data"} {
		status, hdr, body := get(t, s, path, "")
		if status != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), "application/json") {
			t.Fatalf("%s: %d %s", path, status, hdr.Get("Content-Type"))
		}
		var vs []struct{ Label, URL, Version string }
		if err := json.Unmarshal(body, &vs); err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"31.0": "Summer '14", "56.0": "Winter '23", "62.0": "Winter '25", "64.0": "Summer '25", "65.0": "Winter '26", "66.0": "Spring '26"}
		found := 0
		for _, v := range vs {
			if v.URL != "/services/data/v"+v.Version {
				t.Errorf("url %q for %s", v.URL, v.Version)
			}
			if l, ok := want[v.Version]; ok {
				found++
				if v.Label != l {
					t.Errorf("%s label %q, want %q", v.Version, v.Label, l)
				}
			}
		}
		if found != len(want) || vs[0].Version != "31.0" || vs[len(vs)-1].Version != "66.0" {
			t.Errorf("versions %v", vs)
		}
	}
	// The raw field names, in Salesforce's order.
	_, _, body := get(t, s, "/services/data/", "")
	if !strings.HasPrefix(string(body), `[{"label":"Summer '14","url":"/services/data/v31.0","version":"31.0"},`) {
		t.Errorf("raw %s", body[:80])
	}
}

// soapSession logs in with SOAP and returns the session ID.
func soapSession(t *testing.T, s *Server, user, pass string) string {
	t.Helper()
	status, body := soapLogin(t, s, user, pass)
	var lr loginResponse
	if err := xml.Unmarshal(body, &lr); err != nil || status != 200 {
		t.Fatalf("login: %d %v %s", status, err, body)
	}
	return lr.Result.SessionID
}

func TestQuery(t *testing.T) {
	var now atomic.Int64
	now.Store(time.Now().UnixNano())
	clock := func() time.Time { return time.Unix(0, now.Load()) }
	for _, sandbox := range []bool{false, true} {
		s := newTestServer(t, Config{Users: orgUsers(), Apps: orgApps(), Sandbox: sandbox, OrgName: "Smith & Jones", Now: clock})
		_, m := passwordGrant(t, s, publicID, "", alice, alicePass+aliceToken)
		oauthTok := m["access_token"].(string)
		soapTok := soapSession(t, s, alice, alicePass+aliceToken)

		ok := []struct {
			q      string
			fields []string
		}{
			{"SELECT Name, IsSandbox FROM Organization", []string{"Name", "IsSandbox"}},
			{"select issandbox,name from organization limit 1", []string{"IsSandbox", "Name"}},
			{"  SELECT\n Id ,  Name,IsSandbox, OrganizationType, InstanceName\tFROM   Organization   LIMIT   1 ", []string{"Id", "Name", "IsSandbox", "OrganizationType", "InstanceName"}},
		}
		for _, tok := range []string{oauthTok, soapTok} {
			for _, tc := range ok {
				status, _, body := get(t, s, "/services/data/v66.0/query?q="+url.QueryEscape(tc.q), tok)
				if status != 200 {
					t.Fatalf("%q: %d %s", tc.q, status, body)
				}
				var res struct {
					TotalSize int  `json:"totalSize"`
					Done      bool `json:"done"`
					Records   []map[string]any
				}
				if err := json.Unmarshal(body, &res); err != nil {
					t.Fatal(err)
				}
				if res.TotalSize != 1 || !res.Done || len(res.Records) != 1 {
					t.Fatalf("%s", body)
				}
				rec := res.Records[0]
				attrs := rec["attributes"].(map[string]any)
				if attrs["type"] != "Organization" || attrs["url"] != "/services/data/v66.0/sobjects/Organization/"+s.OrgID() {
					t.Errorf("attributes %v", attrs)
				}
				if len(rec) != len(tc.fields)+1 {
					t.Errorf("fields %v", rec)
				}
				for _, f := range tc.fields {
					if _, has := rec[f]; !has {
						t.Errorf("missing %s in %s", f, body)
					}
				}
				if rec["Name"] != "Smith & Jones" || rec["IsSandbox"] != sandbox {
					t.Errorf("values %v", rec)
				}
				if id, has := rec["Id"]; has && id != s.OrgID() {
					t.Errorf("Id %v", id)
				}
				// Field order follows the SELECT list.
				order := []int{}
				for _, f := range tc.fields {
					order = append(order, strings.Index(string(body), `"`+f+`":`))
				}
				for i := 1; i < len(order); i++ {
					if order[i] < order[i-1] {
						t.Errorf("field order in %s", body)
					}
				}
			}
		}

		bad := []struct {
			name, path, token string
			wantStatus        int
			wantCode          string
		}{
			{"unknown object", "/services/data/v66.0/query?q=" + url.QueryEscape("SELECT Id FROM ScratchOrgInfo"), oauthTok, 400, "INVALID_TYPE"},
			{"garbage", "/services/data/v66.0/query?q=hello", oauthTok, 400, "MALFORMED_QUERY"},
			{"aggregate", "/services/data/v66.0/query?q=" + url.QueryEscape("SELECT MAX(Name) FROM Organization"), oauthTok, 400, "MALFORMED_QUERY"},
			{"missing q", "/services/data/v66.0/query", oauthTok, 400, "MALFORMED_QUERY"},
			{"unknown field", "/services/data/v66.0/query?q=" + url.QueryEscape("SELECT Name, Foo FROM Organization"), oauthTok, 400, "INVALID_FIELD"},
			{"no token", "/services/data/v66.0/query?q=x", "", 401, "INVALID_SESSION_ID"},
			{"bad token", "/services/data/v66.0/query?q=x", "00Dxx!AQbogus", 401, "INVALID_SESSION_ID"},
			{"unknown resource", "/services/data/v66.0/search", oauthTok, 404, "NOT_FOUND"},
			{"unknown object", "/services/data/v66.0/sobjects/Opportunity/describe", oauthTok, 404, "NOT_FOUND"},
			{"retired version", "/services/data/v30.0/query?q=x", oauthTok, 410, "GONE"},
			{"future version", "/services/data/v99.0/query?q=x", oauthTok, 404, "NOT_FOUND"},
			{"bad version", "/services/data/latest/query", oauthTok, 404, "NOT_FOUND"},
		}
		for _, tc := range bad {
			status, hdr, body := get(t, s, tc.path, tc.token)
			var errs []struct{ Message, ErrorCode string }
			if err := json.Unmarshal(body, &errs); err != nil || status != tc.wantStatus || len(errs) != 1 || errs[0].ErrorCode != tc.wantCode || errs[0].Message == "" {
				t.Errorf("%s: %d %s", tc.name, status, body)
			}
			if status == 401 {
				if errs[0].Message != "Session expired or invalid" || hdr.Get("WWW-Authenticate") == "" {
					t.Errorf("%s: %s %v", tc.name, body, hdr)
				}
			}
		}
		status, _, body := get(t, s, "/services/data/v66.0/query?q="+url.QueryEscape("SELECT Foo FROM Organization"), oauthTok)
		if status != 400 || !strings.Contains(string(body), `No such column 'Foo' on entity 'Organization'`) {
			t.Errorf("INVALID_FIELD message: %s", body)
		}
		if status, _, body := get(t, s, "/services/data/v66.0/", oauthTok); status != 200 || !strings.Contains(string(body), `"query":"/services/data/v66.0/query"`) {
			t.Errorf("resources: %d %s", status, body)
		}

		// Sessions expire after two hours; InvalidateSessions ends them now.
		now.Add(int64(2*time.Hour + time.Second))
		if status, _, _ := get(t, s, "/services/data/v66.0/query?q=x", oauthTok); status != 401 {
			t.Errorf("expired session: %d", status)
		}
		now.Store(time.Now().UnixNano())
		tok := soapSession(t, s, alice, alicePass+aliceToken)
		s.InvalidateSessions(alice)
		if status, _, _ := get(t, s, "/services/data/v66.0/query?q=x", tok); status != 401 {
			t.Errorf("invalidated session: %d", status)
		}
		// An expired password's session serves only setPassword().
		tok = soapSession(t, s, "expired@firm.example", "exp-pwExpToken0000000000000000")
		status, _, body = get(t, s, "/services/data/v66.0/query?q="+url.QueryEscape("SELECT Name FROM Organization"), tok)
		if status != 403 || !strings.Contains(string(body), "INVALID_OPERATION_WITH_EXPIRED_PASSWORD") {
			t.Errorf("expired password session: %d %s", status, body)
		}
	}
}

func TestUserinfo(t *testing.T) {
	s := newTestServer(t, Config{Users: orgUsers(), Apps: orgApps()})
	_, m := passwordGrant(t, s, publicID, "", alice, alicePass+aliceToken)
	tok := m["access_token"].(string)
	u, _ := s.User(alice)
	ui := getJSON(t, s, "/services/oauth2/userinfo", tok)
	want := map[string]any{
		"sub": m["id"], "user_id": u.UserID, "organization_id": s.OrgID(), "preferred_username": alice,
		"nickname": "alice", "name": "Alice Lawyer", "email": alice, "email_verified": true,
		"given_name": "Alice", "family_name": "Lawyer", "zoneinfo": "America/Los_Angeles",
		"is_salesforce_integration_user": false, "active": true, "user_type": "STANDARD",
		"language": "en_US", "locale": "en_US", "utcOffset": float64(-28800000),
	}
	wantFields(t, ui, want)
	for _, k := range []string{"photos", "profile", "picture", "address", "urls", "updated_at"} {
		if ui[k] == nil {
			t.Errorf("missing %s", k)
		}
	}
	if _, err := time.Parse(time.RFC3339, ui["updated_at"].(string)); err != nil {
		t.Errorf("updated_at: %v", err)
	}
	if rest := ui["urls"].(map[string]any)["rest"]; rest != s.URL()+"/services/data/v{version}/" {
		t.Errorf("urls.rest %v", rest)
	}
	// SOAP session IDs work too.
	if status, _, _ := get(t, s, "/services/oauth2/userinfo", soapSession(t, s, alice, alicePass+aliceToken)); status != 200 {
		t.Errorf("userinfo with SOAP session: %d", status)
	}
	for tok, want := range map[string]string{"": "Missing_OAuth_Token", "bogus": "Bad_OAuth_Token"} {
		if status, _, body := get(t, s, "/services/oauth2/userinfo", tok); status != 403 || string(body) != want {
			t.Errorf("token %q: %d %s", tok, status, body)
		}
	}
}

func TestIdentity(t *testing.T) {
	s := newTestServer(t, Config{Users: orgUsers(), Apps: orgApps(), LatestAPIVersion: 66.0})
	_, m := passwordGrant(t, s, publicID, "", alice, alicePass+aliceToken)
	tok, idURL := m["access_token"].(string), m["id"].(string)
	path := strings.TrimPrefix(idURL, s.URL())
	u, _ := s.User(alice)

	id := getJSON(t, s, path+"?version=latest", tok)
	want := map[string]any{
		"id": idURL, "asserted_user": true, "user_id": u.UserID, "organization_id": s.OrgID(),
		"username": alice, "nick_name": "alice", "display_name": "Alice Lawyer", "email": alice,
		"first_name": "Alice", "last_name": "Lawyer", "active": true, "user_type": "STANDARD",
		"language": "en_US", "locale": "en_US", "utcOffset": float64(-28800000), "is_app_installed": true,
	}
	wantFields(t, id, want)
	urls := id["urls"].(map[string]any)
	if urls["partner"] != s.URL()+"/services/Soap/u/66.0/"+s.OrgID()[:15] || urls["rest"] != s.URL()+"/services/data/v66.0/" {
		t.Errorf("urls %v", urls)
	}
	if id["last_modified_date"] == nil || id["photos"] == nil {
		t.Errorf("missing fields: %v", id)
	}

	// oauth_token query parameter instead of the header.
	if status, _, _ := get(t, s, path+"?oauth_token="+url.QueryEscape(tok), ""); status != 200 {
		t.Errorf("oauth_token param: %d", status)
	}
	other, _ := s.User("office@firm.example")
	for name, tc := range map[string]struct {
		path, token string
		status      int
		body        string
	}{
		"no token":     {path, "", 403, "Missing_OAuth_Token"},
		"bad token":    {path, "bogus", 403, "Bad_OAuth_Token"},
		"wrong org":    {"/id/00DHn00000zzzzzAAA/" + u.UserID, tok, 403, "Wrong_Org"},
		"unknown user": {"/id/" + s.OrgID() + "/005Hn00000zzzzzAAA", tok, 404, "Bad_Id"},
		"bad path":     {"/id/" + s.OrgID(), tok, 404, "Bad_Id"},
	} {
		status, _, body := get(t, s, tc.path, tc.token)
		if status != tc.status || string(body) != tc.body {
			t.Errorf("%s: %d %s", name, status, body)
		}
	}
	// Another user of the same org: readable, not the asserted user.
	status, _, body := get(t, s, "/id/"+s.OrgID()+"/"+other.UserID, tok)
	if status != 200 || !strings.Contains(string(body), `"asserted_user":false`) {
		t.Errorf("other user: %d %s", status, body)
	}
}

func TestNotFound(t *testing.T) {
	s := newTestServer(t, Config{})
	for _, p := range []string{"/", "/secur/frontdoor.jsp", "/services/oauth2/nope", "/services/Soap/c/64.0"} {
		status, hdr, _ := get(t, s, p, "")
		if status != http.StatusNotFound || !strings.HasPrefix(hdr.Get("Content-Type"), "text/html") {
			t.Errorf("%s: %d %s", p, status, hdr.Get("Content-Type"))
		}
	}
}
