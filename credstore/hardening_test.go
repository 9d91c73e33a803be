package credstore

import (
	"context"
	"errors"
	"testing"
)

// Issue 9 item 12: names that look like other names are refused.
func TestLookAlikeNamesRefused(t *testing.T) {
	for _, name := range []string{"work\u202eexe.", "wo\u200brk", "\u2066work\u2069", "work\u00ad", "\ufeffwork"} {
		if err := ValidateName(name); !errors.Is(err, ErrInvalid) {
			t.Errorf("ValidateName(%q) = %v, want ErrInvalid", name, err)
		}
	}
	for _, name := range []string{"Work", "Büro Zürich", "東京", "a-b_c (2)"} {
		if err := ValidateName(name); err != nil {
			t.Errorf("ValidateName(%q) = %v", name, err)
		}
	}
}

// Item 12: an interrupted save of a SOAP profile reads every kind, but only
// the kinds the profile had count as missing.
func TestInterruptedStatusListsOnlyOwnKinds(t *testing.T) {
	s, _ := newTestStore(t)
	mustSave(t, s, prof("a"), Secrets{Password: "pw", SecurityToken: "tok"})
	crashAt(s, "save:marked")
	if err := s.Save(context.Background(), prof("a"), Secrets{Password: "pw2", SecurityToken: "tok2"}); !errors.Is(err, errCrash) {
		t.Fatalf("Save = %v, want the simulated crash", err)
	}
	s.hook = nil
	sts, err := s.Status(context.Background())
	if err != nil || len(sts) != 1 || !sts[0].Interrupted {
		t.Fatalf("Status = %+v, %v", sts, err)
	}
	for k := range sts[0].Present {
		if k != KindPassword && k != KindSecurityToken {
			t.Errorf("status lists %q, which this SOAP profile never had", k)
		}
	}
}
