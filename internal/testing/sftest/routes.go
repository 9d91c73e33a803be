package sftest

import (
	"net/http"
	"strings"
)

// route dispatches on Salesforce's paths.
func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	// Salesforce reads a path with doubled slashes ("//services/data/",
	// as clients write who join an instance URL ending in "/") as the
	// path with single ones.
	p := collapseSlashes(r.URL.Path)
	r.URL.Path = p
	switch {
	case strings.HasPrefix(p, "/services/Soap/u/"):
		rest := strings.TrimPrefix(p, "/services/Soap/u/")
		version, _, _ := strings.Cut(rest, "/")
		s.handleSOAP(w, r, version)
	case p == "/services/oauth2/token":
		s.handleToken(w, r)
	case p == "/services/oauth2/authorize":
		s.handleAuthorize(w, r)
	case p == "/services/oauth2/revoke":
		s.handleRevoke(w, r)
	case p == "/services/oauth2/userinfo":
		s.handleUserinfo(w, r)
	case p == remoteAccessErrorPath:
		s.handleRemoteAccessError(w, r)
	case strings.HasPrefix(p, "/id/"):
		s.handleIdentity(w, r)
	case p == "/services/data" || p == "/services/data/":
		s.handleVersions(w, r)
	case strings.HasPrefix(p, "/services/data/"):
		s.handleData(w, r)
	default:
		writeHTMLNotFound(w)
	}
}

// writeHTMLNotFound is the 404 page for paths outside the APIs.
func writeHTMLNotFound(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html;charset=UTF-8")
	w.WriteHeader(http.StatusNotFound)
	_, _ = w.Write([]byte("<!DOCTYPE html>\n<html><head><title>URL No Longer Exists</title></head><body>" +
		"<h1>URL No Longer Exists</h1><p>You have attempted to reach a URL that no longer exists on salesforce.com.</p></body></html>\n"))
}

// collapseSlashes turns each run of slashes in p into one.
func collapseSlashes(p string) string {
	for strings.Contains(p, "//") {
		p = strings.ReplaceAll(p, "//", "/")
	}
	return p
}
