package ui

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/sfclient"
)

// profileForm holds the inputs of one profile: where, who, secrets and the
// advanced settings. The Settings window lays them out in one form; the
// wizard spreads the same kind of form over its steps.
type profileForm struct {
	env        *widget.RadioGroup
	myDomain   *widget.Entry
	username   *widget.Entry
	password   *widget.Entry
	token      *widget.Entry
	method     *widget.Select
	clientID   *widget.Entry
	apiVersion *widget.Entry
	proxy      *widget.Entry
	caFile     *widget.Entry
	urlNote    *widget.Label // corrections and warnings about the login URL

	pol *formPolicy // the IT policy (policy.go); nil: none

	// v is what the widgets hold: each writes its value here on every
	// change, and the form's profile and secrets are read from it.
	v formValues

	loading   bool   // set while load fills the widgets: no change events
	onChanged func() // any input changed
	onSubmit  func() // Enter pressed in a field
}

func newProfileForm() *profileForm {
	f := &profileForm{
		myDomain:   widget.NewEntry(),
		username:   widget.NewEntry(),
		password:   newSecretEntry(),
		token:      newSecretEntry(),
		clientID:   widget.NewEntry(),
		apiVersion: widget.NewEntry(),
		proxy:      widget.NewEntry(),
		caFile:     widget.NewEntry(),
		urlNote:    widget.NewLabel(""),
	}
	f.env = widget.NewRadioGroup(environments, func(v string) {
		f.v.env = v
		f.syncEnvironment()
		f.changed()
	})
	f.env.Horizontal = false // one under the other: fits a narrow window
	f.env.Required = true
	f.env.SetSelected(envProduction)
	f.method = widget.NewSelect(methodLabels, func(v string) { f.v.method = v; f.syncMethod(); f.changed() })
	f.method.SetSelected(methodLabel(sfclient.MethodSOAP))

	f.myDomain.SetPlaceHolder("https://yourfirm.my.salesforce.com")
	f.username.SetPlaceHolder("name@yourfirm.com")
	f.token.SetPlaceHolder("empty if you have none")
	f.clientID.SetPlaceHolder("consumer key of the connected app")
	f.apiVersion.SetPlaceHolder(sfclient.DefaultAPIVersion)
	f.proxy.SetPlaceHolder("from the system (HTTPS_PROXY)")
	f.caFile.SetPlaceHolder("none: the system's certificates only")
	f.urlNote.Wrapping = fyne.TextWrapWord
	f.urlNote.Importance = widget.WarningImportance
	f.urlNote.Hide()

	for _, e := range []struct {
		entry *widget.Entry
		value *string
	}{{f.myDomain, &f.v.myDomain}, {f.username, &f.v.username}, {f.password, &f.v.password}, {f.token, &f.v.token},
		{f.clientID, &f.v.clientID}, {f.apiVersion, &f.v.apiVersion}, {f.proxy, &f.v.proxy}, {f.caFile, &f.v.caFile}} {
		value := e.value
		e.entry.OnChanged = func(v string) { *value = v; f.changed() }
		e.entry.OnSubmitted = func(string) {
			if f.onSubmit != nil {
				f.onSubmit()
			}
		}
	}
	f.myDomain.OnChanged = func(v string) { f.v.myDomain = v; f.urlNote.Hide(); f.changed() }
	f.syncEnvironment()
	f.syncMethod()
	return f
}

func (f *profileForm) changed() {
	if !f.loading && f.onChanged != nil {
		f.onChanged()
	}
}

func (f *profileForm) syncEnvironment() {
	if f.v.env == envMyDomain {
		f.myDomain.Show()
	} else {
		f.myDomain.Hide()
		f.urlNote.Hide()
	}
}

// syncMethod shows the inputs the chosen method uses.
func (f *profileForm) syncMethod() {
	switch methodFromLabel(f.v.method) {
	case sfclient.MethodSOAP:
		f.clientID.Disable()
		f.password.Enable()
		f.token.Enable()
	case sfclient.MethodOAuthPassword:
		f.clientID.Enable()
		f.password.Enable()
		f.token.Enable()
	case sfclient.MethodOAuthBrowser:
		f.clientID.Enable()
		f.password.Disable()
		f.token.Disable()
	}
	f.enforcePolicy()
}

// load fills the widgets from a saved profile and its secrets.
func (f *profileForm) load(p credstore.Profile, s credstore.Secrets) {
	f.loading = true
	defer func() { f.loading = false }()
	env := environmentOf(p.LoginURL)
	f.env.SetSelected(env)
	if env == envMyDomain {
		f.myDomain.SetText(p.LoginURL)
	} else {
		f.myDomain.SetText("")
	}
	f.username.SetText(p.Username)
	f.password.SetText(s.Password)
	f.token.SetText(s.SecurityToken)
	m, err := sfclient.ParseMethod(p.Method)
	if err != nil {
		m = sfclient.MethodSOAP
	}
	f.method.SetSelected(methodLabel(m))
	f.clientID.SetText(p.ClientID)
	f.apiVersion.SetText(p.APIVersion)
	f.proxy.SetText(p.Proxy)
	f.caFile.SetText(p.CAFile)
	f.syncEnvironment()
	f.syncMethod()
	f.urlNote.Hide()
	if env == envMyDomain {
		_, _ = f.loginURL() // flags a host that is not Salesforce's before any test
	}
	f.presetPolicy(p) // syncMethod has put in the locked values
}

// errNeedMyDomain asks for the My Domain address.
var errNeedMyDomain = errors.New("enter your My Domain address, e.g. https://yourfirm.my.salesforce.com")

// loginURL is the normalised login address of the chosen environment. For
// My Domain it corrects what was pasted (a Lightning address becomes the My
// Domain login host) and says so under the field.
func (f *profileForm) loginURL() (string, error) {
	switch f.v.env {
	case envSandbox:
		return sfclient.SandboxLoginURL, nil
	case envMyDomain:
	default:
		return sfclient.ProductionLoginURL, nil
	}
	raw := strings.TrimSpace(f.v.myDomain)
	if raw == "" {
		return "", errNeedMyDomain
	}
	u, err := sfclient.ParseLoginURL(raw)
	if err != nil {
		return "", err
	}
	var notes []string
	if u.URL != raw && u.URL+"/" != raw {
		notes = append(notes, "Corrected to "+u.URL+", the login address of what you pasted.")
		f.loading = true
		f.myDomain.SetText(u.URL)
		f.loading = false
	}
	notes = append(notes, u.Warnings...)
	if len(notes) > 0 {
		f.urlNote.SetText(strings.Join(notes, " "))
		f.urlNote.Show()
	} else {
		f.urlNote.Hide()
	}
	return u.URL, nil
}

// profile is the profile the widgets describe, named name.
func (f *profileForm) profile(name string) (credstore.Profile, error) {
	login, err := f.loginURL()
	if err != nil {
		return credstore.Profile{}, err
	}
	p := credstore.Profile{
		Name:       name,
		LoginURL:   login,
		Username:   strings.TrimSpace(f.v.username),
		Method:     string(methodFromLabel(f.v.method)),
		ClientID:   strings.TrimSpace(f.v.clientID),
		APIVersion: strings.TrimSpace(f.v.apiVersion),
		Proxy:      strings.TrimSpace(f.v.proxy),
		CAFile:     strings.TrimSpace(f.v.caFile),
	}
	if p.Username == "" && p.Method != credstore.MethodOAuthBrowser {
		return p, errors.New("enter your Salesforce username")
	}
	return p, nil
}

// secrets are the secrets typed in (the password exactly as typed).
func (f *profileForm) secrets() credstore.Secrets {
	return credstore.Secrets{Password: f.v.password, SecurityToken: strings.TrimSpace(f.v.token)}
}

// whereItems are the form rows for environment and login address.
func (f *profileForm) whereItems() []*widget.FormItem {
	return []*widget.FormItem{
		{Text: "Environment", Widget: hinted(container.NewVBox(f.env, f.myDomain, f.urlNote),
			"Production is login.salesforce.com, Sandbox is test.salesforce.com")},
	}
}

// hinted puts a small note under a form field. Unlike a FormItem's
// HintText (one line that never wraps, and so sets the form's least width),
// the note wraps: the window still fits a narrow screen.
func hinted(field fyne.CanvasObject, hint string) fyne.CanvasObject {
	l := widget.NewLabel(hint)
	l.Wrapping = fyne.TextWrapWord
	l.SizeName = theme.SizeNameCaptionText
	return container.New(layout.NewCustomPaddedVBoxLayout(0), field, l)
}

// advancedItems are the form rows under "Advanced".
func (f *profileForm) advancedItems(win fyne.Window) []*widget.FormItem {
	browse := newKeyButton("Browse…", nil, func() { f.pickCAFile(win) })
	return []*widget.FormItem{
		{Text: "Sign in with", Widget: hinted(f.method, "password and token work until Salesforce retires them (Summer '27); browser sign-in lasts")},
		{Text: "Connected app", Widget: hinted(f.clientID, "its client id, from your Salesforce admin; not needed with password and token")},
		{Text: "Version", Widget: hinted(f.apiVersion, "of Salesforce's interface; leave as it is unless support asks you to change it")},
		{Text: "Proxy", Widget: f.proxy},
		{Text: "Extra CA file", Widget: hinted(container.NewBorder(nil, nil, nil, browse, f.caFile),
			"your IT's root certificate (PEM), if a proxy inspects encrypted traffic")},
	}
}

func (f *profileForm) pickCAFile(win fyne.Window) {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		defer r.Close()
		f.caFile.SetText(r.URI().Path())
	}, win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".pem", ".crt", ".cer"}))
	d.Show()
}

// tokenHelp is the "What is this?" button beside the token field: what a
// token is, where Salesforce resets it, and a way to that page.
func tokenHelp(win fyne.Window, loginURL func() (string, error), open func(win fyne.Window, what, address string)) *keyButton {
	return newKeyButton("What is this?", nil, func() {
		text := widget.NewLabel(tokenExplanation + "\n\n" + tokenHowTo + "\n\n" + tokenNoneNote)
		text.Wrapping = fyne.TextWrapWord
		askWith(win, "Security token", text, []choice{
			{label: "Close"},
			{label: "Open Reset My Security Token", imp: widget.HighImportance, do: func() {
				login, err := loginURL()
				if err != nil {
					showProblem(win, "Choose the environment first", err.Error())
					return
				}
				open(win, "reset your security token", sfclient.ResetTokenURL(login))
			}},
		}, 1, 0)
	})
}
