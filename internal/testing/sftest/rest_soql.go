package sftest

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// soqlQuery is the SOQL the emulator understands:
//
//	SELECT field, … | COUNT() FROM Object
//	  [WHERE field op literal [AND field op literal]…]
//	  [ORDER BY field [ASC|DESC]] [LIMIT n] [OFFSET n]
//
// with op one of = != <> < > <= >= LIKE IN (…), literals 'quoted'
// (backslash escapes), numbers, true, false, null. Anything else is
// MALFORMED_QUERY, as Salesforce answers a query it cannot parse.
type soqlQuery struct {
	text    string
	fields  []string // as written
	count   bool     // SELECT COUNT()
	object  string
	objCol  int // 1-based column of the object name, for error carets
	where   []soqlCond
	orderBy string
	desc    bool
	limit   int // -1: none
	offset  int
}

// soqlCond is one comparison of a WHERE clause.
type soqlCond struct {
	field string
	op    string   // upper case
	vals  []string // literal texts (IN has several)
	col   int
}

// soqlToken is one lexical element with its 1-based column.
type soqlToken struct {
	text string
	col  int
}

var soqlTokenRe = regexp.MustCompile(`\s*('(?:[^'\\]|\\.)*'|[A-Za-z_][A-Za-z0-9_.]*|-?[0-9]+(?:\.[0-9]+)?|<=|>=|!=|<>|[=<>(),*])`)

// soqlSyntaxError is MALFORMED_QUERY's message, shaped like Salesforce's.
type soqlSyntaxError struct{ msg string }

func (e *soqlSyntaxError) Error() string { return e.msg }

func soqlTokens(q string) ([]soqlToken, error) {
	var toks []soqlToken
	rest, off := q, 0
	for strings.TrimSpace(rest) != "" {
		loc := soqlTokenRe.FindStringSubmatchIndex(rest)
		if loc == nil || loc[0] != 0 {
			col := off + len(rest) - len(strings.TrimLeft(rest, " \t\r\n")) + 1
			return nil, malformed(q, col, "unexpected token: '"+firstWord(strings.TrimSpace(rest))+"'")
		}
		toks = append(toks, soqlToken{text: rest[loc[2]:loc[3]], col: off + loc[2] + 1})
		off += loc[1]
		rest = rest[loc[1]:]
	}
	return toks, nil
}

func firstWord(s string) string {
	if i := strings.IndexAny(s, " \t\r\n"); i > 0 {
		return s[:i]
	}
	return s
}

// malformed is Salesforce's MALFORMED_QUERY text: the query, a caret
// under the column, "ERROR at Row:1:Column:N" and the reason.
func malformed(q string, col int, reason string) error {
	return &soqlSyntaxError{fmt.Sprintf("\n%s\n%*s\nERROR at Row:1:Column:%d\n%s", q, col, "^", col, reason)}
}

// parseSOQL parses q into a soqlQuery.
func parseSOQL(q string) (*soqlQuery, error) {
	toks, err := soqlTokens(q)
	if err != nil {
		return nil, err
	}
	p := &soqlParser{q: q, toks: toks}
	return p.query()
}

type soqlParser struct {
	q    string
	toks []soqlToken
	i    int
}

func (p *soqlParser) peek() soqlToken {
	if p.i < len(p.toks) {
		return p.toks[p.i]
	}
	return soqlToken{col: len(p.q) + 1}
}

func (p *soqlParser) next() soqlToken { t := p.peek(); p.i++; return t }

func (p *soqlParser) is(word string) bool { return strings.EqualFold(p.peek().text, word) }

func (p *soqlParser) expect(word string) error {
	t := p.next()
	if !strings.EqualFold(t.text, word) {
		if t.text == "" {
			return malformed(p.q, t.col, "unexpected end of query, expecting "+word)
		}
		return malformed(p.q, t.col, "unexpected token: '"+t.text+"'")
	}
	return nil
}

func isIdent(s string) bool {
	return s != "" && (s[0] == '_' || s[0] >= 'A' && s[0] <= 'Z' || s[0] >= 'a' && s[0] <= 'z')
}

func (p *soqlParser) query() (*soqlQuery, error) {
	q := &soqlQuery{text: p.q, limit: -1}
	if err := p.expect("SELECT"); err != nil {
		return nil, err
	}
	if p.is("COUNT") {
		p.next()
		if err := p.expect("("); err != nil {
			return nil, err
		}
		if err := p.expect(")"); err != nil {
			return nil, err
		}
		q.count = true
	} else {
		for {
			t := p.next()
			if !isIdent(t.text) || strings.EqualFold(t.text, "FROM") {
				return nil, malformed(p.q, t.col, "unexpected token: '"+t.text+"'")
			}
			if p.is("(") {
				return nil, malformed(p.q, t.col, "the emulator answers no aggregate function but COUNT(): '"+t.text+"'")
			}
			q.fields = append(q.fields, t.text)
			if !p.is(",") {
				break
			}
			p.next()
		}
	}
	if err := p.expect("FROM"); err != nil {
		return nil, err
	}
	obj := p.next()
	if !isIdent(obj.text) {
		return nil, malformed(p.q, obj.col, "unexpected token: '"+obj.text+"'")
	}
	q.object, q.objCol = obj.text, obj.col
	return q, p.clauses(q)
}

// clauses reads WHERE, ORDER BY, LIMIT and OFFSET.
func (p *soqlParser) clauses(q *soqlQuery) error {
	if p.is("WHERE") {
		p.next()
		for {
			c, err := p.cond()
			if err != nil {
				return err
			}
			q.where = append(q.where, c)
			if !p.is("AND") {
				break
			}
			p.next()
		}
	}
	if p.is("ORDER") {
		p.next()
		if err := p.expect("BY"); err != nil {
			return err
		}
		f := p.next()
		if !isIdent(f.text) {
			return malformed(p.q, f.col, "unexpected token: '"+f.text+"'")
		}
		q.orderBy = f.text
		if p.is("ASC") || p.is("DESC") {
			q.desc = p.is("DESC")
			p.next()
		}
	}
	for _, kw := range []string{"LIMIT", "OFFSET"} {
		if !p.is(kw) {
			continue
		}
		p.next()
		n := p.next()
		v, err := strconv.Atoi(n.text)
		if err != nil || v < 0 {
			return malformed(p.q, n.col, "unexpected token: '"+n.text+"'")
		}
		if kw == "LIMIT" {
			q.limit = v
		} else {
			q.offset = v
		}
	}
	if t := p.peek(); t.text != "" {
		return malformed(p.q, t.col, "unexpected token: '"+t.text+"'")
	}
	return nil
}

func (p *soqlParser) cond() (soqlCond, error) {
	f := p.next()
	if !isIdent(f.text) || strings.EqualFold(f.text, "NOT") {
		return soqlCond{}, malformed(p.q, f.col, "unexpected token: '"+f.text+"'")
	}
	c := soqlCond{field: f.text, col: f.col}
	op := p.next()
	c.op = strings.ToUpper(op.text)
	switch c.op {
	case "=", "!=", "<>", "<", ">", "<=", ">=", "LIKE":
		v := p.next()
		if !isLiteral(v.text) {
			return soqlCond{}, malformed(p.q, v.col, "unexpected token: '"+v.text+"'")
		}
		c.vals = []string{v.text}
	case "IN":
		if err := p.expect("("); err != nil {
			return soqlCond{}, err
		}
		for {
			v := p.next()
			if !isLiteral(v.text) {
				return soqlCond{}, malformed(p.q, v.col, "unexpected token: '"+v.text+"'")
			}
			c.vals = append(c.vals, v.text)
			if !p.is(",") {
				break
			}
			p.next()
		}
		if err := p.expect(")"); err != nil {
			return soqlCond{}, err
		}
	default:
		return soqlCond{}, malformed(p.q, op.col, "unexpected token: '"+op.text+"'")
	}
	return c, nil
}

func isLiteral(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == '\'' {
		return true
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return true
	}
	switch strings.ToLower(s) {
	case "true", "false", "null":
		return true
	}
	return false
}

// literalValue turns a literal's text into a value comparable with a
// record's: string, float64, bool or nil.
func literalValue(s string) any {
	if strings.HasPrefix(s, "'") {
		inner := s[1 : len(s)-1]
		var b strings.Builder
		for i := 0; i < len(inner); i++ {
			if inner[i] == '\\' && i+1 < len(inner) {
				i++
			}
			b.WriteByte(inner[i])
		}
		return b.String()
	}
	switch strings.ToLower(s) {
	case "true":
		return true
	case "false":
		return false
	case "null":
		return nil
	}
	f, _ := strconv.ParseFloat(s, 64)
	return f
}
