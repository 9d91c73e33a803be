package sftest

import (
	"encoding/xml"
	"errors"
	"net/http"
	"regexp"
	"testing"
)

func TestLockout(t *testing.T) {
	s := newTestServer(t, Config{Users: orgUsers(), LockoutAfter: 3, Apps: []App{{ClientID: "cid", AllowPasswordFlow: true}}})
	code := func(pass string) string {
		t.Helper()
		status, body := soapLogin(t, s, alice, pass)
		if status == http.StatusOK {
			return ""
		}
		return parseFault(t, body).exceptionCode()
	}
	good := alicePass + aliceToken
	// A success resets the count.
	for i, want := range []string{CodeInvalidLogin, CodeMustUseSecurityToken, "", CodeInvalidLogin} {
		pass := map[string]string{CodeInvalidLogin: "bad", CodeMustUseSecurityToken: alicePass, "": good}[want]
		if got := code(pass); got != want {
			t.Fatalf("attempt %d: %q, want %q", i, got, want)
		}
	}
	if n := s.FailedLogins(alice); n != 1 {
		t.Fatalf("FailedLogins = %d, want 1", n)
	}
	// OAuth failures count toward the same lockout.
	if status, m := passwordGrant(t, s, "cid", "", alice, "bad"); status != 400 || m["error"] != "invalid_grant" {
		t.Fatalf("oauth: %d %v", status, m)
	}
	if got := code("bad"); got != CodeInvalidLogin {
		t.Fatalf("third failure: %q", got)
	}
	for range 2 {
		if got := code(good); got != CodePasswordLockout {
			t.Fatalf("locked user, correct password: %q", got)
		}
	}
	if status, m := passwordGrant(t, s, "cid", "", alice, good); status != 400 || m["error_description"] != "authentication failure" {
		t.Fatalf("oauth while locked: %d %v", status, m)
	}
	if err := s.UnlockUser(alice); err != nil {
		t.Fatal(err)
	}
	if got := code(good); got != "" {
		t.Fatalf("after unlock: %q", got)
	}

	never := newTestServer(t, Config{Users: orgUsers(), LockoutAfter: -1})
	for range 15 {
		soapLogin(t, never, alice, "bad")
	}
	if status, _ := soapLogin(t, never, alice, good); status != http.StatusOK {
		t.Errorf("LockoutAfter<0 locked the user out")
	}

	def := newTestServer(t, Config{Users: orgUsers()})
	for range 10 {
		soapLogin(t, def, alice, "bad")
	}
	if _, body := soapLogin(t, def, alice, good); parseFault(t, body).exceptionCode() != CodePasswordLockout {
		t.Errorf("default lockout is not 10")
	}
}

func TestTokenResetAndPasswordChange(t *testing.T) {
	s := newTestServer(t, Config{Users: orgUsers(), LockoutAfter: -1})
	ok := func(user, pass string) bool {
		t.Helper()
		status, _ := soapLogin(t, s, user, pass)
		return status == http.StatusOK
	}
	tok, err := s.ResetSecurityToken(alice)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^[A-Za-z0-9]{24}$`).MatchString(tok) || tok == aliceToken {
		t.Fatalf("new token %q", tok)
	}
	if ok(alice, alicePass+aliceToken) {
		t.Error("old token still accepted after reset")
	}
	if !ok(alice, alicePass+tok) {
		t.Error("new token rejected")
	}
	if u, _ := s.User(alice); u.SecurityToken != tok {
		t.Errorf("User().SecurityToken = %q", u.SecurityToken)
	}

	tok2, err := s.ChangePassword(alice, "New-Password-2")
	if err != nil {
		t.Fatal(err)
	}
	if tok2 == tok || len(tok2) != 24 {
		t.Fatalf("password change did not reset the token: %q", tok2)
	}
	for _, pass := range []string{alicePass + tok, alicePass + tok2, "New-Password-2" + tok} {
		if ok(alice, pass) {
			t.Errorf("%q accepted after password change", pass)
		}
	}
	if !ok(alice, "New-Password-2"+tok2) {
		t.Error("new password + new token rejected")
	}

	// Login IP Ranges users have no token to reset; a password change
	// leaves them without one.
	if _, err := s.ResetSecurityToken("ipranges@firm.example"); err == nil {
		t.Error("ResetSecurityToken on a user without token succeeded")
	}
	if tok, err := s.ChangePassword("ipranges@firm.example", "ip-pw-2"); err != nil || tok != "" {
		t.Errorf("ChangePassword(ip ranges) = %q, %v", tok, err)
	}
	if !ok("ipranges@firm.example", "ip-pw-2") {
		t.Error("ip ranges user rejected after password change")
	}
	// A password change clears an expired password.
	if _, err := s.ChangePassword("expired@firm.example", "fresh"); err != nil {
		t.Fatal(err)
	}
	u, _ := s.User("expired@firm.example")
	_, body := soapLogin(t, s, "expired@firm.example", "fresh"+u.SecurityToken)
	var lr loginResponse
	if err := xml.Unmarshal(body, &lr); err != nil || lr.Result.PasswordExpired {
		t.Errorf("passwordExpired after change: %v %s", err, body)
	}

	if _, err := s.ResetSecurityToken("nobody@firm.example"); !errors.Is(err, ErrUnknownUser) {
		t.Errorf("unknown user: %v", err)
	}
}

func TestSpecialCharacters(t *testing.T) {
	user := `o'brien+"x"<&>@firm.example`
	pass := `p<&>"'ü密码 ,;:=?/#%+`
	token := "TokEn0123456789abcdefXYZ"
	s := newTestServer(t, Config{
		Users:   []User{{Username: user, Password: pass, SecurityToken: token, FullName: `Zoë "Z" O'Brien <&>`}},
		Apps:    []App{{ClientID: "cid", ClientSecret: `s&e=c r+e%t`, AllowPasswordFlow: true}},
		OrgName: `Ä & <Partners> "LLP"`,
	})
	status, body := soapLogin(t, s, user, pass+token)
	if status != http.StatusOK {
		t.Fatalf("SOAP: %d %s", status, body)
	}
	var lr loginResponse
	if err := xml.Unmarshal(body, &lr); err != nil {
		t.Fatal(err)
	}
	if lr.Result.UserInfo.UserName != user || lr.Result.UserInfo.UserFullName != `Zoë "Z" O'Brien <&>` ||
		lr.Result.UserInfo.OrganizationName != `Ä & <Partners> "LLP"` {
		t.Errorf("round trip: %+v", lr.Result.UserInfo)
	}
	if status, _ := soapLogin(t, s, user, pass); status == http.StatusOK {
		t.Error("password without token accepted")
	}
	if status, m := passwordGrant(t, s, "cid", `s&e=c r+e%t`, user, pass+token); status != http.StatusOK {
		t.Errorf("OAuth: %d %v", status, m)
	}
	// Basic auth with form-urlencoded credentials (RFC 6749 2.3.1).
	f := map[string][]string{"grant_type": {"password"}, "username": {user}, "password": {pass + token}}
	if status, m := postForm(t, s, "/services/oauth2/token", f, []string{"cid", `s&e=c r+e%t`}); status != http.StatusOK {
		t.Errorf("OAuth basic: %d %v", status, m)
	}
}
