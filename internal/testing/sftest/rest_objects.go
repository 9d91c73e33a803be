package sftest

import (
	"strings"
	"time"
)

// sobjectField is one field of an emulated object, as describe gives it.
type sobjectField struct {
	Name     string
	Label    string
	Type     string // Salesforce field type: id, string, boolean, datetime, picklist, reference, email, phone, url
	Length   int
	Nillable bool
	Ref      string // referenceTo of a reference field
}

// sobjectType is an object the emulator serves: its describe facts and
// how to get its records from the server's state.
type sobjectType struct {
	Name        string
	Label       string
	LabelPlural string
	KeyPrefix   string
	Fields      []sobjectField
	Createable  bool
	// records returns the rows, keyed by canonical field name; s.mu held.
	records func(s *Server) []map[string]any
}

// field returns the canonical field named name (case-insensitive).
func (t *sobjectType) field(name string) (sobjectField, bool) {
	for _, f := range t.Fields {
		if strings.EqualFold(f.Name, name) {
			return f, true
		}
	}
	return sobjectField{}, false
}

// sfTime renders a time the way the REST API writes datetimes.
func sfTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000+0000") }

// orgCreated is when every emulated org was created: a fixed date, so
// answers are the same from run to run.
var orgCreated = time.Date(2024, 3, 4, 9, 30, 0, 0, time.UTC)

func idField() sobjectField {
	return sobjectField{Name: "Id", Label: "Record ID", Type: "id", Length: 18}
}

func auditFields() []sobjectField {
	return []sobjectField{
		{Name: "CreatedDate", Label: "Created Date", Type: "datetime"},
		{Name: "LastModifiedDate", Label: "Last Modified Date", Type: "datetime"},
		{Name: "SystemModstamp", Label: "System Modstamp", Type: "datetime"},
	}
}

// sobjectTypes are the objects the emulator serves, in describeGlobal's
// (alphabetical) order.
var sobjectTypes = []*sobjectType{
	{
		Name: "Account", Label: "Account", LabelPlural: "Accounts", KeyPrefix: "001", Createable: true,
		Fields: append([]sobjectField{idField(),
			{Name: "Name", Label: "Account Name", Type: "string", Length: 255},
			{Name: "Type", Label: "Account Type", Type: "picklist", Length: 255, Nillable: true},
			{Name: "Industry", Label: "Industry", Type: "picklist", Length: 255, Nillable: true},
			{Name: "BillingCity", Label: "Billing City", Type: "string", Length: 40, Nillable: true},
			{Name: "Phone", Label: "Account Phone", Type: "phone", Length: 40, Nillable: true},
			{Name: "Website", Label: "Website", Type: "url", Length: 255, Nillable: true},
			{Name: "OwnerId", Label: "Owner ID", Type: "reference", Length: 18, Ref: "User"},
		}, auditFields()...),
		records: func(s *Server) []map[string]any { return s.accountRecords() },
	},
	{
		Name: "Organization", Label: "Organization", LabelPlural: "Organizations", KeyPrefix: "00D",
		Fields: append([]sobjectField{idField(),
			{Name: "Name", Label: "Name", Type: "string", Length: 80},
			{Name: "InstanceName", Label: "Instance Name", Type: "string", Length: 5, Nillable: true},
			{Name: "IsSandbox", Label: "Is Sandbox", Type: "boolean"},
			{Name: "OrganizationType", Label: "Edition", Type: "picklist", Length: 40, Nillable: true},
			{Name: "TrialExpirationDate", Label: "Trial Expiration Date", Type: "datetime", Nillable: true},
			{Name: "NamespacePrefix", Label: "Namespace Prefix", Type: "string", Length: 15, Nillable: true},
			{Name: "LanguageLocaleKey", Label: "Language", Type: "picklist", Length: 40},
			{Name: "DefaultLocaleSidKey", Label: "Locale", Type: "picklist", Length: 40},
			{Name: "TimeZoneSidKey", Label: "Time Zone", Type: "picklist", Length: 40},
			{Name: "Country", Label: "Country", Type: "string", Length: 80, Nillable: true},
		}, auditFields()...),
		records: func(s *Server) []map[string]any {
			return []map[string]any{{
				"Id": s.orgID, "Name": s.cfg.OrgName, "InstanceName": s.instanceName(), "IsSandbox": s.cfg.Sandbox,
				"OrganizationType": "Enterprise Edition", "TrialExpirationDate": nil, "NamespacePrefix": nil,
				"LanguageLocaleKey": "en_US", "DefaultLocaleSidKey": "en_US", "TimeZoneSidKey": "America/Los_Angeles", "Country": "US",
				"CreatedDate": sfTime(orgCreated), "LastModifiedDate": sfTime(orgCreated), "SystemModstamp": sfTime(orgCreated),
			}}
		},
	},
	{
		Name: "User", Label: "User", LabelPlural: "Users", KeyPrefix: "005", Createable: true,
		Fields: append([]sobjectField{idField(),
			{Name: "Username", Label: "Username", Type: "string", Length: 80},
			{Name: "Name", Label: "Full Name", Type: "string", Length: 121},
			{Name: "FirstName", Label: "First Name", Type: "string", Length: 40, Nillable: true},
			{Name: "LastName", Label: "Last Name", Type: "string", Length: 80},
			{Name: "Email", Label: "Email", Type: "email", Length: 128},
			{Name: "IsActive", Label: "Active", Type: "boolean"},
			{Name: "UserType", Label: "User Type", Type: "picklist", Length: 40, Nillable: true},
			{Name: "ProfileId", Label: "Profile ID", Type: "reference", Length: 18, Ref: "Profile"},
			{Name: "LanguageLocaleKey", Label: "Language", Type: "picklist", Length: 40},
			{Name: "LocaleSidKey", Label: "Locale", Type: "picklist", Length: 40},
			{Name: "TimeZoneSidKey", Label: "Time Zone", Type: "picklist", Length: 40},
		}, auditFields()...),
		records: func(s *Server) []map[string]any {
			var out []map[string]any
			for _, u := range s.users {
				first, last := u.firstLast()
				var firstV any = first
				if first == "" {
					firstV = nil
				}
				out = append(out, map[string]any{
					"Id": u.UserID, "Username": u.Username, "Name": u.FullName, "FirstName": firstV, "LastName": last,
					"Email": u.Email, "IsActive": !u.Inactive, "UserType": "Standard", "ProfileId": s.profileID,
					"LanguageLocaleKey": "en_US", "LocaleSidKey": "en_US", "TimeZoneSidKey": "America/Los_Angeles",
					"CreatedDate": sfTime(orgCreated), "LastModifiedDate": sfTime(u.lastModified), "SystemModstamp": sfTime(u.lastModified),
				})
			}
			return out
		},
	},
}

// toolingTypes are the Tooling API's objects the emulator serves: its
// User and Organization, and SandboxProcess, which the Salesforce CLI asks
// about after `org login access-token`; a production org without
// sandboxes has no rows.
var toolingTypes = []*sobjectType{
	sobjectTypes[1],
	{
		Name: "SandboxProcess", Label: "Sandbox Process", LabelPlural: "Sandbox Processes", KeyPrefix: "0GR",
		Fields: []sobjectField{idField(),
			{Name: "Status", Label: "Status", Type: "picklist", Length: 40},
			{Name: "SandboxName", Label: "Sandbox Name", Type: "string", Length: 10},
			{Name: "SandboxInfoId", Label: "Sandbox Info ID", Type: "reference", Length: 18, Ref: "SandboxInfo"},
			{Name: "LicenseType", Label: "License Type", Type: "picklist", Length: 40},
			{Name: "CreatedDate", Label: "Created Date", Type: "datetime"},
			{Name: "CopyProgress", Label: "Copy Progress", Type: "int"},
			{Name: "SandboxOrganization", Label: "Sandbox Organization", Type: "string", Length: 18, Nillable: true},
			{Name: "SourceId", Label: "Source ID", Type: "reference", Length: 18, Nillable: true, Ref: "SandboxInfo"},
			{Name: "Description", Label: "Description", Type: "string", Length: 255, Nillable: true},
			{Name: "EndDate", Label: "End Date", Type: "datetime", Nillable: true},
			{Name: "Features", Label: "Features", Type: "string", Length: 255, Nillable: true},
		},
		records: func(*Server) []map[string]any { return nil },
	},
	sobjectTypes[2],
}

// sobjectByName finds an object type of catalog (case-insensitive).
func sobjectByName(catalog []*sobjectType, name string) *sobjectType {
	for _, t := range catalog {
		if strings.EqualFold(t.Name, name) {
			return t
		}
	}
	return nil
}

// demoAccounts are the org's accounts: fixed, fake data.
var demoAccounts = []struct{ id, name, typ, industry, city, phone, site string }{
	{"001Hn00000AcMe1", "Acme Holdings", "Customer - Direct", "Manufacturing", "Chicago", "(312) 555-0100", "https://acme.example.com"},
	{"001Hn00000BrTn2", "Brighton & Lowe LLP", "Customer - Channel", "Legal", "Boston", "(617) 555-0142", "https://brightonlowe.example.com"},
	{"001Hn00000CdRz3", "Cedar Ridge Partners", "Prospect", "Finance", "Denver", "(303) 555-0177", ""},
}

func (s *Server) accountRecords() []map[string]any {
	owner := ""
	if len(s.users) > 0 {
		owner = s.users[0].UserID
	}
	var out []map[string]any
	for _, a := range demoAccounts {
		var site any = a.site
		if a.site == "" {
			site = nil
		}
		out = append(out, map[string]any{
			"Id": id18(a.id), "Name": a.name, "Type": a.typ, "Industry": a.industry, "BillingCity": a.city,
			"Phone": a.phone, "Website": site, "OwnerId": owner,
			"CreatedDate": sfTime(orgCreated), "LastModifiedDate": sfTime(orgCreated), "SystemModstamp": sfTime(orgCreated),
		})
	}
	return out
}
