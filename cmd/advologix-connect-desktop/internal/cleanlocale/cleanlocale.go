// Package cleanlocale keeps Fyne from printing "Error parsing user locale"
// on standard error when the locale is one it cannot parse, such as
// LC_ALL=C.UTF-8 (common in scripts, containers and services).
//
// Fyne's lang package reads the locale in its own init, before main runs,
// so the fix must run before that package initialises. Go initialises
// packages in import-path order among those whose imports are done
// (Go 1.21 and later); this package imports only os and strings, which
// lang's own dependencies (github.com/jeandeaual/go-locale, golang.org/x/text)
// need too, and its path sorts before theirs, so it goes first. Import it
// for its side effect from the main package.
//
// When the locale variable that counts (LC_ALL, else LC_MESSAGES, else
// LANG) names no language Fyne could parse ("C.UTF-8", "POSIX.UTF-8",
// "UTF-8") and LANGUAGE does not help either, it sets LANGUAGE=en, which is
// what such a locale means for the app's texts. The programs the app starts
// (the browser) see the same locale as before: LANGUAGE is consulted by
// gettext only for a locale other than C.
package cleanlocale

import (
	"os"
	"strings"
)

func init() { Apply(os.Getenv, os.Setenv) }

// Apply makes the locale parseable through getenv and setenv.
func Apply(getenv func(string) string, setenv func(string, string) error) {
	loc := ""
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if loc = getenv(v); loc != "" {
			break
		}
	}
	if loc == "" || loc == "C" || loc == "POSIX" {
		return // Fyne reads no locale then: English, and no message
	}
	if l := getenv("LANGUAGE"); l != "" {
		if allParse(l) {
			return
		}
	} else if allParse(loc) {
		return
	}
	_ = setenv("LANGUAGE", "en")
}

// allParse tells whether each colon-separated entry starts with a language
// code (two or three ASCII letters) as Fyne needs.
func allParse(list string) bool {
	for _, e := range strings.Split(list, ":") {
		if !languageCode(e) {
			return false
		}
	}
	return true
}

// languageCode: "en", "en_GB", "de_DE.UTF-8", "sr_RS@latin", "en-GB" yes;
// "C.UTF-8", "UTF-8", "" no. Like Fyne, it reads what comes before "_",
// "." or "@" as a language tag: a 2–3 letter language and subtags of 2–8
// letters or digits.
func languageCode(e string) bool {
	tag := e
	if i := strings.IndexAny(e, "_.@"); i >= 0 {
		tag = e[:i]
	}
	for i, sub := range strings.Split(tag, "-") {
		if i == 0 && (len(sub) < 2 || len(sub) > 3) || len(sub) < 2 || len(sub) > 8 {
			return false
		}
		for _, c := range sub {
			letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
			if !letter && (i == 0 || c < '0' || c > '9') {
				return false
			}
		}
	}
	return true
}
