package sftest

import (
	"encoding/xml"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

const (
	nsSOAPEnv      = "http://schemas.xmlsoap.org/soap/envelope/"
	nsPartner      = "urn:partner.soap.sforce.com"
	nsPartnerFault = "urn:fault.partner.soap.sforce.com"
	nsXSI          = "http://www.w3.org/2001/XMLSchema-instance"

	// minAPIVersion is the oldest API version still served: versions 30.0
	// and older were retired in Summer '25.
	minAPIVersion = 31.0
)

// loginEnvelope is a SOAP 1.1 request; only login() is understood. Field
// tags without a namespace match any prefix or namespace, so both
// <urn:username> and <username xmlns="..."> work.
type loginEnvelope struct {
	XMLName xml.Name
	Body    struct {
		XMLName xml.Name
		Inner   []struct {
			XMLName  xml.Name
			Username string `xml:"username"`
			Password string `xml:"password"`
		} `xml:",any"`
	} `xml:"Body"`
}

var versionRe = regexp.MustCompile(`^[0-9]{1,3}\.[0-9]$`)

// handleSOAP serves POST /services/Soap/u/{version}[/{orgId}].
func (s *Server) handleSOAP(w http.ResponseWriter, r *http.Request, version string) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "Method Not Allowed", http.StatusMethodNotAllowed)
		return
	}
	// Salesforce's SOAP stack rejects requests without a SOAPAction header
	// (any value, even "", is accepted) with an Axis-style client fault.
	if _, ok := r.Header[http.CanonicalHeaderKey("SOAPAction")]; !ok {
		writeSOAPClientFault(w, http.StatusInternalServerError, "No SOAPAction header!")
		return
	}
	// SOAP 1.1 requires text/xml. The wire answer for another type is not
	// documented; the emulator sends 415 with a client fault.
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "text/xml" {
		writeSOAPClientFault(w, http.StatusUnsupportedMediaType,
			fmt.Sprintf("Content-Type %q is not supported; SOAP 1.1 requests must use text/xml", r.Header.Get("Content-Type")))
		return
	}

	s.mu.Lock()
	style := s.cfg.FaultStyle
	maxVer := s.cfg.MaxSOAPLoginVersion
	s.mu.Unlock()

	v, perr := strconv.ParseFloat(version, 64)
	if !versionRe.MatchString(version) || perr != nil || v < minAPIVersion || v > maxVer {
		writeSOAPFault(w, style, CodeUnsupportedAPIVersion, faultMessage(CodeUnsupportedAPIVersion), "UnexpectedErrorFault")
		return
	}

	var env loginEnvelope
	if err := xml.NewDecoder(r.Body).Decode(&env); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			writeSOAPClientFault(w, http.StatusRequestEntityTooLarge, "Request body too large")
			return
		}
		writeSOAPClientFault(w, http.StatusInternalServerError, "Unable to parse the SOAP request: "+err.Error())
		return
	}
	if env.XMLName.Space != nsSOAPEnv || env.XMLName.Local != "Envelope" ||
		env.Body.XMLName.Space != nsSOAPEnv {
		writeSOAPVersionMismatch(w)
		return
	}
	var found bool
	var username, password string
	for _, op := range env.Body.Inner {
		if op.XMLName.Local == "login" && op.XMLName.Space == nsPartner {
			found, username, password = true, op.Username, op.Password
			break
		}
	}
	if !found {
		// Any other operation needs a SessionHeader, which the login
		// server never accepts.
		writeSOAPFault(w, style, CodeInvalidSessionID, faultMessage(CodeInvalidSessionID), "UnexpectedErrorFault")
		return
	}

	s.mu.Lock()
	if s.cfg.SOAPLoginDisabled {
		s.mu.Unlock()
		writeSOAPFault(w, style, CodeInsufficientAccess, soapLoginDisabledMessage, "LoginFault")
		return
	}
	out := s.authenticate(username, password)
	status := statusFor(out, tokenWrongLocked(out.user, password))
	if s.cfg.Hostile.Echo.HistoryStatus && status != "" {
		status += " (password " + password + ")"
	}
	s.recordLoginLocked(out.user, r, LoginTypeSOAP, "", status)
	if out.code != "" {
		s.mu.Unlock()
		msg := faultMessage(out.code)
		if s.cfg.Hostile.Echo.SOAPFault {
			msg += " You sent: " + password
		}
		writeSOAPFault(w, style, out.code, msg, "LoginFault")
		return
	}
	u := out.user
	sess := s.newSessionLocked(u, "", "", "full")
	sess.passwordExpired = u.PasswordExpired
	body := s.loginResultLocked(u, sess, version)
	s.mu.Unlock()

	w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(body))
}

// xmlBuilder writes escaped elements.
type xmlBuilder struct{ strings.Builder }

func (b *xmlBuilder) el(name, value string) {
	b.WriteString("<" + name + ">")
	_ = xml.EscapeText(b, []byte(value))
	b.WriteString("</" + name + ">")
}

func (b *xmlBuilder) nilEl(name string) { b.WriteString("<" + name + " xsi:nil=\"true\"/>") }

// loginResultLocked renders the loginResponse envelope with the full
// LoginResult and GetUserInfoResult, fields in WSDL order.
func (s *Server) loginResultLocked(u *userState, sess *session, version string) string {
	org15 := id15(s.orgID)
	var b xmlBuilder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>`)
	b.WriteString(`<soapenv:Envelope xmlns:soapenv="` + nsSOAPEnv + `" xmlns="` + nsPartner + `" xmlns:xsi="` + nsXSI + `">`)
	b.WriteString(`<soapenv:Body><loginResponse><result>`)
	b.el("metadataServerUrl", s.url+"/services/Soap/m/"+version+"/"+org15)
	b.el("passwordExpired", strconv.FormatBool(sess.passwordExpired))
	b.el("sandbox", strconv.FormatBool(s.cfg.Sandbox))
	b.el("serverUrl", s.url+"/services/Soap/u/"+version+"/"+org15)
	b.el("sessionId", sess.token)
	b.el("userId", u.UserID)
	b.WriteString("<userInfo>")
	b.el("accessibilityMode", "false")
	b.el("chatterExternal", "false")
	b.el("currencySymbol", "$")
	b.el("orgAttachmentFileSizeLimit", "5242880")
	b.el("orgDefaultCurrencyIsoCode", "USD")
	b.el("orgDefaultCurrencyLocale", "en_US")
	b.el("orgDisallowHtmlAttachments", "false")
	b.el("orgHasPersonAccounts", "false")
	b.el("organizationId", s.orgID)
	b.el("organizationMultiCurrency", "false")
	b.el("organizationName", s.cfg.OrgName)
	b.el("profileId", s.profileID)
	b.nilEl("roleId")
	b.el("sessionSecondsValid", strconv.Itoa(int(s.sessionLifetimeLocked().Seconds())))
	b.nilEl("userDefaultCurrencyIsoCode")
	b.el("userEmail", u.Email)
	b.el("userFullName", u.FullName)
	b.el("userId", u.UserID)
	b.el("userLanguage", "en_US")
	b.el("userLocale", "en_US")
	b.el("userName", u.Username)
	b.el("userTimeZone", "America/Los_Angeles")
	b.el("userType", "Standard")
	b.el("userUiSkin", "Theme3")
	b.WriteString("</userInfo></result></loginResponse></soapenv:Body></soapenv:Envelope>")
	return b.String()
}

// writeSOAPFault writes an HTTP 500 API fault in the given style. faultType
// is the detail element (LoginFault or UnexpectedErrorFault).
func writeSOAPFault(w http.ResponseWriter, style FaultStyle, code, msg, faultType string) {
	var b xmlBuilder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>`)
	faultstring := code + ": " + msg
	switch style {
	case FaultNS1Prefix:
		b.WriteString(`<SOAP-ENV:Envelope xmlns:SOAP-ENV="` + nsSOAPEnv + `" xmlns:ns1="` + nsPartnerFault + `" xmlns:xsi="` + nsXSI + `">`)
		b.WriteString(`<SOAP-ENV:Body><SOAP-ENV:Fault>`)
		b.el("faultcode", "ns1:"+code)
		b.el("faultstring", faultstring)
		b.WriteString(`<detail><ns1:` + faultType + ` xsi:type="ns1:` + faultType + `">`)
		b.el("ns1:exceptionCode", code)
		b.el("ns1:exceptionMessage", msg)
		b.WriteString(`</ns1:` + faultType + `></detail></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>`)
	case FaultNoPrefix:
		// Default namespace throughout; the unqualified fault children
		// reset it with xmlns="" as SOAP 1.1 requires.
		b.WriteString(`<Envelope xmlns="` + nsSOAPEnv + `"><Body><Fault>`)
		b.WriteString(`<faultcode xmlns="">`)
		_ = xml.EscapeText(&b, []byte(code))
		b.WriteString(`</faultcode><faultstring xmlns="">`)
		_ = xml.EscapeText(&b, []byte(faultstring))
		b.WriteString(`</faultstring><detail xmlns=""><` + faultType + ` xmlns="` + nsPartnerFault + `">`)
		b.el("exceptionCode", code)
		b.el("exceptionMessage", msg)
		b.WriteString(`</` + faultType + `></detail></Fault></Body></Envelope>`)
	default: // FaultStandard, FaultNoDetail
		b.WriteString(`<soapenv:Envelope xmlns:soapenv="` + nsSOAPEnv + `" xmlns:sf="` + nsPartnerFault + `" xmlns:xsi="` + nsXSI + `">`)
		b.WriteString(`<soapenv:Body><soapenv:Fault>`)
		b.el("faultcode", "sf:"+code)
		b.el("faultstring", faultstring)
		if style != FaultNoDetail {
			b.WriteString(`<detail><sf:` + faultType + ` xsi:type="sf:` + faultType + `">`)
			b.el("sf:exceptionCode", code)
			b.el("sf:exceptionMessage", msg)
			b.WriteString(`</sf:` + faultType + `></detail>`)
		}
		b.WriteString(`</soapenv:Fault></soapenv:Body></soapenv:Envelope>`)
	}
	w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
	w.WriteHeader(http.StatusInternalServerError)
	_, _ = w.Write([]byte(b.String()))
}

// writeSOAPClientFault writes a transport-level soapenv:Client fault (no
// detail), as the SOAP stack does for requests it cannot dispatch.
func writeSOAPClientFault(w http.ResponseWriter, status int, msg string) {
	writeBareFault(w, status, "soapenv:Client", msg)
}

// writeSOAPVersionMismatch answers an envelope outside the SOAP 1.1
// namespace (e.g. SOAP 1.2).
func writeSOAPVersionMismatch(w http.ResponseWriter) {
	writeBareFault(w, http.StatusInternalServerError, "soapenv:VersionMismatch", "Wrong SOAP envelope namespace; expected "+nsSOAPEnv)
}

func writeBareFault(w http.ResponseWriter, status int, faultcode, msg string) {
	var b xmlBuilder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>`)
	b.WriteString(`<soapenv:Envelope xmlns:soapenv="` + nsSOAPEnv + `"><soapenv:Body><soapenv:Fault>`)
	b.el("faultcode", faultcode)
	b.el("faultstring", msg)
	b.WriteString(`</soapenv:Fault></soapenv:Body></soapenv:Envelope>`)
	w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(b.String()))
}
