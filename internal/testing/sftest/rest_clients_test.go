package sftest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestRESTAsClientsSeeIt: the resources jsforce and the Salesforce CLI
// read, each answering in Salesforce's shape, and the errors they get for
// what the emulator does not serve.
func TestRESTAsClientsSeeIt(t *testing.T) {
	var now atomic.Int64
	now.Store(time.Now().UnixNano())
	s := newTestServer(t, Config{Users: orgUsers(), Apps: orgApps(), OrgName: "Smith & Jones", Now: func() time.Time { return time.Unix(0, now.Load()) }})
	tok := soapSession(t, s, alice, alicePass+aliceToken)
	u, _ := s.User(alice)
	q := func(soql string) string { return url.QueryEscape(soql) }
	const v = "/services/data/v66.0"
	tests := []struct {
		name, path string
		status     int
		want       []string // substrings of the body
	}{
		{"resources", v + "/", 200, []string{`"identity":"` + s.URL() + "/id/" + s.OrgID() + "/" + u.UserID + `"`, `"sobjects":"` + v + `/sobjects"`, `"queryAll":`, `"limits":`, `"tooling":`}},
		{"doubled slashes", "//services/data/v66.0//limits", 200, []string{`"DailyApiRequests":{"Max":100000,"Remaining":`}},
		{"describeGlobal", v + "/sobjects", 200, []string{`"encoding":"UTF-8"`, `"maxBatchSize":200`, `"name":"Account"`, `"keyPrefix":"00D"`, `"describe":"` + v + `/sobjects/User/describe"`}},
		{"basic info", v + "/sobjects/Account", 200, []string{`"objectDescribe":{`, `"recentItems":[]`}},
		{"describe Organization", v + "/sobjects/Organization/describe", 200, []string{`"name":"TrialExpirationDate"`, `"name":"NamespacePrefix"`, `"soapType":"xsd:boolean"`, `"fields":[`}},
		{"describe User", v + "/sobjects/user/describe", 200, []string{`"name":"User"`, `"referenceTo":["Profile"]`, `"relationshipName":"Profile"`}},
		{"describe Account", v + "/sobjects/Account/describe", 200, []string{`"name":"Industry"`, `"type":"picklist"`}},
		{"retrieve User", v + "/sobjects/User/" + u.UserID, 200, []string{`{"attributes":{"type":"User","url":"` + v + `/sobjects/User/` + u.UserID + `"},"Id":"` + u.UserID + `","Username":"` + alice + `"`}},
		{"retrieve by 15-char id, some fields", v + "/sobjects/User/" + u.UserID[:15] + "?fields=Username,IsActive", 200, []string{`"Username":"` + alice + `","IsActive":true}`}},
		{"retrieve Organization", v + "/sobjects/Organization/" + s.OrgID(), 200, []string{`"Name":"Smith \u0026 Jones"`, `"InstanceName":"NA1"`}},
		{"query User", v + "/query?q=" + q("SELECT Id, Username FROM User WHERE Username = '"+alice+"'"), 200, []string{`"totalSize":1`, `"Username":"` + alice + `"`}},
		{"query Organization for the CLI", v + "/query?q=" + q("SELECT Name, InstanceName, IsSandbox, TrialExpirationDate, NamespacePrefix, OrganizationType FROM Organization"), 200, []string{`"TrialExpirationDate":null,"NamespacePrefix":null,"OrganizationType":"Enterprise Edition"`}},
		{"query Account ordered", v + "/query?q=" + q("SELECT Name FROM Account WHERE Industry IN ('Legal','Finance') ORDER BY Name DESC LIMIT 5"), 200, []string{`"totalSize":2`, `"Name":"Cedar Ridge Partners"},{"attributes"`}},
		{"query LIKE", v + "/query?q=" + q("SELECT Id FROM Account WHERE Name LIKE 'acme%'"), 200, []string{`"totalSize":1`}},
		{"count", v + "/query?q=" + q("SELECT COUNT() FROM Account"), 200, []string{`{"totalSize":3,"done":true,"records":[]}`}},
		{"queryAll", v + "/queryAll?q=" + q("SELECT Id FROM Account LIMIT 1"), 200, []string{`"totalSize":1`}},
		{"columns", v + "/query?columns=true&q=" + q("SELECT Id, Name FROM Account"), 200, []string{`"columnMetadata":[{`, `"columnName":"Name"`, `"entityName":"Account"`, `"idSelected":true`}},
		{"tooling query", v + "/tooling/query?q=" + q("SELECT Id, Status FROM SandboxProcess WHERE SandboxOrganization = '"+s.OrgID()[:15]+"' ORDER BY CreatedDate DESC"), 200, []string{`{"totalSize":0,"done":true,"records":[]}`}},
		{"not an object", v + "/query?q=" + q("SELECT Id FROM ScratchOrgInfo limit 1"), 400, []string{`"errorCode":"INVALID_TYPE"`, "sObject type 'ScratchOrgInfo' is not supported."}},
		{"not a field", v + "/query?q=" + q("SELECT Id, Nope FROM Account"), 400, []string{`"errorCode":"INVALID_FIELD"`, "No such column 'Nope' on entity 'Account'"}},
		{"OR", v + "/query?q=" + q("SELECT Id FROM Account WHERE Name = 'a' OR Name = 'b'"), 400, []string{`"errorCode":"MALFORMED_QUERY"`, "ERROR at Row:1:Column:"}},
		{"unknown resource", v + "/search?q=FIND", 404, []string{`[{"message":"The requested resource does not exist","errorCode":"NOT_FOUND"}]`}},
		{"unknown record", v + "/sobjects/Account/001000000000000AAA", 404, []string{`"errorCode":"NOT_FOUND"`}},
		{"unknown object", v + "/sobjects/Opportunity/describe", 404, []string{`"errorCode":"NOT_FOUND"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, hdr, body := get(t, s, tc.path, tok)
			if status != tc.status || !strings.HasPrefix(hdr.Get("Content-Type"), "application/json") {
				t.Fatalf("%d %s: %s", status, hdr.Get("Content-Type"), body)
			}
			if !json.Valid(body) {
				t.Fatalf("not JSON: %s", body)
			}
			for _, w := range tc.want {
				if !strings.Contains(string(body), w) {
					t.Errorf("no %s in\n%s", w, body)
				}
			}
		})
	}

	t.Run("writes are refused", func(t *testing.T) {
		req, err := http.NewRequest(http.MethodPost, s.URL()+v+"/sobjects/Account", strings.NewReader(`{"Name":"New"}`))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		if status, _, body := do(t, s, req); status != 405 || !strings.Contains(string(body), `"errorCode":"METHOD_NOT_ALLOWED"`) {
			t.Errorf("%d %s", status, body)
		}
	})
	t.Run("the session expires", func(t *testing.T) {
		now.Add(int64(sessionLifetime))
		status, hdr, body := get(t, s, v+"/limits", tok)
		if status != 401 || hdr.Get("WWW-Authenticate") != "Token" || string(body) != `[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]` {
			t.Errorf("%d %s", status, body)
		}
	})
}
