package sfclient

import (
	"encoding/xml"
	"errors"
	"strings"
	"testing"
)

func TestBuildSOAPLoginEscapes(t *testing.T) {
	users := []struct{ user, pass string }{
		{"jane@firm.com", "simple"},
		{"o'brien@firm.com", `<&>"'` + "]]>\u00e9\u4e2d\U0001F600"},
		{"a&b@firm.com", "pass word\twith\ttabs  "},
	}
	for _, u := range users {
		body, err := buildSOAPLogin(u.user, u.pass)
		if err != nil {
			t.Fatal(err)
		}
		var got soapLoginRequest
		if err := xml.Unmarshal(body, &got); err != nil {
			t.Fatalf("envelope for %q is not XML: %v\n%s", u.user, err, body)
		}
		if got.Body.Login.Username != u.user || got.Body.Login.Password != u.pass {
			t.Errorf("round trip: got %q/%q, want %q/%q", got.Body.Login.Username, got.Body.Login.Password, u.user, u.pass)
		}
		if !strings.Contains(string(body), `xmlns="urn:partner.soap.sforce.com"`) {
			t.Errorf("login element not in the partner namespace:\n%s", body)
		}
	}
}

const loginOK = `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><loginResponse><result><metadataServerUrl>https://firm.my.salesforce.com/services/Soap/m/64.0/00D000000000001</metadataServerUrl><passwordExpired>false</passwordExpired><sandbox>true</sandbox><serverUrl>https://firm.my.salesforce.com/services/Soap/u/64.0/00D000000000001</serverUrl><sessionId>00D000000000001!AQ0AQ.secret</sessionId><userId>005000000000001AAA</userId><userInfo><accessibilityMode>false</accessibilityMode><organizationId>00D000000000001EAA</organizationId><organizationName>Firm &amp; Partners LLP</organizationName><profileId>00e000000000001</profileId><roleId xsi:nil="true"/><sessionSecondsValid>7200</sessionSecondsValid><userEmail>jane@firm.com</userEmail><userFullName>Jane Doe</userFullName><userId>005000000000001AAA</userId><userName>jane@firm.com.uat</userName><userType>Standard</userType></userInfo></result></loginResponse></soapenv:Body></soapenv:Envelope>`

func TestParseSOAPLoginResult(t *testing.T) {
	lr, err := ParseSOAPLogin([]byte(loginOK))
	if err != nil {
		t.Fatal(err)
	}
	if lr.ServerURL != "https://firm.my.salesforce.com/services/Soap/u/64.0/00D000000000001" || !lr.Sandbox || lr.PasswordExpired {
		t.Errorf("result = %+v", lr)
	}
	ui := lr.UserInfo
	if ui.OrganizationName != "Firm & Partners LLP" || ui.UserFullName != "Jane Doe" || ui.SessionSecondsValid != 7200 ||
		ui.UserName != "jane@firm.com.uat" || ui.OrganizationID != "00D000000000001EAA" || ui.UserEmail != "jane@firm.com" {
		t.Errorf("userInfo = %+v", ui)
	}
	if got := instanceOf(lr.ServerURL); got != "https://firm.my.salesforce.com" {
		t.Errorf("instance = %q", got)
	}
}

func TestParseSOAPFaultVariants(t *testing.T) {
	tests := []struct {
		name, body, code, msg string
	}{
		{"standard", `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="urn:fault.partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><soapenv:Fault><faultcode>sf:INVALID_LOGIN</faultcode><faultstring>INVALID_LOGIN: Invalid username, password, security token; or user locked out.</faultstring><detail><sf:LoginFault xsi:type="sf:LoginFault"><sf:exceptionCode>INVALID_LOGIN</sf:exceptionCode><sf:exceptionMessage>Invalid username, password, security token; or user locked out.</sf:exceptionMessage></sf:LoginFault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>`,
			"INVALID_LOGIN", "Invalid username, password, security token; or user locked out."},
		{"detail wins over faultcode", `<Envelope><Body><Fault><faultcode>soapenv:Server</faultcode><faultstring>whatever</faultstring><detail><LoginFault><exceptionCode>PASSWORD_LOCKOUT</exceptionCode><exceptionMessage>locked</exceptionMessage></LoginFault></detail></Fault></Body></Envelope>`,
			"PASSWORD_LOCKOUT", "locked"},
		{"ns1 prefix, no detail", `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode xmlns:ns1="urn:fault.partner.soap.sforce.com">ns1:LOGIN_MUST_USE_SECURITY_TOKEN</faultcode><faultstring>LOGIN_MUST_USE_SECURITY_TOKEN: Invalid username, password, security token; or user locked out. Are you at a new location?</faultstring></soap:Fault></soap:Body></soap:Envelope>`,
			"LOGIN_MUST_USE_SECURITY_TOKEN", "Invalid username, password, security token; or user locked out. Are you at a new location?"},
		{"no prefix at all", `<Envelope xmlns="http://schemas.xmlsoap.org/soap/envelope/"><Body><Fault><faultcode>API_DISABLED_FOR_ORG</faultcode><faultstring>API is not enabled for this Organization or Partner</faultstring></Fault></Body></Envelope>`,
			"API_DISABLED_FOR_ORG", "API is not enabled for this Organization or Partner"},
		{"generic faultcode, code in faultstring", `<Envelope><Body><Fault><faultcode>soapenv:Server</faultcode><faultstring>UNSUPPORTED_API_VERSION: Invalid Api version specified on URL</faultstring></Fault></Body></Envelope>`,
			"UNSUPPORTED_API_VERSION", "Invalid Api version specified on URL"},
		{"soap 1.2", `<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><env:Fault><env:Code><env:Value>sf:REQUEST_LIMIT_EXCEEDED</env:Value></env:Code><env:Reason><env:Text>REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.</env:Text></env:Reason></env:Fault></env:Body></env:Envelope>`,
			"REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."},
		{"no code anywhere", `<Envelope><Body><Fault><faultcode>soapenv:Client</faultcode><faultstring>Unable to parse request</faultstring></Fault></Body></Envelope>`,
			"", "Unable to parse request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseSOAPLogin([]byte(tt.body))
			var f *SOAPFault
			if !errors.As(err, &f) {
				t.Fatalf("err = %v, want *SOAPFault", err)
			}
			if f.Code != tt.code || f.Message != tt.msg {
				t.Errorf("fault = %q %q, want %q %q", f.Code, f.Message, tt.code, tt.msg)
			}
		})
	}
}

func TestParseSOAPLoginRejectsNonSOAP(t *testing.T) {
	for _, body := range []string{
		"",
		"<html><head><title>Guest Wi-Fi</title></head><body>Sign in</body></html>",
		`{"error":"invalid"}`,
		`<Envelope><Body><loginResponse><result><serverUrl>javascript:alert(1)</serverUrl><sessionId>x</sessionId></result></loginResponse></Body></Envelope>`,
		`<Envelope><Body><somethingElse/></Body></Envelope>`,
		`<Envelope><Body><loginResponse><result><serverUrl>https://x`,
	} {
		if _, err := ParseSOAPLogin([]byte(body)); !errors.Is(err, errNotSOAP) {
			t.Errorf("ParseSOAPLogin(%.40q) = %v, want errNotSOAP", body, err)
		}
	}
}
