package testbin

import (
	"os"
	"path/filepath"
	"testing"
)

func TestMkdir(t *testing.T) {
	root := t.TempDir()
	file := filepath.Join(root, "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		dir     string
		wantErr bool
	}{
		{"new, with parents", filepath.Join(root, "a", "b", "c"), false},
		{"already there", filepath.Join(root, "a", "b"), false},
		{"a file in the way", filepath.Join(file, "sub"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := mkdir(tt.dir)
			if (err != nil) != tt.wantErr {
				t.Fatalf("mkdir(%s): %v", tt.dir, err)
			}
			if fi, statErr := os.Stat(tt.dir); !tt.wantErr && (statErr != nil || !fi.IsDir()) {
				t.Errorf("%s is not a folder: %v", tt.dir, statErr)
			}
		})
	}
}
