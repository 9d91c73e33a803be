package sfclient

import "testing"

// TestParseAPIErrorCodeShape: a code is upper-case words joined by single
// underscores. A prefix or a separator alone is not a code, whatever shape
// carries it (a bare word, the REST array, the OAuth "error"), so the
// answer is read as "no recognisable error" (UNEXPECTED_RESPONSE upstream)
// rather than as a code nobody can look up. The fuzzer's rule is the same
// (validCode); the bodies it found are also seeds in
// testdata/fuzz/FuzzParseAPIError.
func TestParseAPIErrorCodeShape(t *testing.T) {
	tests := []struct {
		body string
		want Code
	}{
		{`OAuth_`, ""},
		{`_AA`, ""},
		{`Bad__Token`, ""},
		{`_`, ""},
		{`__`, ""},
		{`ab`, ""},
		{`Bad_OAuth_Token`, "BAD_OAUTH_TOKEN"},
		{`OAuth_Expired`, "OAUTH_EXPIRED"},
		{` invalid_session_id `, "INVALID_SESSION_ID"},
		{`[{"errorCode":"OAUTH_","message":"m"}]`, ""},
		{`[{"errorCode":"INVALID__SESSION","message":"m"}]`, ""},
		{`[{"errorCode":"INVALID_SESSION_ID_","message":"m"}]`, ""},
		{`[{"errorCode":"INVALID_SESSION_ID","message":"Session expired or invalid"}]`, "INVALID_SESSION_ID"},
		{`{"error":"invalid_","error_description":"d"}`, ""},
		{`{"error":"_grant","error_description":"d"}`, ""},
		{`{"error":"invalid__grant","error_description":"d"}`, ""},
		{`{"error":"invalid_grant","error_description":"authentication failure"}`, "OAUTH_INVALID_GRANT"},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			code, msg := ParseAPIError([]byte(tt.body))
			if code != tt.want {
				t.Errorf("ParseAPIError(%q) = %q, want %q", tt.body, code, tt.want)
			}
			if code == "" && msg != "" {
				t.Errorf("message %q without a code", msg)
			}
			if code != "" && !validCode(string(code)) {
				t.Errorf("code %q is not a valid code", code)
			}
		})
	}
}
