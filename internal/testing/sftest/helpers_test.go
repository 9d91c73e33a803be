package sftest

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// newTestServer starts a server and closes it with the test.
func newTestServer(t *testing.T, cfg Config) *Server {
	t.Helper()
	s, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

func xmlEscape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// loginEnvelopeXML builds a partner login() request the way most SOAP
// clients write it (urn prefix, qualified children).
func loginEnvelopeXML(username, password string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>` +
		`<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:urn="urn:partner.soap.sforce.com">` +
		`<soapenv:Header/><soapenv:Body><urn:login>` +
		`<urn:username>` + xmlEscape(username) + `</urn:username>` +
		`<urn:password>` + xmlEscape(password) + `</urn:password>` +
		`</urn:login></soapenv:Body></soapenv:Envelope>`
}

// postSOAP posts body to /services/Soap/u/{version} with the usual headers.
func postSOAP(t *testing.T, s *Server, version, body string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.URL()+"/services/Soap/u/"+version, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "text/xml; charset=UTF-8")
	req.Header.Set("SOAPAction", "login")
	return do(t, s, req)
}

func do(t *testing.T, s *Server, req *http.Request) (int, http.Header, []byte) {
	t.Helper()
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

func soapLogin(t *testing.T, s *Server, username, password string) (int, []byte) {
	t.Helper()
	status, _, body := postSOAP(t, s, "64.0", loginEnvelopeXML(username, password))
	return status, body
}

// loginResponse mirrors the partner WSDL's loginResponse.
type loginResponse struct {
	XMLName xml.Name `xml:"http://schemas.xmlsoap.org/soap/envelope/ Envelope"`
	Result  struct {
		MetadataServerURL string `xml:"metadataServerUrl"`
		PasswordExpired   bool   `xml:"passwordExpired"`
		Sandbox           bool   `xml:"sandbox"`
		ServerURL         string `xml:"serverUrl"`
		SessionID         string `xml:"sessionId"`
		UserID            string `xml:"userId"`
		UserInfo          struct {
			AccessibilityMode          bool   `xml:"accessibilityMode"`
			CurrencySymbol             string `xml:"currencySymbol"`
			OrgAttachmentFileSizeLimit int    `xml:"orgAttachmentFileSizeLimit"`
			OrgDefaultCurrencyIsoCode  string `xml:"orgDefaultCurrencyIsoCode"`
			OrgDisallowHTMLAttachments bool   `xml:"orgDisallowHtmlAttachments"`
			OrgHasPersonAccounts       bool   `xml:"orgHasPersonAccounts"`
			OrganizationID             string `xml:"organizationId"`
			OrganizationMultiCurrency  bool   `xml:"organizationMultiCurrency"`
			OrganizationName           string `xml:"organizationName"`
			ProfileID                  string `xml:"profileId"`
			RoleID                     struct {
				Nil   string `xml:"http://www.w3.org/2001/XMLSchema-instance nil,attr"`
				Value string `xml:",chardata"`
			} `xml:"roleId"`
			SessionSecondsValid        int    `xml:"sessionSecondsValid"`
			UserDefaultCurrencyIsoCode string `xml:"userDefaultCurrencyIsoCode"`
			UserEmail                  string `xml:"userEmail"`
			UserFullName               string `xml:"userFullName"`
			UserID                     string `xml:"userId"`
			UserLanguage               string `xml:"userLanguage"`
			UserLocale                 string `xml:"userLocale"`
			UserName                   string `xml:"userName"`
			UserTimeZone               string `xml:"userTimeZone"`
			UserType                   string `xml:"userType"`
			UserUISkin                 string `xml:"userUiSkin"`
		} `xml:"userInfo"`
	} `xml:"Body>loginResponse>result"`
}

// parsedFault is a tolerant SOAP fault parse: tags without namespace
// match any prefix.
type parsedFault struct {
	Code   string `xml:"Body>Fault>faultcode"`
	String string `xml:"Body>Fault>faultstring"`
	Detail *struct {
		Inner []struct {
			XMLName xml.Name
			Type    string `xml:"http://www.w3.org/2001/XMLSchema-instance type,attr"`
			Code    string `xml:"exceptionCode"`
			Message string `xml:"exceptionMessage"`
		} `xml:",any"`
	} `xml:"Body>Fault>detail"`
}

func parseFault(t *testing.T, body []byte) parsedFault {
	t.Helper()
	var f parsedFault
	if err := xml.Unmarshal(body, &f); err != nil {
		t.Fatalf("fault does not parse: %v\n%s", err, body)
	}
	return f
}

// faultCode returns the exception code from faultcode, prefix removed.
func (f parsedFault) exceptionCode() string {
	if i := strings.LastIndexByte(f.Code, ':'); i >= 0 {
		return f.Code[i+1:]
	}
	return f.Code
}

// postForm posts an urlencoded form; basic, if non-nil, is {id, secret}.
func postForm(t *testing.T, s *Server, path string, form url.Values, basic []string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.URL()+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basic != nil {
		req.SetBasicAuth(url.QueryEscape(basic[0]), url.QueryEscape(basic[1]))
	}
	status, _, body := do(t, s, req)
	var m map[string]any
	if len(body) > 0 {
		if err := json.Unmarshal(body, &m); err != nil {
			t.Fatalf("%s: non-JSON body %q", path, body)
		}
	}
	return status, m
}

// getJSON does a GET with an optional bearer token.
func get(t *testing.T, s *Server, path, token string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.URL()+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return do(t, s, req)
}

// getJSON is get's body as a JSON object; anything but 200 fails the test.
func getJSON(t *testing.T, s *Server, path, token string) map[string]any {
	t.Helper()
	status, _, body := get(t, s, path, token)
	if status != 200 {
		t.Fatalf("GET %s: %d %s", path, status, body)
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// wantFields checks that got has each field of want with its value.
func wantFields(t *testing.T, got, want map[string]any) {
	t.Helper()
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
}

func passwordGrant(t *testing.T, s *Server, clientID, secret, username, password string) (int, map[string]any) {
	t.Helper()
	f := url.Values{"grant_type": {"password"}, "client_id": {clientID}, "username": {username}, "password": {password}}
	if secret != "" {
		f.Set("client_secret", secret)
	}
	return postForm(t, s, "/services/oauth2/token", f, nil)
}
