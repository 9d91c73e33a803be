package sfclient

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// failure is a classified transport or protocol failure, before diagnosis.
type failure struct {
	code    Code
	message string // for people; never holds a secret
	detail  netDetail
}

// netDetail refines network and TLS failures for the hint.
type netDetail int

const (
	netGeneric netDetail = iota
	netDNS
	netRefused
	netUnreachable
	tlsUnknownAuthority
	tlsExpired
	tlsWrongHost
	tlsNotTLS
	proxyAuth
)

// classifyTransport names what went wrong below HTTP: the request never got
// an answer. url.Error texts carry the URL, which never holds a secret here
// (secrets travel in bodies and headers only), but the messages built below
// are written for people instead.
func classifyTransport(err error, host string) failure {
	switch {
	case errors.Is(err, context.Canceled):
		return failure{code: CodeCanceled, message: "the check was cancelled"}
	case errors.Is(err, context.DeadlineExceeded), isTimeout(err):
		return failure{code: CodeTimeout, message: fmt.Sprintf("no answer from %s in time", host)}
	}

	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "proxyconnect" {
		return failure{code: CodeProxy, message: "the proxy could not be reached: " + rootMessage(opErr.Err)}
	}
	if msg := err.Error(); strings.Contains(msg, "Proxy Authentication Required") || strings.Contains(msg, "proxyconnect") {
		f := failure{code: CodeProxy, message: "the proxy refused the connection: " + rootMessage(err)}
		if strings.Contains(msg, "407") || strings.Contains(msg, "Proxy Authentication Required") {
			f.detail = proxyAuth
		}
		return f
	}

	var unknownCA x509.UnknownAuthorityError
	if errors.As(err, &unknownCA) {
		issuer := "an unknown issuer"
		if unknownCA.Cert != nil {
			issuer = certName(unknownCA.Cert)
		}
		return failure{code: CodeTLS, detail: tlsUnknownAuthority,
			message: fmt.Sprintf("the certificate presented for %s was issued by %s, which this computer does not trust", host, issuer)}
	}
	var invalid x509.CertificateInvalidError
	if errors.As(err, &invalid) {
		f := failure{code: CodeTLS, message: fmt.Sprintf("the certificate presented for %s is not valid: %s", host, invalid.Error())}
		if invalid.Reason == x509.Expired {
			f.detail = tlsExpired
		}
		return f
	}
	var wrongHost x509.HostnameError
	if errors.As(err, &wrongHost) {
		return failure{code: CodeTLS, detail: tlsWrongHost, message: fmt.Sprintf("the certificate presented is not for %s", host)}
	}
	var recErr tls.RecordHeaderError
	if errors.As(err, &recErr) || strings.Contains(err.Error(), "server gave HTTP response to HTTPS client") {
		return failure{code: CodeTLS, detail: tlsNotTLS, message: fmt.Sprintf("%s did not answer with TLS (https)", host)}
	}
	var certErr *tls.CertificateVerificationError
	var alert tls.AlertError
	if errors.As(err, &certErr) || errors.As(err, &alert) || strings.Contains(err.Error(), "tls: ") {
		return failure{code: CodeTLS, message: "the secure connection failed: " + rootMessage(err)}
	}

	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return failure{code: CodeNetwork, detail: netDNS, message: fmt.Sprintf("could not find %s (DNS lookup failed)", host)}
	}
	switch {
	case isRefused(err):
		return failure{code: CodeNetwork, detail: netRefused, message: fmt.Sprintf("%s refused the connection", host)}
	case isUnreachable(err):
		return failure{code: CodeNetwork, detail: netUnreachable, message: fmt.Sprintf("no route to %s (network unreachable)", host)}
	}
	return failure{code: CodeNetwork, message: "connection failed: " + rootMessage(err)}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// rootMessage is the innermost error text, without url.Error's
// "Post "https://…": " prefix.
func rootMessage(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return err.Error()
}

func certName(c *x509.Certificate) string {
	switch {
	case c.Issuer.CommonName != "":
		return fmt.Sprintf("%q", c.Issuer.CommonName)
	case len(c.Issuer.Organization) > 0:
		return fmt.Sprintf("%q", c.Issuer.Organization[0])
	}
	return "an unnamed issuer"
}
