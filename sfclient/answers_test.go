package sfclient_test

import (
	"bufio"
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/advologix/advologix-connect/sfclient"
)

// answer is one fixture of testdata/answers: a Salesforce answer (or what
// stands in front of Salesforce) with the classification a correct checker
// gives. The format is five header lines, a blank line, and the body to the
// end of the file:
//
//	# note: what shape this is
//	# expect: ok | CODE
//	# endpoint: soap | oauth-token | userinfo | versions
//	# status: 200
//	# content-type: text/xml; charset=utf-8
type answer struct {
	name, expect, endpoint, contentType string
	status                              int
	body                                []byte
}

func readAnswer(t *testing.T, path string) answer {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	a := answer{name: strings.TrimSuffix(filepath.Base(path), ".http")}
	r := bufio.NewReader(bytes.NewReader(raw))
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("%s: headers end without a blank line", path)
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			break
		}
		key, val, ok := strings.Cut(strings.TrimPrefix(line, "# "), ": ")
		if !ok {
			t.Fatalf("%s: bad header line %q", path, line)
		}
		switch key {
		case "expect":
			a.expect = val
		case "endpoint":
			a.endpoint = val
		case "status":
			if a.status, err = strconv.Atoi(val); err != nil {
				t.Fatalf("%s: status %q", path, val)
			}
		case "content-type":
			a.contentType = val
		}
	}
	a.body, _ = readRest(r)
	if a.expect == "" || a.endpoint == "" || a.status == 0 {
		t.Fatalf("%s: expect, endpoint and status are required", path)
	}
	return a
}

func readRest(r *bufio.Reader) ([]byte, error) {
	var b bytes.Buffer
	_, err := b.ReadFrom(r)
	return b.Bytes(), err
}

// redirectAll sends every request, whatever host it names, to the loopback
// server at base, so answers that name real Salesforce hosts (instance_url,
// serverUrl) are followed without a byte leaving this machine. It records
// the hosts asked for.
type redirectAll struct {
	base  string
	mu    sync.Mutex
	hosts []string
}

func (rt *redirectAll) RoundTrip(req *http.Request) (*http.Response, error) {
	rt.mu.Lock()
	rt.hosts = append(rt.hosts, req.URL.Host)
	rt.mu.Unlock()
	out := req.Clone(req.Context())
	out.URL.Scheme = "http"
	out.URL.Host = strings.TrimPrefix(rt.base, "http://")
	out.Host = out.URL.Host
	return http.DefaultTransport.RoundTrip(out)
}

const (
	goodToken    = `{"access_token":"00D000000000001!AQ4AQFakeAccessToken","instance_url":"https://firm.my.salesforce.com","id":"https://login.salesforce.com/id/00D000000000001EAA/005000000000001AAA","token_type":"Bearer","issued_at":"1700000000000","signature":"c2ln"}`
	goodUserInfo = `{"sub":"https://login.salesforce.com/id/00D000000000001EAA/005000000000001AAA","user_id":"005000000000001AAA","organization_id":"00D000000000001EAA","preferred_username":"jane@firm.example.com","name":"Jane Doe","email":"jane@firm.example.com"}`
	goodVersions = `[{"label":"Spring '26","url":"/services/data/v66.0","version":"66.0"}]`
)

// serveAnswer answers the fixture's endpoint with the fixture and every
// other endpoint the way a working Salesforce would.
func serveAnswer(a answer) http.Handler {
	write := func(w http.ResponseWriter, status int, ct string, body []byte) {
		if ct != "" {
			w.Header().Set("Content-Type", ct)
		}
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var ep string
		switch p := r.URL.Path; {
		case strings.HasPrefix(p, "/services/Soap/u/"):
			ep = "soap"
		case p == "/services/oauth2/token":
			ep = "oauth-token"
		case p == "/services/oauth2/userinfo":
			ep = "userinfo"
		case p == "/services/data/":
			ep = "versions"
		default:
			http.NotFound(w, r)
			return
		}
		if ep == a.endpoint {
			write(w, a.status, a.contentType, a.body)
			return
		}
		switch ep {
		case "oauth-token":
			write(w, 200, "application/json;charset=UTF-8", []byte(goodToken))
		case "userinfo":
			write(w, 200, "application/json;charset=UTF-8", []byte(goodUserInfo))
		case "versions":
			write(w, 200, "application/json;charset=UTF-8", []byte(goodVersions))
		default:
			http.NotFound(w, r)
		}
	})
}

// answerDirs are the fixture folders: the project's own, plus, when
// $SFCLIENT_ANSWERS names one, a folder of captured answers in the same
// format (such as a shared corpus) to hold the classifier against.
func answerDirs() []string {
	dirs := []string{filepath.Join("testdata", "answers")}
	if d := os.Getenv("SFCLIENT_ANSWERS"); d != "" {
		dirs = append(dirs, d)
	}
	return dirs
}

// TestAnswerShapes holds the classifier to each fixture: prefixes,
// undeclared and enterprise namespaces, faultstrings that disagree with
// faultcode, entities, odd version strings, and HTML pages in front of
// Salesforce.
func TestAnswerShapes(t *testing.T) {
	var files []string
	for _, d := range answerDirs() {
		m, err := filepath.Glob(filepath.Join(d, "*.http"))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 20 {
		t.Fatalf("found %d answer fixtures, want at least 20", len(files))
	}
	for _, path := range files {
		a := readAnswer(t, path)
		t.Run(a.name, func(t *testing.T) {
			base := httpServer(t, serveAnswer(a))
			rt := &redirectAll{base: base}
			client := &http.Client{Transport: rt, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			cfg := sfclient.Config{LoginURL: "https://login.salesforce.com", HTTPClient: client, ClientID: clientID}
			ctx := context.Background()
			if a.endpoint == "versions" {
				c, err := sfclient.New(cfg)
				if err != nil {
					t.Fatal(err)
				}
				p := c.Probe(ctx)
				if got := p.Reachable; got != (a.expect == "ok") {
					t.Fatalf("Probe reachable = %v (answer %q), want expect %s", got, p.Answer, a.expect)
				}
				return
			}
			cr := sfclient.Credentials{Username: "jane@firm.example.com", Password: "pw", SecurityToken: "tok"}
			switch a.endpoint {
			case "soap":
				cfg.Method = sfclient.MethodSOAP
			case "oauth-token", "userinfo":
				cfg.Method = sfclient.MethodOAuthPassword
			default:
				t.Fatalf("unknown endpoint %q", a.endpoint)
			}
			c, err := sfclient.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			r := c.Check(ctx, cr)
			got := string(r.Code)
			if r.OK {
				got = "ok"
			}
			if got != a.expect {
				t.Fatalf("classified %s (%q), want %s", got, r.Message, a.expect)
			}
			if !r.OK && r.Headline == "" {
				t.Errorf("no headline for %s", r.Code)
			}
		})
	}
}
