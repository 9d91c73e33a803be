package sftest

import (
	"net/http"
	"strconv"
	"strings"
)

// writeIdentityError answers the identity service and userinfo errors:
// a status and a bare text code such as "Bad_OAuth_Token".
func writeIdentityError(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "text/plain;charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(code))
}

// identitySessionLocked authenticates an identity or userinfo request.
func (s *Server) identitySessionLocked(w http.ResponseWriter, r *http.Request) *session {
	tok := bearerToken(r, true)
	if tok == "" {
		writeIdentityError(w, http.StatusForbidden, "Missing_OAuth_Token")
		return nil
	}
	sess := s.lookupSessionLocked(tok)
	if sess == nil {
		writeIdentityError(w, http.StatusForbidden, "Bad_OAuth_Token")
		return nil
	}
	return sess
}

// apiURLs is the "urls" object of the identity and userinfo responses.
// Without a version parameter the URLs keep the literal {version}.
func (s *Server) apiURLs(u *userState, version string) map[string]string {
	if version == "" {
		version = "{version}"
	} else if version == "latest" {
		version = formatVersion(s.cfg.LatestAPIVersion)
	}
	org := id15(s.orgID)
	data := s.url + "/services/data/v" + version
	return map[string]string{
		"enterprise":     s.url + "/services/Soap/c/" + version + "/" + org,
		"metadata":       s.url + "/services/Soap/m/" + version + "/" + org,
		"partner":        s.url + "/services/Soap/u/" + version + "/" + org,
		"rest":           data + "/",
		"sobjects":       data + "/sobjects/",
		"search":         data + "/search/",
		"query":          data + "/query/",
		"recent":         data + "/recent/",
		"tooling_soap":   s.url + "/services/Soap/T/" + version + "/" + org,
		"tooling_rest":   data + "/tooling/",
		"profile":        s.url + "/" + u.UserID,
		"feeds":          data + "/chatter/feeds",
		"groups":         data + "/chatter/groups",
		"users":          data + "/chatter/users",
		"feed_items":     data + "/chatter/feed-items",
		"feed_elements":  data + "/chatter/feed-elements",
		"custom_domain":  s.url,
		"user_info":      s.url + "/services/oauth2/userinfo",
		"identity_proof": s.identityURL(u),
	}
}

// formatVersion renders an API version the way URLs carry it ("66.0").
func formatVersion(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

func (s *Server) photos() map[string]string {
	return map[string]string{
		"picture":   s.url + "/profilephoto/005/F",
		"thumbnail": s.url + "/profilephoto/005/T",
	}
}

// handleIdentity serves GET/POST /id/{orgId}/{userId}: the identity
// service's JSON.
func (s *Server) handleIdentity(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/id/"), "/")
	if len(parts) != 2 || parts[0] == "" || parts[1] == "" {
		writeIdentityError(w, http.StatusNotFound, "Bad_Id")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sess := s.identitySessionLocked(w, r)
	if sess == nil {
		return
	}
	if id18(parts[0]) != s.orgID {
		writeIdentityError(w, http.StatusForbidden, "Wrong_Org")
		return
	}
	var u *userState
	for _, cand := range s.users {
		if cand.UserID == id18(parts[1]) {
			u = cand
		}
	}
	switch {
	case u == nil:
		writeIdentityError(w, http.StatusNotFound, "Bad_Id")
		return
	case u.Inactive:
		writeIdentityError(w, http.StatusNotFound, "Inactive")
		return
	}
	first, last := u.firstLast()
	writeJSON(w, http.StatusOK, map[string]any{
		"id":                      s.identityURL(u),
		"asserted_user":           u == sess.user,
		"user_id":                 u.UserID,
		"organization_id":         s.orgID,
		"username":                u.Username,
		"nick_name":               u.nickname(),
		"display_name":            u.FullName,
		"email":                   u.Email,
		"email_verified":          true,
		"first_name":              first,
		"last_name":               last,
		"timezone":                "America/Los_Angeles",
		"photos":                  s.photos(),
		"addr_street":             nil,
		"addr_city":               nil,
		"addr_state":              nil,
		"addr_country":            "US",
		"addr_zip":                nil,
		"mobile_phone":            nil,
		"mobile_phone_verified":   false,
		"is_lightning_login_user": false,
		"status":                  map[string]any{"created_date": nil, "body": nil},
		"urls":                    s.apiURLs(u, r.URL.Query().Get("version")),
		"active":                  true,
		"user_type":               "STANDARD",
		"language":                "en_US",
		"locale":                  "en_US",
		"utcOffset":               -28800000,
		"last_modified_date":      u.lastModified.UTC().Format("2006-01-02T15:04:05.000+0000"),
		"is_app_installed":        sess.clientID != "",
	})
}

// handleUserinfo serves GET/POST /services/oauth2/userinfo: the OpenID
// Connect UserInfo claims for the token's user.
func (s *Server) handleUserinfo(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess := s.identitySessionLocked(w, r)
	if sess == nil {
		return
	}
	u := sess.user
	first, last := u.firstLast()
	photos := s.photos()
	writeJSON(w, http.StatusOK, map[string]any{
		"sub":                            s.identityURL(u),
		"user_id":                        u.UserID,
		"organization_id":                s.orgID,
		"preferred_username":             u.Username,
		"nickname":                       u.nickname(),
		"name":                           u.FullName,
		"email":                          u.Email,
		"email_verified":                 true,
		"given_name":                     first,
		"family_name":                    last,
		"zoneinfo":                       "America/Los_Angeles",
		"photos":                         photos,
		"profile":                        s.url + "/" + u.UserID,
		"picture":                        photos["picture"],
		"address":                        map[string]string{"country": "US"},
		"is_salesforce_integration_user": false,
		"urls":                           s.apiURLs(u, r.URL.Query().Get("version")),
		"active":                         !u.Inactive,
		"user_type":                      "STANDARD",
		"language":                       "en_US",
		"locale":                         "en_US",
		"utcOffset":                      -28800000,
		"updated_at":                     u.lastModified.UTC().Format("2006-01-02T15:04:05Z"),
	})
}
