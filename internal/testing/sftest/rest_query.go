package sftest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
)

// queryError is a SOQL error with Salesforce's REST error code.
type queryError struct {
	code, msg string
}

func (e *queryError) Error() string { return e.msg }

// runSOQL parses and evaluates q against the emulated objects: the type,
// its canonical selected fields and the matching rows.
func (s *Server) runSOQL(q string, catalog []*sobjectType) (*sobjectType, *soqlQuery, []string, []map[string]any, error) {
	if strings.TrimSpace(q) == "" {
		return nil, nil, nil, nil, &queryError{"MALFORMED_QUERY", "A query string has to be specified"}
	}
	pq, err := parseSOQL(q)
	if err != nil {
		var se *soqlSyntaxError
		if errors.As(err, &se) {
			return nil, nil, nil, nil, &queryError{"MALFORMED_QUERY", se.msg}
		}
		return nil, nil, nil, nil, err
	}
	t := sobjectByName(catalog, pq.object)
	if t == nil {
		return nil, nil, nil, nil, &queryError{"INVALID_TYPE", caret(q, pq.objCol, fmt.Sprintf(
			"sObject type '%s' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.", pq.object))}
	}
	canon := func(name string, col int) (sobjectField, error) {
		f, ok := t.field(name)
		if !ok {
			return f, &queryError{"INVALID_FIELD", caret(q, col, fmt.Sprintf(
				"No such column '%s' on entity '%s'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.", name, t.Name))}
		}
		return f, nil
	}
	var fields []string
	for _, f := range pq.fields {
		cf, err := canon(f, columnOf(q, f))
		if err != nil {
			return nil, nil, nil, nil, err
		}
		fields = append(fields, cf.Name)
	}
	rows := t.records(s)
	for _, c := range pq.where {
		cf, err := canon(c.field, c.col)
		if err != nil {
			return nil, nil, nil, nil, err
		}
		var kept []map[string]any
		for _, r := range rows {
			if matches(r[cf.Name], c) {
				kept = append(kept, r)
			}
		}
		rows = kept
	}
	if pq.orderBy != "" {
		cf, err := canon(pq.orderBy, columnOf(q, pq.orderBy))
		if err != nil {
			return nil, nil, nil, nil, err
		}
		sort.SliceStable(rows, func(i, j int) bool {
			a, b := fmt.Sprint(rows[i][cf.Name]), fmt.Sprint(rows[j][cf.Name])
			if pq.desc {
				return a > b
			}
			return a < b
		})
	}
	if pq.offset > 0 {
		rows = rows[min(pq.offset, len(rows)):]
	}
	if pq.limit >= 0 && len(rows) > pq.limit {
		rows = rows[:pq.limit]
	}
	return t, pq, fields, rows, nil
}

func caret(q string, col int, reason string) string {
	return fmt.Sprintf("\n%s\n%*s\nERROR at Row:1:Column:%d\n%s", q, col, "^", col, reason)
}

// columnOf is the 1-based column of word in q (1 when absent).
func columnOf(q, word string) int {
	re := regexp.MustCompile(`(?i)\b` + regexp.QuoteMeta(word) + `\b`)
	if loc := re.FindStringIndex(q); loc != nil {
		return loc[0] + 1
	}
	return 1
}

// matches compares a record's value with a WHERE condition. Strings
// compare case-insensitively, as Salesforce's = does on text fields.
func matches(v any, c soqlCond) bool {
	for _, lit := range c.vals {
		want := literalValue(lit)
		eq := equalValue(v, want)
		switch c.op {
		case "=", "IN":
			if eq {
				return true
			}
		case "!=", "<>":
			return !eq
		case "LIKE":
			ws, _ := want.(string)
			vs, _ := v.(string)
			pat := "(?is)^" + strings.NewReplacer("%", ".*", "_", ".").Replace(regexp.QuoteMeta(ws)) + "$"
			return regexp.MustCompile(pat).MatchString(vs)
		default:
			a, b := fmt.Sprint(v), fmt.Sprint(want)
			switch c.op {
			case "<":
				return a < b
			case ">":
				return a > b
			case "<=":
				return a <= b
			case ">=":
				return a >= b
			}
		}
	}
	return false
}

func equalValue(v, want any) bool {
	switch w := want.(type) {
	case nil:
		return v == nil
	case string:
		vs, ok := v.(string)
		// An 18-character id matches its 15-character form.
		return ok && (strings.EqualFold(vs, w) || len(vs) == 18 && len(w) == 15 && vs[:15] == w)
	default:
		return v == want
	}
}

// recordJSON writes a record of the sObject type named typeName as
// Salesforce does: "attributes" first, then the fields in the order given.
func recordJSON(typeName, base string, rec map[string]any, fields []string) []byte {
	var b strings.Builder
	id, _ := rec["Id"].(string)
	attrs, _ := json.Marshal(map[string]string{"type": typeName, "url": base + "/sobjects/" + typeName + "/" + id})
	b.WriteString(`{"attributes":`)
	b.Write(attrs)
	for _, f := range fields {
		v, _ := json.Marshal(rec[f])
		b.WriteString(`,"` + f + `":`)
		b.Write(v)
	}
	b.WriteString("}")
	return []byte(b.String())
}

func writeRawJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// serveQueryLocked answers query, queryAll and tooling/query: the records,
// or with columns=true the query's column metadata (what the Salesforce
// CLI asks before it prints a table).
func (s *Server) serveQueryLocked(w http.ResponseWriter, r *http.Request, base string, catalog []*sobjectType) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		writeRESTError(w, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "HTTP Method '"+r.Method+"' not allowed. Allowed are GET,HEAD")
		return
	}
	q := r.URL.Query().Get("q")
	t, pq, fields, rows, err := s.runSOQL(q, catalog)
	if err != nil {
		var qe *queryError
		if errors.As(err, &qe) {
			writeRESTError(w, http.StatusBadRequest, qe.code, qe.msg)
			return
		}
		writeRESTError(w, http.StatusInternalServerError, "UNKNOWN_EXCEPTION", err.Error())
		return
	}
	if r.URL.Query().Get("columns") == "true" {
		writeJSON(w, http.StatusOK, columnMetadata(t, pq, fields))
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, `{"totalSize":%d,"done":true,"records":[`, len(rows))
	if !pq.count {
		for i, rec := range rows {
			if i > 0 {
				b.WriteString(",")
			}
			b.Write(recordJSON(t.Name, base, rec, fields))
		}
	}
	b.WriteString("]}")
	writeRawJSON(w, http.StatusOK, []byte(b.String()))
}

// columnMetadata is the columns=true answer.
func columnMetadata(t *sobjectType, pq *soqlQuery, fields []string) map[string]any {
	cols := []map[string]any{}
	idSelected := false
	if pq.count {
		cols = append(cols, map[string]any{"aggregate": true, "apexType": "Integer", "booleanType": false, "columnName": "expr0",
			"custom": false, "displayName": "count()", "foreignKeyName": nil, "insertable": false, "joinColumns": []any{},
			"numberType": true, "textType": false, "updatable": false})
	}
	for _, name := range fields {
		f, _ := t.field(name)
		idSelected = idSelected || f.Name == "Id"
		cols = append(cols, map[string]any{"aggregate": false, "apexType": apexType(f.Type), "booleanType": f.Type == "boolean",
			"columnName": f.Name, "custom": false, "displayName": f.Name, "foreignKeyName": nil, "insertable": f.Type != "id",
			"joinColumns": []any{}, "numberType": false, "textType": apexType(f.Type) == "String", "updatable": f.Type != "id"})
	}
	return map[string]any{"columnMetadata": cols, "entityName": t.Name, "groupBy": false, "idSelected": idSelected, "keyPrefix": t.KeyPrefix}
}

func apexType(fieldType string) string {
	switch fieldType {
	case "id":
		return "Id"
	case "boolean":
		return "Boolean"
	case "int":
		return "Integer"
	case "datetime":
		return "Datetime"
	default:
		return "String"
	}
}
