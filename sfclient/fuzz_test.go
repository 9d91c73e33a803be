package sfclient

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseSOAPLogin: any bytes give a result, a fault or errNotSOAP, never
// a panic, and a fault's code is always a well-formed exception code.
func FuzzParseSOAPLogin(f *testing.F) {
	f.Add([]byte(loginOK))
	f.Add([]byte(`<Envelope><Body><Fault><faultcode>sf:INVALID_LOGIN</faultcode><faultstring>INVALID_LOGIN: x</faultstring><detail><LoginFault><exceptionCode>INVALID_LOGIN</exceptionCode></LoginFault></detail></Fault></Body></Envelope>`))
	f.Add([]byte(`<Envelope><Body><Fault><faultcode>ns1:X</faultcode><faultstring>Y_Z: w</faultstring></Fault></Body></Envelope>`))
	f.Add([]byte(`<html><title>portal</title></html>`))
	f.Add([]byte{0xff, 0xfe, '<'})
	f.Fuzz(func(t *testing.T, body []byte) {
		lr, err := ParseSOAPLogin(body)
		var fault *SOAPFault
		switch {
		case err == nil:
			if lr == nil || lr.SessionID == "" || !validInstance(lr.ServerURL) {
				t.Fatalf("success without a session or a valid serverUrl: %+v", lr)
			}
		case errors.As(err, &fault):
			if fault.Code != "" && !validCode(fault.Code) {
				t.Fatalf("malformed fault code %q", fault.Code)
			}
		case !errors.Is(err, errNotSOAP):
			t.Fatalf("unexpected error kind: %v", err)
		}
	})
}

// FuzzParseAPIError: OAuth and REST error bodies yield either nothing or a
// well-formed code, never a panic.
func FuzzParseAPIError(f *testing.F) {
	f.Add([]byte(`{"error":"invalid_grant","error_description":"authentication failure"}`))
	f.Add([]byte(`[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]`))
	f.Add([]byte(`Bad_OAuth_Token`))
	f.Add([]byte(`{"error":"Invalid Grant!"}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, body []byte) {
		code, msg := ParseAPIError(body)
		if code == "" {
			if msg != "" {
				t.Fatalf("message %q without a code", msg)
			}
			return
		}
		if !validCode(string(code)) {
			t.Fatalf("malformed code %q", code)
		}
		if strings.HasPrefix(string(code), "OAUTH_") && !oauthErrorRE.MatchString(strings.ToLower(strings.TrimPrefix(string(code), "OAUTH_"))) {
			t.Fatalf("malformed OAuth code %q", code)
		}
	})
}

// FuzzParseUserInfo: a userinfo answer is accepted only with both ids.
func FuzzParseUserInfo(f *testing.F) {
	f.Add([]byte(`{"sub":"https://login.salesforce.com/id/00D/005","user_id":"005000000000001AAA","organization_id":"00D000000000001EAA","preferred_username":"jane@firm.com","name":"Jane"}`))
	f.Add([]byte(`{"user_id":""}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		ui, err := ParseUserInfo(body)
		if err == nil && (ui.UserID == "" || ui.OrganizationID == "") {
			t.Fatalf("accepted without ids: %+v", ui)
		}
		if err != nil && !errors.Is(err, errNotSalesforce) {
			t.Fatalf("unexpected error kind: %v", err)
		}
	})
}

// FuzzDescribeAnswer: the description of any body is printable and short.
func FuzzParseVersions(f *testing.F) {
	f.Add([]byte(`[{"label":"Winter '26","url":"/services/data/v65.0","version":"65.0"},{"label":"Spring '26","url":"/services/data/v66.0","version":"66.0"}]`))
	f.Add([]byte(`[{"version":"9.0"},{"version":"100.0"}]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		latest, ok := parseVersions(body)
		if ok && !apiVersionRE.MatchString(latest) {
			t.Fatalf("latest %q is not a version", latest)
		}
		if p := printable(string(body), 50); !utf8.ValidString(p) && utf8.ValidString(string(body)) {
			t.Fatalf("printable broke valid UTF-8")
		}
	})
}
