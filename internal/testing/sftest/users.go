package sftest

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// User is an account in the emulated org.
type User struct {
	// Username is the login name (matched case-insensitively, as
	// Salesforce does).
	Username string
	// Password is the user's password.
	Password string
	// SecurityToken is the user's current token; "" means the user never
	// gets one (Login IP Ranges on the profile), so the password alone is
	// accepted.
	SecurityToken string
	// TrustedNetwork true emulates a login from a trusted IP: the password
	// alone is accepted, and password+token too, as Salesforce does. When
	// false, the correct password without the token answers
	// LOGIN_MUST_USE_SECURITY_TOKEN; a wrong password or token answers
	// INVALID_LOGIN.
	TrustedNetwork bool
	// FullName is the display name (default: derived from Username).
	FullName string
	// Email defaults to Username.
	Email string
	// UserID is the 18-character 005... ID; generated if empty (a
	// 15-character ID is extended with its checksum).
	UserID string
	// PasswordExpired makes SOAP login() succeed with passwordExpired=true
	// (the session then only serves setPassword(), so REST calls with it
	// fail with INVALID_OPERATION_WITH_EXPIRED_PASSWORD). The OAuth
	// username-password grant issues no token: invalid_grant
	// "authentication failure".
	PasswordExpired bool
	// Fault, when set, forces this SOAP exceptionCode on every login with
	// correct credentials, e.g. "LOGIN_DURING_RESTRICTED_TIME",
	// "LOGIN_DURING_RESTRICTED_DOMAIN", "LOGIN_CHALLENGE_ISSUED",
	// "API_DISABLED_FOR_ORG", "API_CURRENTLY_DISABLED",
	// "INSUFFICIENT_ACCESS", "REQUEST_LIMIT_EXCEEDED", "PASSWORD_LOCKOUT",
	// "ORG_LOCKED". The OAuth username-password grant maps it: restricted
	// time or IP → invalid_grant "ip restricted or invalid login hours";
	// REQUEST_LIMIT_EXCEEDED → rate_limit_exceeded; ORG_LOCKED and
	// ORG_SUSPENDED → inactive_org; anything else → invalid_grant
	// "authentication failure".
	Fault string
	// Inactive is a deactivated user: SOAP INVALID_LOGIN, OAuth
	// inactive_user.
	Inactive bool
}

// App is a connected app / External Client App.
type App struct {
	// ClientID is the consumer key.
	ClientID string
	// ClientSecret is the consumer secret; "" makes a public client that
	// needs no secret. It also keys the token response signature.
	ClientSecret string
	// RedirectURIs are the allowed callback URLs (exact match).
	RedirectURIs []string
	// AnyLoopbackPort also accepts a RedirectURIs entry on a loopback
	// host (localhost, 127.0.0.1, [::1]) with any port, as RFC 8252 §7.3
	// asks of servers for native apps; tests sign in on a port the system
	// chose (sfclient.AnyPort).
	AnyLoopbackPort bool
	// RequirePKCE makes the authorize endpoint require code_challenge.
	RequirePKCE bool
	// AllowPasswordFlow allows the username-password grant for this app.
	AllowPasswordFlow bool
	// RotateRefreshTokens makes the refresh grant return a new
	// refresh_token and invalidate the old one.
	RotateRefreshTokens bool
}

// userState is a User plus the server's bookkeeping.
type userState struct {
	User
	failures     int // consecutive failed logins
	lastModified time.Time
}

func (u *userState) firstLast() (first, last string) {
	name := strings.TrimSpace(u.FullName)
	if i := strings.LastIndexByte(name, ' '); i > 0 {
		return name[:i], name[i+1:]
	}
	return "", name
}

func (u *userState) nickname() string {
	local, _, _ := strings.Cut(u.Username, "@")
	if len(local) > 40 {
		local = local[:40]
	}
	return local
}

// ErrUnknownUser is returned by the mutators for a username that is not in
// the org.
var ErrUnknownUser = errors.New("sftest: unknown user")

func (s *Server) addUserLocked(u User) error {
	if u.Username == "" {
		return errors.New("sftest: user without Username")
	}
	key := strings.ToLower(u.Username)
	if _, dup := s.byName[key]; dup {
		return fmt.Errorf("sftest: duplicate user %q", u.Username)
	}
	if u.UserID == "" {
		u.UserID = newID("005")
	}
	u.UserID = id18(u.UserID)
	if u.Email == "" {
		u.Email = u.Username
	}
	if u.FullName == "" {
		local, _, _ := strings.Cut(u.Username, "@")
		u.FullName = local
	}
	st := &userState{User: u, lastModified: time.Now().UTC().Truncate(time.Second)}
	s.users = append(s.users, st)
	s.byName[key] = st
	return nil
}

func (s *Server) addAppLocked(a App) error {
	if a.ClientID == "" {
		return errors.New("sftest: app without ClientID")
	}
	if _, dup := s.apps[a.ClientID]; dup {
		return fmt.Errorf("sftest: duplicate app %q", a.ClientID)
	}
	a.RedirectURIs = append([]string(nil), a.RedirectURIs...)
	s.apps[a.ClientID] = &a
	return nil
}

// User returns a snapshot of the named user (with its generated UserID,
// FullName, Email and current SecurityToken).
func (s *Server) User(username string) (User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.byName[strings.ToLower(username)]
	if u == nil {
		return User{}, false
	}
	return u.User, true
}

// updateUser applies f to the named user under the server lock, to flip
// Fault, Inactive, PasswordExpired or TrustedNetwork while running.
// Username and UserID changes made by f are ignored.
func (s *Server) updateUser(username string, f func(u *User)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.byName[strings.ToLower(username)]
	if u == nil {
		return ErrUnknownUser
	}
	name, id := u.Username, u.UserID
	f(&u.User)
	u.Username, u.UserID = name, id
	u.lastModified = s.now().UTC().Truncate(time.Second)
	return nil
}

// SetUserFault sets User.Fault ("" clears it).
func (s *Server) SetUserFault(username, fault string) error {
	return s.updateUser(username, func(u *User) { u.Fault = fault })
}

// ResetSecurityToken gives the user a new random token (24 case-sensitive
// alphanumeric characters, like Salesforce's) and invalidates the old one.
// It fails for users without a token (Login IP Ranges), who cannot reset
// one in Salesforce either.
func (s *Server) ResetSecurityToken(username string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.byName[strings.ToLower(username)]
	if u == nil {
		return "", ErrUnknownUser
	}
	if u.SecurityToken == "" {
		return "", fmt.Errorf("sftest: %s has Login IP Ranges and no security token", u.Username)
	}
	u.SecurityToken = newSecurityToken()
	u.lastModified = s.now().UTC().Truncate(time.Second)
	return u.SecurityToken, nil
}

// ChangePassword sets a new password. As in Salesforce, this also resets
// the security token (users without one keep none and get ""), clears an
// expired password and unlocks the user.
func (s *Server) ChangePassword(username, newPassword string) (newToken string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.byName[strings.ToLower(username)]
	if u == nil {
		return "", ErrUnknownUser
	}
	u.Password = newPassword
	u.PasswordExpired = false
	u.failures = 0
	if u.SecurityToken != "" {
		u.SecurityToken = newSecurityToken()
	}
	u.lastModified = s.now().UTC().Truncate(time.Second)
	return u.SecurityToken, nil
}

// UnlockUser clears the user's failed-login count, as an administrator's
// Unlock button does.
func (s *Server) UnlockUser(username string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.byName[strings.ToLower(username)]
	if u == nil {
		return ErrUnknownUser
	}
	u.failures = 0
	return nil
}

// FailedLogins returns the user's consecutive failed-login count.
func (s *Server) FailedLogins(username string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u := s.byName[strings.ToLower(username)]; u != nil {
		return u.failures
	}
	return 0
}

func (s *Server) lockoutAfterLocked() int {
	switch n := s.cfg.LockoutAfter; {
	case n == 0:
		return 10
	case n < 0:
		return -1
	default:
		return n
	}
}

// loginOutcome is the result of checking credentials.
type loginOutcome struct {
	user *userState // nil for an unknown username
	// code is "" on success, else the SOAP exceptionCode.
	code string
	// credentialsOK reports that the password (and token) were right, so
	// code, if any, comes from the user's state (Fault, Inactive, lockout
	// is not in this group).
	credentialsOK bool
}

// authenticate checks username and password (password immediately
// followed by the security token) the way Salesforce's login server does,
// counting failures toward lockout. s.mu must be held.
func (s *Server) authenticate(username, password string) loginOutcome {
	u := s.byName[strings.ToLower(username)]
	if u == nil || username == "" {
		return loginOutcome{code: CodeInvalidLogin}
	}
	limit := s.lockoutAfterLocked()
	if limit > 0 && u.failures >= limit {
		return loginOutcome{user: u, code: CodePasswordLockout}
	}
	switch {
	case u.SecurityToken != "" && password == u.Password+u.SecurityToken:
	case password == u.Password && (u.TrustedNetwork || u.SecurityToken == ""):
	case password == u.Password:
		u.failures++
		return loginOutcome{user: u, code: CodeMustUseSecurityToken}
	default:
		u.failures++
		return loginOutcome{user: u, code: CodeInvalidLogin}
	}
	if u.Inactive {
		return loginOutcome{user: u, code: CodeInvalidLogin, credentialsOK: true}
	}
	u.failures = 0
	if u.Fault != "" {
		return loginOutcome{user: u, code: u.Fault, credentialsOK: true}
	}
	return loginOutcome{user: u, credentialsOK: true}
}
