package credstore

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
)

// noDuplicateKeys refuses a JSON document in which an object holds the
// same member twice. encoding/json keeps the last one, and matches member
// names without regard to case, so {"methods":…,"METHODS":…} would also
// let the second win: names are compared case-folded, as it does.
func noDuplicateKeys(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dupValue(dec, ""); err != nil {
		return err
	}
	return nil
}

// dupValue reads one value from dec, checking every object in it; path
// names where it is, for the message.
func dupValue(dec *json.Decoder, path string) error {
	tok, err := dec.Token()
	if errors.Is(err, io.EOF) {
		return nil // an empty document: Decode reports it
	}
	if err != nil {
		return nil // a syntax error: Decode reports it with its position
	}
	switch tok {
	case json.Delim('{'):
		seen := map[string]string{}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return nil
			}
			key, _ := kt.(string)
			fold := foldKey(key)
			if first, dup := seen[fold]; dup {
				if first == key {
					return fmt.Errorf("duplicate key %q%s", key, where(path))
				}
				return fmt.Errorf("duplicate key %q (also written %q)%s", key, first, where(path))
			}
			seen[fold] = key
			if err := dupValue(dec, path+"."+key); err != nil {
				return err
			}
		}
		_, _ = dec.Token() // '}'
	case json.Delim('['):
		for i := 0; dec.More(); i++ {
			if err := dupValue(dec, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		_, _ = dec.Token() // ']'
	}
	return nil
}

func where(path string) string {
	if path == "" {
		return ""
	}
	return " in " + strings.TrimPrefix(path, ".")
}

// foldKey maps a member name to the smallest rune of each rune's case
// folding orbit, so names encoding/json would match are equal.
func foldKey(s string) string {
	return strings.Map(func(r rune) rune {
		m := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			m = min(m, f)
		}
		return m
	}, s)
}
