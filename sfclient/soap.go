package sfclient

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

const (
	soapEnvNS     = "http://schemas.xmlsoap.org/soap/envelope/"
	partnerNS     = "urn:partner.soap.sforce.com"
	soapLoginPath = "/services/Soap/u/"
)

// soapLoginRequest is the partner API login() envelope. encoding/xml escapes
// every character of the username and password.
type soapLoginRequest struct {
	XMLName xml.Name `xml:"http://schemas.xmlsoap.org/soap/envelope/ Envelope"`
	Body    struct {
		Login struct {
			XMLName  xml.Name `xml:"urn:partner.soap.sforce.com login"`
			Username string   `xml:"username"`
			Password string   `xml:"password"`
		}
	} `xml:"http://schemas.xmlsoap.org/soap/envelope/ Body"`
}

// buildSOAPLogin returns the request body for login(username, password).
func buildSOAPLogin(username, password string) ([]byte, error) {
	var req soapLoginRequest
	req.Body.Login.Username = username
	req.Body.Login.Password = password
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	if err := xml.NewEncoder(&buf).Encode(&req); err != nil {
		return nil, fmt.Errorf("encode login envelope: %w", err)
	}
	return buf.Bytes(), nil
}

// LoginResult is the partner API's LoginResult (the fields this product
// uses). SessionID is a live credential: it never leaves the package in a
// Result.
type LoginResult struct {
	MetadataServerURL string
	PasswordExpired   bool
	Sandbox           bool
	ServerURL         string
	SessionID         string
	UserID            string
	UserInfo          UserInfo
}

// UserInfo is LoginResult.userInfo.
type UserInfo struct {
	OrganizationID      string
	OrganizationName    string
	ProfileID           string
	SessionSecondsValid int
	UserEmail           string
	UserFullName        string
	UserID              string
	UserName            string
	UserType            string
	UserLanguage        string
	UserLocale          string
	UserTimeZone        string
}

// SOAPFault is a fault answer to login(), with the exception code found by
// the first rule that yields one: detail/*/exceptionCode, then faultcode
// without its prefix, then the faultstring's "CODE: " prefix.
type SOAPFault struct {
	Code    string // e.g. "INVALID_LOGIN"; "" when none could be read
	Message string // exceptionMessage, else faultstring without the code prefix
}

func (f *SOAPFault) Error() string { return "SOAP fault " + f.Code + ": " + f.Message }

// soapEnvelopeXML mirrors the answer loosely: element names without
// namespaces match any prefix or namespace, which is what real servers need.
type soapEnvelopeXML struct {
	XMLName xml.Name `xml:"Envelope"`
	Body    struct {
		LoginResponse *struct {
			Result loginResultXML `xml:"result"`
		} `xml:"loginResponse"`
		Fault *soapFaultXML `xml:"Fault"`
	} `xml:"Body"`
}

type loginResultXML struct {
	MetadataServerURL string `xml:"metadataServerUrl"`
	PasswordExpired   string `xml:"passwordExpired"`
	Sandbox           string `xml:"sandbox"`
	ServerURL         string `xml:"serverUrl"`
	SessionID         string `xml:"sessionId"`
	UserID            string `xml:"userId"`
	UserInfo          struct {
		OrganizationID      string `xml:"organizationId"`
		OrganizationName    string `xml:"organizationName"`
		ProfileID           string `xml:"profileId"`
		SessionSecondsValid string `xml:"sessionSecondsValid"`
		UserEmail           string `xml:"userEmail"`
		UserFullName        string `xml:"userFullName"`
		UserID              string `xml:"userId"`
		UserName            string `xml:"userName"`
		UserType            string `xml:"userType"`
		UserLanguage        string `xml:"userLanguage"`
		UserLocale          string `xml:"userLocale"`
		UserTimeZone        string `xml:"userTimeZone"`
	} `xml:"userInfo"`
}

type soapFaultXML struct {
	// SOAP 1.1
	FaultCode   string `xml:"faultcode"`
	FaultString string `xml:"faultstring"`
	Detail      struct {
		Inner []struct {
			ExceptionCode    string `xml:"exceptionCode"`
			ExceptionMessage string `xml:"exceptionMessage"`
		} `xml:",any"`
	} `xml:"detail"`
	// SOAP 1.2, tolerated
	Code12   string `xml:"Code>Value"`
	Reason12 string `xml:"Reason>Text"`
}

// errNotSOAP means the body is not a SOAP envelope with a login answer or a
// fault.
var errNotSOAP = errors.New("not a SOAP login answer")

// exceptionCodeRE is the one shape of an error code, from SOAP, REST or a
// bare word: upper-case words of letters and digits joined by single
// underscores ("INVALID_LOGIN", "API_DISABLED_FOR_ORG"), 2 to 81
// characters. A prefix or separator alone ("OAUTH_", "_AA", "A__B") is
// not a code: such a body is read as no code at all.
var exceptionCodeRE = regexp.MustCompile(`^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$`)

// validCode reports whether s is a well-formed error code (exceptionCodeRE,
// 2 to 81 characters).
func validCode(s string) bool {
	return len(s) >= 2 && len(s) <= 81 && exceptionCodeRE.MatchString(s)
}

// soapGenericCodes are SOAP's own fault codes, which say nothing about the
// login; when faultcode is one of them the faultstring is read instead.
var soapGenericCodes = map[string]bool{"Client": true, "Server": true, "VersionMismatch": true, "MustUnderstand": true, "Sender": true, "Receiver": true}

// ParseSOAPLogin reads a login() answer body. It returns the LoginResult, or
// a *SOAPFault, or an error wrapping errNotSOAP for anything else.
func ParseSOAPLogin(body []byte) (*LoginResult, error) {
	var env soapEnvelopeXML
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.Strict = true
	if err := dec.Decode(&env); err != nil {
		return nil, fmt.Errorf("%w: %v", errNotSOAP, err)
	}
	switch {
	case env.Body.Fault != nil:
		return nil, env.Body.Fault.toFault()
	case env.Body.LoginResponse != nil:
		r := env.Body.LoginResponse.Result
		if xmlBool(r.PasswordExpired) && strings.TrimSpace(r.ServerURL) == "" && strings.TrimSpace(r.SessionID) == "" {
			// Some servers answer an expired password with a result that
			// holds nothing else: still a verdict, not a malformed answer.
			return &LoginResult{PasswordExpired: true, UserID: strings.TrimSpace(r.UserID)}, nil
		}
		if r.ServerURL == "" || r.SessionID == "" {
			return nil, fmt.Errorf("%w: loginResponse without serverUrl or sessionId", errNotSOAP)
		}
		if !validInstance(r.ServerURL) {
			return nil, fmt.Errorf("%w: serverUrl is not an http(s) address", errNotSOAP)
		}
		secs, _ := strconv.Atoi(strings.TrimSpace(r.UserInfo.SessionSecondsValid))
		ui := r.UserInfo
		return &LoginResult{
			MetadataServerURL: strings.TrimSpace(r.MetadataServerURL),
			PasswordExpired:   xmlBool(r.PasswordExpired),
			Sandbox:           xmlBool(r.Sandbox),
			ServerURL:         strings.TrimSpace(r.ServerURL),
			SessionID:         strings.TrimSpace(r.SessionID),
			UserID:            strings.TrimSpace(r.UserID),
			UserInfo: UserInfo{
				OrganizationID:      strings.TrimSpace(ui.OrganizationID),
				OrganizationName:    strings.TrimSpace(ui.OrganizationName),
				ProfileID:           strings.TrimSpace(ui.ProfileID),
				SessionSecondsValid: secs,
				UserEmail:           strings.TrimSpace(ui.UserEmail),
				UserFullName:        strings.TrimSpace(ui.UserFullName),
				UserID:              strings.TrimSpace(ui.UserID),
				UserName:            strings.TrimSpace(ui.UserName),
				UserType:            strings.TrimSpace(ui.UserType),
				UserLanguage:        strings.TrimSpace(ui.UserLanguage),
				UserLocale:          strings.TrimSpace(ui.UserLocale),
				UserTimeZone:        strings.TrimSpace(ui.UserTimeZone),
			},
		}, nil
	}
	return nil, fmt.Errorf("%w: envelope has neither loginResponse nor Fault", errNotSOAP)
}

func (f *soapFaultXML) toFault() *SOAPFault {
	faultString := strings.TrimSpace(f.FaultString)
	if faultString == "" {
		faultString = strings.TrimSpace(f.Reason12)
	}
	out := &SOAPFault{}
	for _, d := range f.Detail.Inner {
		if c := strings.TrimSpace(d.ExceptionCode); validCode(c) {
			out.Code = c
			out.Message = strings.TrimSpace(d.ExceptionMessage)
			break
		}
	}
	if out.Code == "" {
		fc := strings.TrimSpace(f.FaultCode)
		if fc == "" {
			fc = strings.TrimSpace(f.Code12)
		}
		if i := strings.LastIndexByte(fc, ':'); i >= 0 {
			fc = fc[i+1:]
		}
		if validCode(fc) && !soapGenericCodes[fc] {
			out.Code = fc
		}
	}
	prefix, rest, hasPrefix := strings.Cut(faultString, ": ")
	if out.Code == "" && hasPrefix && validCode(prefix) {
		out.Code = prefix
	}
	if out.Message == "" {
		out.Message = faultString
		if hasPrefix && prefix == out.Code {
			out.Message = rest
		}
	}
	return out
}

func xmlBool(s string) bool {
	s = strings.TrimSpace(s)
	return s == "true" || s == "1"
}

// validInstance reports whether s is an absolute http(s) URL with a host.
func validInstance(s string) bool {
	u, err := url.Parse(strings.TrimSpace(s))
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// instanceOf turns a serverUrl into its instance URL (scheme and host).
func instanceOf(serverURL string) string {
	u, err := url.Parse(serverURL)
	if err != nil || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}
