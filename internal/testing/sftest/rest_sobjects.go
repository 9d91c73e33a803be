package sftest

import (
	"net/http"
	"strings"
)

// soapType is the XML type describe names beside a field's type.
func soapType(fieldType string) string {
	switch fieldType {
	case "id", "reference":
		return "tns:ID"
	case "boolean":
		return "xsd:boolean"
	case "int":
		return "xsd:int"
	case "datetime":
		return "xsd:dateTime"
	default:
		return "xsd:string"
	}
}

// sobjectURLs are an object's resource URLs, as describe lists them.
func sobjectURLs(base string, t *sobjectType) map[string]string {
	obj := base + "/sobjects/" + t.Name
	return map[string]string{
		"sobject":     obj,
		"describe":    obj + "/describe",
		"rowTemplate": obj + "/{ID}",
	}
}

// globalEntry is an object's entry in describeGlobal (and the
// objectDescribe of sobjects/{Type}).
func globalEntry(base string, t *sobjectType) map[string]any {
	return map[string]any{
		"activateable": false, "associateEntityType": nil, "associateParentEntity": nil,
		"createable": t.Createable, "custom": false, "customSetting": false, "deepCloneable": false,
		"deletable": t.Createable, "deprecatedAndHidden": false, "feedEnabled": false, "hasSubtypes": false,
		"isInterface": false, "isSubtype": false, "keyPrefix": t.KeyPrefix, "label": t.Label, "labelPlural": t.LabelPlural,
		"layoutable": true, "mergeable": t.Name == "Account", "mruEnabled": t.Name != "Organization", "name": t.Name,
		"queryable": true, "replicateable": t.Name != "Organization", "retrieveable": true, "searchable": t.Name != "Organization",
		"triggerable": t.Createable, "undeletable": t.Name == "Account", "updateable": true,
		"urls": sobjectURLs(base, t),
	}
}

// describeField is one entry of describe's "fields".
func describeField(f sobjectField) map[string]any {
	refTo := []string{}
	var relName any
	if f.Ref != "" {
		refTo = []string{f.Ref}
		relName = strings.TrimSuffix(f.Name, "Id")
	}
	return map[string]any{
		"aggregatable": f.Type != "boolean", "autoNumber": false, "byteLength": f.Length * 3, "calculated": false,
		"caseSensitive": false, "createable": f.Type != "id", "custom": false, "defaultValue": nil,
		"defaultedOnCreate": f.Type == "id" || f.Type == "boolean", "dependentPicklist": false, "digits": 0,
		"externalId": false, "filterable": true, "groupable": f.Type != "datetime", "idLookup": f.Type == "id" || f.Name == "Username",
		"label": f.Label, "length": f.Length, "name": f.Name, "nameField": f.Name == "Name",
		"nillable": f.Nillable, "picklistValues": []any{}, "polymorphicForeignKey": false, "precision": 0,
		"referenceTo": refTo, "relationshipName": relName, "restrictedPicklist": false, "scale": 0,
		"soapType": soapType(f.Type), "sortable": true, "type": f.Type, "unique": f.Name == "Username",
		"updateable": f.Type != "id",
	}
}

// serveSObjectsLocked answers sobjects (describeGlobal), sobjects/{Type},
// sobjects/{Type}/describe and sobjects/{Type}/{Id}: rest is the path after
// "sobjects", without its trailing slash.
func (s *Server) serveSObjectsLocked(w http.ResponseWriter, r *http.Request, base, rest string, catalog []*sobjectType) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		// The emulator reads; it creates, changes and deletes nothing.
		writeRESTError(w, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "HTTP Method '"+r.Method+"' not allowed. Allowed are GET,HEAD")
		return
	}
	parts := strings.Split(strings.TrimPrefix(rest, "/"), "/")
	if rest == "" {
		var list []map[string]any
		for _, t := range catalog {
			list = append(list, globalEntry(base, t))
		}
		writeJSON(w, http.StatusOK, map[string]any{"encoding": "UTF-8", "maxBatchSize": 200, "sobjects": list})
		return
	}
	t := sobjectByName(catalog, parts[0])
	if t == nil || len(parts) > 2 {
		writeNotFound(w)
		return
	}
	switch {
	case len(parts) == 1:
		writeJSON(w, http.StatusOK, map[string]any{"objectDescribe": globalEntry(base, t), "recentItems": []any{}})
	case parts[1] == "describe":
		d := globalEntry(base, t)
		var fields []map[string]any
		for _, f := range t.Fields {
			fields = append(fields, describeField(f))
		}
		d["fields"] = fields
		d["childRelationships"] = []any{}
		d["recordTypeInfos"] = []any{}
		d["actionOverrides"] = []any{}
		d["namedLayoutInfos"] = []any{}
		d["supportedScopes"] = []any{map[string]string{"label": "All " + strings.ToLower(t.LabelPlural), "name": "everything"}}
		d["compactLayoutable"] = t.Name != "Organization"
		d["searchLayoutable"] = t.Name != "Organization"
		d["listviewable"] = nil
		d["lookupLayoutable"] = nil
		d["networkScopeFieldName"] = nil
		d["sobjectDescribeOption"] = "FULL"
		writeJSON(w, http.StatusOK, d)
	default:
		s.retrieveLocked(w, r, base, t, parts[1])
	}
}

// retrieveLocked answers GET sobjects/{Type}/{Id}[?fields=a,b]: every field,
// or those asked for.
func (s *Server) retrieveLocked(w http.ResponseWriter, r *http.Request, base string, t *sobjectType, id string) {
	var rec map[string]any
	for _, row := range t.records(s) {
		if equalValue(row["Id"], id) {
			rec = row
		}
	}
	if rec == nil {
		writeNotFound(w)
		return
	}
	var fields []string
	if list := r.URL.Query().Get("fields"); list != "" {
		for _, name := range strings.Split(list, ",") {
			f, ok := t.field(strings.TrimSpace(name))
			if !ok {
				writeRESTError(w, http.StatusBadRequest, "INVALID_FIELD",
					"No such column '"+strings.TrimSpace(name)+"' on sobject of type "+t.Name)
				return
			}
			fields = append(fields, f.Name)
		}
	} else {
		for _, f := range t.Fields {
			fields = append(fields, f.Name)
		}
	}
	writeRawJSON(w, http.StatusOK, recordJSON(t.Name, base, rec, fields))
}

// writeNotFound is Salesforce's answer for a resource it does not have.
func writeNotFound(w http.ResponseWriter) {
	writeRESTError(w, http.StatusNotFound, "NOT_FOUND", "The requested resource does not exist")
}
