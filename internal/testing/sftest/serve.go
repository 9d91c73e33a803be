package sftest

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
)

// statusRecorder remembers the status code a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (w *statusRecorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Flush lets intercepting handlers stream (slow answers).
func (w *statusRecorder) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		if w.status == 0 {
			w.status = http.StatusOK
		}
		f.Flush()
	}
}

// Unwrap supports http.ResponseController.
func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// maxBody bounds every request body the emulator reads.
const maxBody = 1 << 20

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	entry := Request{Method: r.Method, Path: r.URL.Path}
	if r.URL.Path == "/services/oauth2/token" && r.Method == http.MethodPost && r.Body != nil {
		// Peek at grant_type for the log, then put the body back.
		body, _ := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
		r.Body.Close()
		r.Body = io.NopCloser(bytes.NewReader(body))
		if vals, err := url.ParseQuery(string(body)); err == nil {
			entry.GrantType = vals.Get("grant_type")
		}
		if entry.GrantType == "" {
			entry.GrantType = r.URL.Query().Get("grant_type")
		}
	}
	s.mu.Lock()
	entry.Time = s.now()
	idx := len(s.log)
	s.log = append(s.log, entry)
	intercept := s.cfg.Intercept
	hostile := s.cfg.Hostile
	s.mu.Unlock()

	rec := &statusRecorder{ResponseWriter: w}
	intercepted := false
	defer func() {
		s.mu.Lock()
		if idx < len(s.log) && s.log[idx].Time.Equal(entry.Time) && s.log[idx].Path == entry.Path {
			s.log[idx].Status = rec.status
			s.log[idx].Intercepted = intercepted
		}
		s.mu.Unlock()
	}()
	if intercept != nil && intercept(rec, r) {
		intercepted = true
		return
	}
	if hostile.serve(rec, r, entry.GrantType) {
		return
	}
	r.Body = http.MaxBytesReader(rec, r.Body, maxBody)
	s.route(rec, r)
}
