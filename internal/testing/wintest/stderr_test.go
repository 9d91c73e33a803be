package wintest

import "testing"

// TestSplitStderr: Wine's own lines leave the program's stderr, the
// program's lines stay, in order, whatever they hold.
func TestSplitStderr(t *testing.T) {
	for _, tc := range []struct {
		name, raw, program, wine string
	}{
		{"empty", "", "", ""},
		{"program only", "error: INVALID_LOGIN\nsecond line\n", "error: INVALID_LOGIN\nsecond line\n", ""},
		{"the CI line after the program's output",
			"true\nwine client error:23c: sendmsg: Socket operation on non-socket\n",
			"true\n", "wine client error:23c: sendmsg: Socket operation on non-socket\n"},
		{"no final newline", "wine client error:23c: write: Bad file descriptor",
			"", "wine client error:23c: write: Bad file descriptor\n"},
		{"loader and debug channels",
			"wine: configuration in L\"/p\" has been updated.\n0024:fixme:ntdll:NtQuerySystemInformation info_class 0x99\nok\n00ab:err:module:import_dll Library X not found\n",
			"ok\n", "wine: configuration in L\"/p\" has been updated.\n0024:fixme:ntdll:NtQuerySystemInformation info_class 0x99\n00ab:err:module:import_dll Library X not found\n"},
		{"program lines that only look alike",
			"warning: wine client error: not at the start\n1234:note: a time\nWine: capital\nabcd:fixme\n",
			"warning: wine client error: not at the start\n1234:note: a time\nWine: capital\nabcd:fixme\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			program, wine := SplitStderr(tc.raw)
			if program != tc.program || wine != tc.wine {
				t.Errorf("SplitStderr(%q) =\n program %q\n wine    %q\nwant\n program %q\n wine    %q", tc.raw, program, wine, tc.program, tc.wine)
			}
		})
	}
}
