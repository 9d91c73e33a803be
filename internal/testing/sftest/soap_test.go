package sftest

import (
	"encoding/xml"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

const (
	alice      = "alice@firm.example"
	alicePass  = "Correct-Horse-1"
	aliceToken = "AbCdEfGhIjKlMnOpQrStUvWx"
)

// orgUsers is a cast covering every credential rule.
func orgUsers() []User {
	return []User{
		{Username: alice, Password: alicePass, SecurityToken: aliceToken, FullName: "Alice Lawyer", UserID: "005Hn00000abcde"},
		{Username: "office@firm.example", Password: "office-pw", SecurityToken: "OfficeToken000000000000x", TrustedNetwork: true},
		{Username: "ipranges@firm.example", Password: "ip-pw"},
		{Username: "gone@firm.example", Password: "gone-pw", SecurityToken: "GoneToken00000000000000x", Inactive: true},
		{Username: "expired@firm.example", Password: "exp-pw", SecurityToken: "ExpToken0000000000000000", PasswordExpired: true},
		{Username: "night@firm.example", Password: "night-pw", SecurityToken: "NightToken00000000000000", Fault: CodeRestrictedTime},
		{Username: "vpn@firm.example", Password: "vpn-pw", SecurityToken: "VpnToken0000000000000000", Fault: CodeRestrictedDomain},
		{Username: "challenge@firm.example", Password: "ch-pw", SecurityToken: "ChToken00000000000000000", Fault: CodeChallengeIssued},
		{Username: "noapi@firm.example", Password: "na-pw", SecurityToken: "NaToken00000000000000000", Fault: CodeAPIDisabledForOrg},
		{Username: "limit@firm.example", Password: "li-pw", SecurityToken: "LiToken00000000000000000", Fault: CodeRequestLimitExceeded},
	}
}

func TestSOAPLoginSuccess(t *testing.T) {
	for _, sandbox := range []bool{false, true} {
		s := newTestServer(t, Config{Users: orgUsers(), Sandbox: sandbox, OrgName: "Smith & Jones LLP"})
		status, body := soapLogin(t, s, alice, alicePass+aliceToken)
		if status != http.StatusOK {
			t.Fatalf("status %d: %s", status, body)
		}
		var lr loginResponse
		if err := xml.Unmarshal(body, &lr); err != nil {
			t.Fatalf("LoginResult does not parse: %v", err)
		}
		r := lr.Result
		org15 := s.OrgID()[:15]
		u, _ := s.User(alice)
		checks := []struct {
			name      string
			got, want any
		}{
			{"serverUrl", r.ServerURL, s.URL() + "/services/Soap/u/64.0/" + org15},
			{"metadataServerUrl", r.MetadataServerURL, s.URL() + "/services/Soap/m/64.0/" + org15},
			{"sandbox", r.Sandbox, sandbox},
			{"passwordExpired", r.PasswordExpired, false},
			{"userId", r.UserID, "005Hn00000abcdeIAA"},
			{"user record id", u.UserID, r.UserID},
			{"userInfo.userId", r.UserInfo.UserID, r.UserID},
			{"organizationId", r.UserInfo.OrganizationID, s.OrgID()},
			{"organizationName", r.UserInfo.OrganizationName, "Smith & Jones LLP"},
			{"userName", r.UserInfo.UserName, alice},
			{"userEmail", r.UserInfo.UserEmail, alice},
			{"userFullName", r.UserInfo.UserFullName, "Alice Lawyer"},
			{"roleId nil", r.UserInfo.RoleID.Nil, "true"},
			{"sessionSecondsValid", r.UserInfo.SessionSecondsValid, 7200},
			{"currencySymbol", r.UserInfo.CurrencySymbol, "$"},
			{"userType", r.UserInfo.UserType, "Standard"},
			{"userUiSkin", r.UserInfo.UserUISkin, "Theme3"},
			{"profileId prefix", r.UserInfo.ProfileID[:3], "00e"},
		}
		for _, c := range checks {
			if c.got != c.want {
				t.Errorf("sandbox=%v %s = %v, want %v", sandbox, c.name, c.got, c.want)
			}
		}
		if !regexp.MustCompile(`^` + org15 + `!AQ[A-Za-z0-9._]{90,}$`).MatchString(r.SessionID) {
			t.Errorf("sessionId %q does not look like a Salesforce session ID", r.SessionID)
		}
		if !regexp.MustCompile(`^00D[A-Za-z0-9]{15}$`).MatchString(s.OrgID()) {
			t.Errorf("OrgID %q", s.OrgID())
		}
	}
}

func TestSOAPLoginOutcomes(t *testing.T) {
	s := newTestServer(t, Config{Users: orgUsers(), LockoutAfter: -1})
	tests := []struct {
		name, user, pass string
		wantCode         string // "" = success
		wantExpired      bool
	}{
		{"password+token", alice, alicePass + aliceToken, "", false},
		{"username is case-insensitive", "ALICE@Firm.Example", alicePass + aliceToken, "", false},
		{"password without token, untrusted", alice, alicePass, CodeMustUseSecurityToken, false},
		{"wrong token", alice, alicePass + "AbCdEfGhIjKlMnOpQrStUvWX", CodeInvalidLogin, false},
		{"token is case-sensitive", alice, alicePass + strings.ToLower(aliceToken), CodeInvalidLogin, false},
		{"wrong password", alice, "nope" + aliceToken, CodeInvalidLogin, false},
		{"token before password", alice, aliceToken + alicePass, CodeInvalidLogin, false},
		{"unknown user", "nobody@firm.example", "x", CodeInvalidLogin, false},
		{"empty username", "", "x", CodeInvalidLogin, false},
		{"trusted network, password only", "office@firm.example", "office-pw", "", false},
		{"trusted network, password+token", "office@firm.example", "office-pwOfficeToken000000000000x", "", false},
		{"trusted network, wrong token", "office@firm.example", "office-pwWrongToken", CodeInvalidLogin, false},
		{"login IP ranges, password only", "ipranges@firm.example", "ip-pw", "", false},
		{"inactive user", "gone@firm.example", "gone-pwGoneToken00000000000000x", CodeInvalidLogin, false},
		{"expired password", "expired@firm.example", "exp-pwExpToken0000000000000000", "", true},
		{"restricted time", "night@firm.example", "night-pwNightToken00000000000000", CodeRestrictedTime, false},
		{"restricted time, wrong password", "night@firm.example", "bad", CodeInvalidLogin, false},
		{"restricted domain", "vpn@firm.example", "vpn-pwVpnToken0000000000000000", CodeRestrictedDomain, false},
		{"challenge", "challenge@firm.example", "ch-pwChToken00000000000000000", CodeChallengeIssued, false},
		{"api disabled", "noapi@firm.example", "na-pwNaToken00000000000000000", CodeAPIDisabledForOrg, false},
		{"request limit", "limit@firm.example", "li-pwLiToken00000000000000000", CodeRequestLimitExceeded, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body := soapLogin(t, s, tc.user, tc.pass)
			if tc.wantCode == "" {
				if status != http.StatusOK {
					t.Fatalf("status %d: %s", status, body)
				}
				var lr loginResponse
				if err := xml.Unmarshal(body, &lr); err != nil {
					t.Fatal(err)
				}
				if lr.Result.SessionID == "" || lr.Result.PasswordExpired != tc.wantExpired {
					t.Errorf("passwordExpired=%v sessionId=%q", lr.Result.PasswordExpired, lr.Result.SessionID)
				}
				return
			}
			if status != http.StatusInternalServerError {
				t.Fatalf("status %d, want 500: %s", status, body)
			}
			f := parseFault(t, body)
			if f.Code != "sf:"+tc.wantCode {
				t.Errorf("faultcode %q, want sf:%s", f.Code, tc.wantCode)
			}
			if !strings.HasPrefix(f.String, tc.wantCode+": ") {
				t.Errorf("faultstring %q", f.String)
			}
			if f.Detail == nil || len(f.Detail.Inner) != 1 {
				t.Fatalf("no detail: %s", body)
			}
			d := f.Detail.Inner[0]
			if d.XMLName.Local != "LoginFault" || d.XMLName.Space != nsPartnerFault || d.Type != "sf:LoginFault" ||
				d.Code != tc.wantCode || d.Message != strings.TrimPrefix(f.String, tc.wantCode+": ") {
				t.Errorf("detail %+v", d)
			}
		})
	}
}

func TestSOAPInvalidLoginMessage(t *testing.T) {
	s := newTestServer(t, Config{Users: orgUsers()})
	_, body := soapLogin(t, s, alice, "wrong")
	f := parseFault(t, body)
	if f.String != "INVALID_LOGIN: Invalid username, password, security token; or user locked out." {
		t.Errorf("faultstring %q", f.String)
	}
}

func TestSOAPFaultStyles(t *testing.T) {
	tests := []struct {
		style        FaultStyle
		wantCode     string
		contains     []string
		wantDetail   bool
		detailSpace  string
		detailPrefix string
	}{
		{FaultStandard, "sf:INVALID_LOGIN", []string{`xmlns:sf="urn:fault.partner.soap.sforce.com"`, `<soapenv:Fault>`, `<sf:LoginFault xsi:type="sf:LoginFault">`}, true, nsPartnerFault, "sf:"},
		{FaultNoDetail, "sf:INVALID_LOGIN", []string{`<soapenv:Fault>`}, false, "", ""},
		{FaultNS1Prefix, "ns1:INVALID_LOGIN", []string{`<SOAP-ENV:Fault>`, `xmlns:ns1="urn:fault.partner.soap.sforce.com"`, `<ns1:exceptionCode>`}, true, nsPartnerFault, "ns1:"},
		{FaultNoPrefix, "INVALID_LOGIN", []string{`<Envelope xmlns="http://schemas.xmlsoap.org/soap/envelope/">`, `<LoginFault xmlns="urn:fault.partner.soap.sforce.com">`}, true, nsPartnerFault, ""},
	}
	for _, tc := range tests {
		t.Run(tc.style.String(), func(t *testing.T) {
			s := newTestServer(t, Config{Users: orgUsers(), LockoutAfter: -1, FaultStyle: tc.style})
			status, hdr, body := postSOAP(t, s, "64.0", loginEnvelopeXML(alice, "wrong"))
			if status != http.StatusInternalServerError || !strings.HasPrefix(hdr.Get("Content-Type"), "text/xml") {
				t.Fatalf("status %d content-type %q", status, hdr.Get("Content-Type"))
			}
			for _, c := range tc.contains {
				if !strings.Contains(string(body), c) {
					t.Errorf("body lacks %s:\n%s", c, body)
				}
			}
			f := parseFault(t, body)
			if f.Code != tc.wantCode || f.exceptionCode() != CodeInvalidLogin {
				t.Errorf("faultcode %q", f.Code)
			}
			if f.String != "INVALID_LOGIN: "+MsgInvalidLogin {
				t.Errorf("faultstring %q", f.String)
			}
			if (f.Detail != nil) != tc.wantDetail {
				t.Fatalf("detail present=%v, want %v", f.Detail != nil, tc.wantDetail)
			}
			if tc.wantDetail {
				d := f.Detail.Inner[0]
				if d.XMLName.Space != tc.detailSpace || d.Code != CodeInvalidLogin || d.Message != MsgInvalidLogin {
					t.Errorf("detail %+v", d)
				}
			}
			// Whatever the prefixes, the faultcode's prefix must resolve
			// to the fault namespace.
			if tc.detailPrefix != "" {
				decl := `xmlns:` + strings.TrimSuffix(tc.detailPrefix, ":") + `="` + nsPartnerFault + `"`
				if !strings.Contains(string(body), decl) {
					t.Errorf("prefix %s not bound to the fault namespace", tc.detailPrefix)
				}
			}
		})
	}
}

func TestSOAPVersions(t *testing.T) {
	s := newTestServer(t, Config{Users: orgUsers()})
	body := loginEnvelopeXML(alice, alicePass+aliceToken)
	for _, tc := range []struct {
		version string
		ok      bool
	}{
		{"64.0", true}, {"31.0", true}, {"58.0", true},
		{"65.0", false}, {"66.0", false}, {"30.0", false}, {"20.0", false}, {"abc", false}, {"64", false},
	} {
		status, _, resp := postSOAP(t, s, tc.version, body)
		if tc.ok {
			if status != http.StatusOK {
				t.Errorf("v%s: status %d", tc.version, status)
			}
			continue
		}
		f := parseFault(t, resp)
		if status != http.StatusInternalServerError || f.Code != "sf:UNSUPPORTED_API_VERSION" ||
			f.Detail == nil || f.Detail.Inner[0].XMLName.Local != "UnexpectedErrorFault" {
			t.Errorf("v%s: status %d fault %+v", tc.version, status, f)
		}
	}
	if status, _, _ := postSOAP(t, newTestServer(t, Config{Users: orgUsers(), MaxSOAPLoginVersion: 66.0}), "65.0", body); status != http.StatusOK {
		t.Errorf("v65.0 with MaxSOAPLoginVersion 66: status %d", status)
	}
	// The serverUrl path form (with the org ID) also routes to login.
	if status, _, _ := postSOAP(t, s, "64.0/"+s.OrgID()[:15], body); status != http.StatusOK {
		t.Errorf("login on serverUrl path: status %d", status)
	}
}

func TestSOAPTransportErrors(t *testing.T) {
	s := newTestServer(t, Config{Users: orgUsers()})
	good := loginEnvelopeXML(alice, alicePass+aliceToken)
	tests := []struct {
		name        string
		method      string
		contentType string
		soapAction  *string
		body        string
		wantStatus  int
		wantCode    string
	}{
		{"no SOAPAction", "POST", "text/xml", nil, good, 500, "soapenv:Client"},
		{"JSON content type", "POST", "application/json", ptr("login"), good, 415, "soapenv:Client"},
		{"SOAP 1.2 content type", "POST", "application/soap+xml", ptr("login"), good, 415, "soapenv:Client"},
		{"empty SOAPAction is fine", "POST", "text/xml", ptr(""), good, 200, ""},
		{"malformed XML", "POST", "text/xml", ptr("login"), "<soapenv:Envelope", 500, "soapenv:Client"},
		{"not an envelope", "POST", "text/xml", ptr("login"), "<html><body>hi</body></html>", 500, "soapenv:VersionMismatch"},
		{"other operation", "POST", "text/xml", ptr("query"),
			`<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:urn="urn:partner.soap.sforce.com"><soapenv:Body><urn:query><urn:queryString>SELECT Id FROM User</urn:queryString></urn:query></soapenv:Body></soapenv:Envelope>`,
			500, "sf:INVALID_SESSION_ID"},
		{"GET", "GET", "", nil, "", 405, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, s.URL()+"/services/Soap/u/64.0", strings.NewReader(tc.body))
			if tc.contentType != "" {
				req.Header.Set("Content-Type", tc.contentType)
			}
			if tc.soapAction != nil {
				req.Header.Set("SOAPAction", *tc.soapAction)
			}
			status, _, body := do(t, s, req)
			if status != tc.wantStatus {
				t.Fatalf("status %d, want %d: %s", status, tc.wantStatus, body)
			}
			if tc.wantCode != "" {
				if f := parseFault(t, body); f.Code != tc.wantCode {
					t.Errorf("faultcode %q, want %q", f.Code, tc.wantCode)
				}
			}
		})
	}
	_, _, body := postSOAPNoAction(t, s, good)
	if f := parseFault(t, body); f.String != "No SOAPAction header!" {
		t.Errorf("faultstring %q", f.String)
	}
}

func postSOAPNoAction(t *testing.T, s *Server, body string) (int, http.Header, []byte) {
	req, _ := http.NewRequest("POST", s.URL()+"/services/Soap/u/64.0", strings.NewReader(body))
	req.Header.Set("Content-Type", "text/xml")
	return do(t, s, req)
}

func ptr(s string) *string { return &s }

func TestSOAPRequestNamespaceVariants(t *testing.T) {
	s := newTestServer(t, Config{Users: orgUsers()})
	user, pass := xmlEscape(alice), xmlEscape(alicePass+aliceToken)
	variants := map[string]string{
		"default namespace": `<Envelope xmlns="http://schemas.xmlsoap.org/soap/envelope/"><Body><login xmlns="urn:partner.soap.sforce.com"><username>` + user + `</username><password>` + pass + `</password></login></Body></Envelope>`,
		"ns1 prefixes": `<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="urn:partner.soap.sforce.com"><SOAP-ENV:Header><ns1:CallOptions><ns1:client>x</ns1:client></ns1:CallOptions></SOAP-ENV:Header>` +
			`<SOAP-ENV:Body><ns1:login><ns1:username>` + user + `</ns1:username><ns1:password>` + pass + `</ns1:password></ns1:login></SOAP-ENV:Body></SOAP-ENV:Envelope>`,
		"unqualified children": `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><p:login xmlns:p="urn:partner.soap.sforce.com"><username>` + user + `</username><password>` + pass + `</password></p:login></s:Body></s:Envelope>`,
		"CDATA and char refs":  `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><p:login xmlns:p="urn:partner.soap.sforce.com"><p:username>&#x61;lice@firm.example</p:username><p:password><![CDATA[` + alicePass + `]]>` + aliceToken + `</p:password></p:login></s:Body></s:Envelope>`,
	}
	for name, body := range variants {
		if status, _, resp := postSOAP(t, s, "64.0", body); status != http.StatusOK {
			t.Errorf("%s: status %d: %s", name, status, resp)
		}
	}
	wrongNS := `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><login xmlns="urn:enterprise.soap.sforce.com"><username>` + user + `</username><password>` + pass + `</password></login></s:Body></s:Envelope>`
	if status, _, _ := postSOAP(t, s, "64.0", wrongNS); status == http.StatusOK {
		t.Error("login in the enterprise namespace accepted on the partner endpoint")
	}
}

func TestSOAPLoginDisabled(t *testing.T) {
	s := newTestServer(t, Config{Users: orgUsers(), SOAPLoginDisabled: true})
	status, body := soapLogin(t, s, alice, alicePass+aliceToken)
	f := parseFault(t, body)
	if status != 500 || f.Code != "sf:"+CodeInsufficientAccess || f.Detail.Inner[0].XMLName.Local != "LoginFault" {
		t.Errorf("status %d fault %+v", status, f)
	}
	if status, _ := soapLogin(t, newTestServer(t, Config{Users: orgUsers()}), alice, alicePass+aliceToken); status != http.StatusOK {
		t.Errorf("enabled: status %d", status)
	}
}
