package sfclient

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"
)

// diagInput is what the diagnosis knows besides the Result.
type diagInput struct {
	method         Method
	hasToken       bool
	host           LoginURL
	username       string
	passwordSpaces bool
	timeout        time.Duration
}

// Words used in several hints.
const (
	resetTokenSteps = "Reset My Security Token (in Lightning: your picture → Settings → My Personal Information; in Classic: My Settings → Personal; Salesforce emails the new token to you)"
	browserSignIn   = "Use browser sign-in instead (“Sign in with browser”, or advologix-connect login --browser)"
	dontRetry       = "Failed logins count towards a lockout, so check before you test again."
)

// diagnosis is the headline, hint and suspect field for a Result.
type diagnosis struct {
	headline string
	hint     string
	suspect  Field
}

// diagnose fills Headline, Hint and Suspect from the code and what is known
// about the attempt.
func diagnose(r *Result, in diagInput) {
	if r.OK {
		r.Headline = "Connected"
		return
	}
	d := explain(r, in)
	if r.probeNote != "" {
		d.hint = strings.TrimSpace(d.hint + " " + r.probeNote)
	}
	r.Headline, r.Hint, r.Suspect = d.headline, d.hint, d.suspect
	if strings.Contains(d.hint, RemedyCAFile.Way()) {
		r.Remedy = RemedyCAFile
	}
}

func explain(r *Result, in diagInput) diagnosis {
	if d, ok := appAccessDiagnosis(r); ok {
		return d
	}
	if d, ok := fixedDiagnosis(r.Code); ok {
		return d
	}
	switch r.Code {
	case CodeInvalidLogin:
		return badCredentials(in, "Salesforce rejected the username, password or security token")
	case CodeOAuthInvalidGrant:
		return invalidGrant(r, in)
	case CodeMustUseSecurityToken:
		if in.hasToken {
			return diagnosis{"Security token not accepted", "Salesforce needs your security token because you are outside your firm's trusted network, and the one entered was not accepted. Get a fresh one via " + resetTokenSteps + ", then enter it here.", FieldToken}
		}
		return diagnosis{"Security token needed",
			"Your password is right, but you are outside your firm's trusted network, so Salesforce also needs your security token. Enter it in the Security token field (the app adds it to the password for you). No token? Get one via " + resetTokenSteps + ".", FieldToken}
	case CodeInsufficientAccess:
		if in.method == MethodSOAP {
			return diagnosis{"SOAP login is switched off or not allowed for you",
				"Your org does not allow you SOAP login(): it is off by default in orgs created from Winter ’26, and newer orgs allow it only to users with the “Use Any API Auth” permission. " + browserSignIn + ", or ask your Salesforce admin.", FieldAdvanced}
		}
		return diagnosis{"Salesforce refused access", "Your user lacks a permission this login needs. Ask your Salesforce admin.", FieldAccount}
	case CodePasswordExpired, CodeInvalidExpiredPassword:
		return diagnosis{"Your Salesforce password has expired",
			fmt.Sprintf("Sign in at %s in your browser and set a new password. Changing the password resets your security token too: Salesforce emails you a new one. Then enter the new password and the new token here.", in.host.URL), FieldPassword}
	case CodeNetwork:
		return networkDiagnosis(r, in)
	case CodeTimeout:
		return diagnosis{"Salesforce did not answer in time",
			fmt.Sprintf("No answer came within %s. Check your internet connection, VPN and proxy, then test again.", in.timeout), FieldNetwork}
	case CodeTLS:
		return tlsDiagnosis(r, in)
	case CodeProxy:
		d := diagnosis{"The proxy did not let the connection through",
			"Check the proxy setting (Advanced, or the HTTPS_PROXY environment variable) with your IT department.", FieldNetwork}
		if r.detail == proxyAuth {
			d.hint = "The proxy asks for a sign-in (HTTP 407). Ask your IT department how this computer should authenticate to the proxy; this app uses the HTTPS_PROXY environment variable or the proxy under Advanced."
		}
		return d
	case CodeLoginRedirected:
		return redirectDiagnosis(r, in)
	case CodeCredentialsMalformed:
		return malformedDiagnosis(r)
	}
	return diagnosis{fmt.Sprintf("Salesforce refused the login (%s)", r.Code),
		"Salesforce gave a reason this app does not know; its message is below. Ask your Salesforce admin or AdvoLogix support.", FieldAccount}
}

// badCredentials explains INVALID_LOGIN and its OAuth twin.
func badCredentials(in diagInput, headline string) diagnosis {
	d := diagnosis{headline: headline, suspect: FieldPassword}
	var parts []string
	if env := environmentMismatch(in); env != "" {
		parts = append(parts, env)
		d.suspect = FieldEnvironment
	}
	if in.hasToken {
		parts = append(parts, "If you changed or reset your password recently, your security token was reset too: use the new one from the email, or get one via "+resetTokenSteps+". Otherwise check the username and password; password and token are case-sensitive.")
		if d.suspect == FieldPassword {
			d.suspect = FieldToken
		}
	} else {
		parts = append(parts, "Check the username and password (case-sensitive). If you log in from outside your office network, your org may need your security token as well: get one via "+resetTokenSteps+" and enter it.")
	}
	if in.passwordSpaces {
		parts = append(parts, "Your password starts or ends with a space: make sure it really does.")
	}
	parts = append(parts, dontRetry)
	d.hint = strings.Join(parts, " ")
	return d
}

func invalidGrant(r *Result, in diagInput) diagnosis {
	desc := strings.ToLower(r.Message)
	switch {
	case in.method == MethodOAuthBrowser || strings.Contains(desc, "refresh token") || strings.Contains(desc, "expired access"):
		return diagnosis{"Browser sign-in has expired or was revoked",
			"Salesforce no longer accepts this profile's saved sign-in (it expired, or it was revoked by you or your admin). Sign in again: “Sign in with browser”, or advologix-connect login --browser.", FieldNone}
	case strings.Contains(desc, "ip restricted") || strings.Contains(desc, "login hours"):
		return diagnosis{"Login not allowed from here or at this time",
			"Your profile restricts logins to certain IP addresses or hours. Connect from the office or VPN, or try again during your login hours.", FieldNetwork}
	case strings.Contains(desc, "not approved") || strings.Contains(desc, "hasn't approved"):
		return diagnosis{"The app is not approved for your user",
			"Your admin must pre-authorise the connected app for your profile, or you must approve it once through browser sign-in.", FieldAdvanced}
	}
	d := badCredentials(in, "Salesforce rejected the login")
	d.hint += " Salesforce gives the same “authentication failure” when the org blocks the OAuth username-password flow (blocked by default in orgs created since Summer ’23): if you are sure of the password and token, switch the method to SOAP login() while it lasts, or " + lowerFirst(browserSignIn) + "."
	return d
}

// sandboxUserRE matches usernames with a sandbox suffix after a common
// top-level domain: jane@firm.com.uat, jane@firm.law.full.
var sandboxUserRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)@[^@]+\.(com|org|net|edu|gov|law|legal|us|uk|ca|au|nz|ie|de|fr|io|co)\.([a-z][a-z0-9]{0,19})$`)
})

// environmentMismatch notices a sandbox username on a production host and
// the reverse.
func environmentMismatch(in diagInput) string {
	m := sandboxUserRE().FindStringSubmatch(in.username)
	switch {
	case m != nil && (in.host.Kind == HostProduction || in.host.Kind == HostMyDomain):
		return fmt.Sprintf("Your username ends in “.%s”, which is how sandbox usernames look, but this is a production login address: choose Sandbox as the environment (or your sandbox's My Domain).", m[2])
	case m == nil && in.host.Kind.IsSandbox():
		return "This is a sandbox login address. Sandbox usernames usually end in the sandbox's name (jane@firm.com.uat); for your everyday login choose Production."
	}
	return ""
}

func networkDiagnosis(r *Result, in diagInput) diagnosis {
	d := diagnosis{headline: "Cannot reach Salesforce", suspect: FieldNetwork}
	switch r.detail {
	case netDNS:
		// The spelling is worth checking only for an address someone typed.
		d.hint = fmt.Sprintf("This computer could not find %s. Check that you are online, and the proxy if your firm uses one.", in.host.Host)
		if in.host.Kind == HostMyDomain || in.host.Kind == HostMyDomainSandbox || in.host.Kind == HostOther {
			d.hint = fmt.Sprintf("This computer could not find %s. Check the login address (the spelling of your My Domain) and that you are online.", in.host.Host)
			d.suspect = FieldEnvironment
		}
	case netRefused:
		d.hint = fmt.Sprintf("%s refused the connection. Check the login address, and whether a firewall blocks it.", in.host.Host)
	default:
		d.hint = "Check your internet connection, VPN and proxy settings, then test again."
	}
	return d
}

func tlsDiagnosis(r *Result, in diagInput) diagnosis {
	d := diagnosis{headline: "The secure connection to Salesforce failed", suspect: FieldNetwork}
	switch r.detail {
	case tlsUnknownAuthority:
		d.headline = "A proxy on your network is intercepting the connection"
		d.hint = "Something on your network (often a security proxy such as Zscaler or a firewall's TLS inspection) presented its own certificate. If you are on public Wi-Fi, do not continue there. Otherwise ask your IT department for its root certificate as a PEM file. " + RemedyCAFile.Way()
		if in.host.Kind == HostLoopback {
			// Nothing on the network: the address is this computer.
			d.headline = "A program on this computer presented a certificate it does not trust"
			d.hint = fmt.Sprintf("%s is this computer, not Salesforce: the certificate comes from a program running here, such as a test or demo server, or local security software. Check the login address; if it is a test server, get its CA certificate as a PEM file. %s", in.host.Host, RemedyCAFile.Way())
		}
		d.suspect = FieldAdvanced
	case tlsExpired:
		d.hint = "The certificate is expired or not yet valid. Check this computer's date and time; if they are right, something on your network is interfering."
	case tlsWrongHost:
		d.hint = "The certificate belongs to another site. Check the login address; if it is right, something on your network is interfering."
		d.suspect = FieldEnvironment
	case tlsNotTLS:
		d.hint = "The server did not answer with https. Check the login address and port."
		d.suspect = FieldEnvironment
	default:
		d.hint = "Check the login address, this computer's date and time, and with your IT department whether a proxy inspects encrypted traffic. If one does, get its root certificate as a PEM file. " + RemedyCAFile.Way()
	}
	return d
}

// Remedy names the setting a hint asks the user to change, so that a face
// can say its own way to it: the hint ends with Way, which names the
// Settings window's and the command line's; a face without that setting
// (the set-up wizard) puts its own sentence in its place.
type Remedy string

// Remedies a hint can ask for.
const (
	RemedyNone Remedy = ""
	// RemedyCAFile: set a PEM certificate as the profile's extra CA file.
	RemedyCAFile Remedy = "ca-file"
)

// Way is the sentence of a hint that says where the remedy is set, in
// the Settings window and on the command line.
func (m Remedy) Way() string {
	if m == RemedyCAFile {
		return "Set it as the extra CA file: in Settings under Advanced, or with --ca-file on the command line."
	}
	return ""
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// redirectDiagnosis explains LOGIN_REDIRECTED: a move of the org's login to
// its My Domain names the address to use; anything else is suspect.
func redirectDiagnosis(r *Result, in diagInput) diagnosis {
	d := diagnosis{headline: "The login address sends the login elsewhere", suspect: FieldEnvironment}
	target, err := url.Parse(r.redirect)
	if r.redirect == "" || err != nil {
		d.hint = "The login service answered with a redirect without a usable address. This is not how Salesforce answers a login: check the login address (environment, or your My Domain). Nothing was sent twice."
		return d
	}
	host := canonicalLoginHost(strings.TrimSuffix(target.Hostname(), "."))
	switch kind := classifyHost(host); {
	case host == in.host.Host:
		d.headline = "The login service keeps redirecting to itself"
		d.hint = "Salesforce does not answer a login with a redirect to the same address; something between this computer and Salesforce (a proxy, filter or Wi-Fi sign-in page) may be answering instead. It was not followed, so your password was sent only once. Check the login address and your network."
	case target.Scheme == "https" && kind != HostOther && kind != HostLoopback:
		use := "https://" + host
		d.headline = "Salesforce moved this login to another address"
		d.hint = fmt.Sprintf("Use %s as the login address (Environment: My Domain, or --login-url %s), then test again. The redirect was not followed, so no password went there.", use, use)
	default:
		d.hint = fmt.Sprintf("The login address redirected to %s, which is not a Salesforce login address. It was not followed, so your password did not go there. Check the login address (environment, or your My Domain).", printable(r.redirect, 120))
	}
	return d
}

// malformedDiagnosis explains CREDENTIALS_MALFORMED; Suspect is already set.
func malformedDiagnosis(r *Result) diagnosis {
	d := diagnosis{suspect: r.Suspect}
	switch r.Suspect {
	case FieldUsername:
		d.headline = "The username cannot be right"
		d.hint = fmt.Sprintf("Enter your Salesforce username: it looks like an email address (jane@firm.com), at most %d characters. Nothing was sent to Salesforce.", MaxUsernameLen)
	case FieldToken:
		d.headline = "The security token cannot be right"
		d.hint = "Paste the security token from Salesforce's email again (24 or 25 letters and digits), or leave it empty if you have none. Nothing was sent to Salesforce."
	default:
		d.headline = "The password cannot be right"
		d.hint = "Type the password again. Nothing was sent to Salesforce, so no failed login was counted."
	}
	return d
}
