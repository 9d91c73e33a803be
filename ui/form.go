package ui

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
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

	loading   bool   // set while load fills the widgets: no change events
	onChanged func() // any input changed
	onSubmit  func() // Enter pressed in a field
}

func newProfileForm() *profileForm {
	f := &profileForm{
		myDomain:   widget.NewEntry(),
		username:   widget.NewEntry(),
		password:   widget.NewPasswordEntry(),
		token:      widget.NewPasswordEntry(),
		clientID:   widget.NewEntry(),
		apiVersion: widget.NewEntry(),
		proxy:      widget.NewEntry(),
		caFile:     widget.NewEntry(),
		urlNote:    widget.NewLabel(""),
	}
	f.env = widget.NewRadioGroup(environments, func(string) {
		f.syncEnvironment()
		f.changed()
	})
	f.env.Horizontal = true
	f.env.Required = true
	f.env.SetSelected(envProduction)
	f.method = widget.NewSelect(methodLabels, func(string) { f.syncMethod(); f.changed() })
	f.method.SetSelected(sfclient.MethodSOAP.Label())

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

	for _, e := range []*widget.Entry{f.myDomain, f.username, f.password, f.token, f.clientID, f.apiVersion, f.proxy, f.caFile} {
		e.OnChanged = func(string) { f.changed() }
		e.OnSubmitted = func(string) {
			if f.onSubmit != nil {
				f.onSubmit()
			}
		}
	}
	f.myDomain.OnChanged = func(string) { f.urlNote.Hide(); f.changed() }
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
	if f.env.Selected == envMyDomain {
		f.myDomain.Show()
	} else {
		f.myDomain.Hide()
		f.urlNote.Hide()
	}
}

// syncMethod shows the inputs the chosen method uses.
func (f *profileForm) syncMethod() {
	switch methodFromLabel(f.method.Selected) {
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
	f.method.SetSelected(m.Label())
	f.clientID.SetText(p.ClientID)
	f.apiVersion.SetText(p.APIVersion)
	f.proxy.SetText(p.Proxy)
	f.caFile.SetText(p.CAFile)
	f.syncEnvironment()
	f.syncMethod()
	f.urlNote.Hide()
	f.presetPolicy(p) // syncMethod has put in the locked values
}

// errNeedMyDomain asks for the My Domain address.
var errNeedMyDomain = errors.New("enter your My Domain address, e.g. https://yourfirm.my.salesforce.com")

// loginURL is the normalised login address of the chosen environment. For
// My Domain it corrects what was pasted (a Lightning address becomes the My
// Domain login host) and says so under the field.
func (f *profileForm) loginURL() (string, error) {
	switch f.env.Selected {
	case envSandbox:
		return sfclient.SandboxLoginURL, nil
	case envMyDomain:
	default:
		return sfclient.ProductionLoginURL, nil
	}
	raw := strings.TrimSpace(f.myDomain.Text)
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
		Username:   strings.TrimSpace(f.username.Text),
		Method:     string(methodFromLabel(f.method.Selected)),
		ClientID:   strings.TrimSpace(f.clientID.Text),
		APIVersion: strings.TrimSpace(f.apiVersion.Text),
		Proxy:      strings.TrimSpace(f.proxy.Text),
		CAFile:     strings.TrimSpace(f.caFile.Text),
	}
	if p.Username == "" && p.Method != credstore.MethodOAuthBrowser {
		return p, errors.New("enter your Salesforce username")
	}
	return p, nil
}

// secrets are the secrets typed in (the password exactly as typed).
func (f *profileForm) secrets() credstore.Secrets {
	return credstore.Secrets{Password: f.password.Text, SecurityToken: strings.TrimSpace(f.token.Text)}
}

// whereItems are the form rows for environment and login address.
func (f *profileForm) whereItems() []*widget.FormItem {
	return []*widget.FormItem{
		{Text: "Environment", Widget: container.NewVBox(f.env, f.myDomain, f.urlNote),
			HintText: "Production is login.salesforce.com, Sandbox is test.salesforce.com"},
	}
}

// advancedItems are the form rows under "Advanced".
func (f *profileForm) advancedItems(win fyne.Window) []*widget.FormItem {
	browse := widget.NewButton("Browse…", func() { f.pickCAFile(win) })
	return []*widget.FormItem{
		{Text: "Method", Widget: f.method, HintText: "SOAP login() works until Summer '27; browser sign-in lasts"},
		{Text: "Client ID", Widget: f.clientID, HintText: "for the OAuth methods"},
		{Text: "API version", Widget: f.apiVersion},
		{Text: "Proxy", Widget: f.proxy},
		{Text: "Extra CA file", Widget: container.NewBorder(nil, nil, nil, browse, f.caFile),
			HintText: "your IT's root certificate (PEM), if a proxy inspects encrypted traffic"},
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

// tokenHelp is the "What is this?" button beside the token field: two
// sentences and a way to the org's Reset My Security Token page.
func tokenHelp(win fyne.Window, loginURL func() (string, error), open func(*url.URL) error) *widget.Button {
	return widget.NewButton("What is this?", func() {
		text := widget.NewLabel(tokenExplanation + "\n\n" + tokenNoneNote)
		text.Wrapping = fyne.TextWrapWord
		d := dialog.NewCustomConfirm("Security token", "Open Reset My Security Token", "Close",
			container.NewPadded(text), func(ok bool) {
				if !ok {
					return
				}
				login, err := loginURL()
				if err != nil {
					dialog.ShowError(err, win)
					return
				}
				u, _ := url.Parse(sfclient.ResetTokenURL(login))
				if err := open(u); err != nil {
					dialog.ShowError(fmt.Errorf("open the browser: %w", err), win)
				}
			}, win)
		d.Resize(fyne.NewSize(460, 260))
		d.Show()
	})
}
