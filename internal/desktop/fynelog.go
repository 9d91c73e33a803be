package desktop

import (
	"bytes"
	"io"
	"sync"
)

// FyneLog is the log output for the desktop app's processes: what it is
// given goes to w, but for one report Fyne 2.7 makes about itself.
//
// Fyne keeps an app's preferences in a file it rewrites in place when the
// app quits (os.Create truncates it, then it writes), and watches that
// file's folder, reloading on every change. The reload can run between the
// truncation and the write; it reads an empty file and logs "Fyne error:
// Preferences load error: / Cause: EOF / At: …preferences.go". This app
// keeps nothing in Fyne's preferences (secrets are in the keychain, its
// settings in credstore), so that reload loses nothing: the three lines of
// exactly that report are dropped. Every other line, Fyne's other errors
// included, is written as it came.
func FyneLog(w io.Writer) io.Writer { return &fyneLog{w: w} }

type fyneLog struct {
	mu   sync.Mutex
	w    io.Writer
	held []byte // a preferences-load report's first line, until its cause is known
	drop bool   // the report is the race's: its "At:" line goes too
}

// Write gets one log line per call (the log package writes whole lines).
func (f *fyneLog) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case f.held == nil && !f.drop && bytes.Contains(p, []byte("Fyne error:  Preferences load error:")):
		f.held = append([]byte(nil), p...)
		return len(p), nil
	case f.held != nil && bytes.Contains(p, []byte("  Cause: EOF")):
		f.held, f.drop = nil, true
		return len(p), nil
	case f.drop && bytes.Contains(p, []byte("  At: ")) && bytes.Contains(p, []byte("preferences.go")):
		f.drop = false
		return len(p), nil
	}
	f.drop = false
	if f.held != nil {
		held := f.held
		f.held = nil
		if _, err := f.w.Write(held); err != nil {
			return 0, err
		}
	}
	return f.w.Write(p)
}
