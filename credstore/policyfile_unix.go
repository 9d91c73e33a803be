//go:build unix

package credstore

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// trustRule is who may write a policy file and every folder above it:
// only owner (root), with no group or others write bit. anchor is where
// the walk starts: "/" for the real policy; tests anchor it in a folder
// of their own (its own mode and owner are still checked).
type trustRule struct {
	owner  uint32
	anchor string
}

var rootOnly = trustRule{owner: 0, anchor: "/"}

// errNoPolicyFile: the policy file, or a folder on its path, does not
// exist (and no symbolic link led there): no policy.
var errNoPolicyFile = errors.New("no policy file")

// insecure is a POLICY_INSECURE error about path, with the command that
// fixes it.
func insecure(source, path, why string, dir bool) error {
	mode := "644"
	if dir {
		mode = "755"
	}
	return &PolicyError{Source: source, Insecure: true, Err: fmt.Errorf("%s %s, so someone other than an administrator could change the policy; an administrator fixes it with: chown root:root %s && chmod %s %s",
		path, why, path, mode, path)}
}

// trusted checks one file or folder against r.
func (r trustRule) trusted(source, path string, fi fs.FileInfo) error {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return &PolicyError{Source: source, Err: fmt.Errorf("%s: cannot read its owner", path)}
	}
	if st.Uid != r.owner {
		return insecure(source, path, fmt.Sprintf("belongs to uid %d, not root", st.Uid), fi.IsDir())
	}
	if fi.Mode().Perm()&0o022 != 0 {
		return insecure(source, path, fmt.Sprintf("is writable by its group or by everyone (mode %04o)", fi.Mode().Perm()), fi.IsDir())
	}
	return nil
}

// resolveTrusted follows path from r.anchor one name at a time, as the
// kernel would, and checks every folder and the file against r: a
// symbolic link is followed only from a trusted folder, and its target is
// checked the same way. It returns the real path of a regular file,
// errNoPolicyFile when the path does not exist without a link on the
// way, a POLICY_INVALID error for a dangling link, and POLICY_INSECURE
// for anything another user could write or that is not a regular file.
func (r trustRule) resolveTrusted(path string) (string, fs.FileInfo, error) {
	bad := func(err error) (string, fs.FileInfo, error) { return "", nil, &PolicyError{Source: path, Err: err} }
	anchor := filepath.Clean(r.anchor)
	rel, err := filepath.Rel(anchor, filepath.Clean(path))
	if !filepath.IsAbs(path) || err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
		return bad(fmt.Errorf("not an absolute path below %s", anchor))
	}
	fi, err := os.Lstat(anchor)
	if err != nil {
		return bad(fmt.Errorf("policy folder: %w", err))
	}
	if err := r.trusted(path, anchor, fi); err != nil {
		return "", nil, err
	}
	cur, todo, links, viaLink := anchor, split(rel), 0, ""
	for len(todo) > 0 {
		name := todo[0]
		todo = todo[1:]
		if name == ".." {
			if cur == anchor && anchor != "/" {
				return bad(fmt.Errorf("a link leads above %s", anchor))
			}
			cur = filepath.Dir(cur) // already checked on the way down
			continue
		}
		next := filepath.Join(cur, name)
		fi, err := os.Lstat(next)
		switch {
		case errors.Is(err, fs.ErrNotExist) && viaLink != "":
			return bad(fmt.Errorf("the symbolic link %s points to %s, which does not exist: an administrator fixes or removes the link", viaLink, next))
		case errors.Is(err, fs.ErrNotExist):
			return "", nil, errNoPolicyFile
		case err != nil:
			return bad(fmt.Errorf("%s cannot be read: %w", next, err))
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			if links++; links > 40 {
				return bad(fmt.Errorf("%s: too many symbolic links", next))
			}
			target, err := os.Readlink(next)
			if err != nil {
				return bad(fmt.Errorf("%s: %w", next, err))
			}
			viaLink = next
			if filepath.IsAbs(target) {
				t, err := filepath.Rel(anchor, filepath.Clean(target))
				if err != nil || t == ".." || strings.HasPrefix(t, "../") {
					return "", nil, insecure(path, next, "points outside "+anchor, false)
				}
				cur, target = anchor, t
			}
			todo = append(split(target), todo...)
			continue
		}
		if err := r.trusted(path, next, fi); err != nil {
			return "", nil, err
		}
		if len(todo) > 0 {
			if !fi.IsDir() {
				return bad(fmt.Errorf("%s is not a folder", next))
			}
			cur = next
			continue
		}
		if !fi.Mode().IsRegular() {
			return "", nil, &PolicyError{Source: path, Insecure: true,
				Err: fmt.Errorf("%s is %s, not a regular file: an administrator replaces it with a file (chown root:root, chmod 644)", next, describeMode(fi.Mode()))}
		}
		return next, fi, nil
	}
	return bad(fmt.Errorf("%s is a folder, not a file", path))
}

func split(p string) []string {
	var out []string
	for _, s := range strings.Split(p, "/") {
		if s != "" && s != "." {
			out = append(out, s)
		}
	}
	return out
}

// readTrustedPolicy reads the policy file at path if it passes r: opened
// without following a link and without blocking (a FIFO swapped in cannot
// hang the read), checked again on the open file, read up to
// MaxPolicyBytes. errNoPolicyFile: there is none.
func (r trustRule) readTrustedPolicy(path string) ([]byte, error) {
	real, seen, err := r.resolveTrusted(path)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(real, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOFOLLOW|syscall.O_CLOEXEC, 0)
	if errors.Is(err, fs.ErrPermission) {
		return nil, &PolicyError{Source: path, Err: fmt.Errorf("%s cannot be read by this user (%w): an administrator fixes it with: chmod 644 %s", real, err, real)}
	}
	if err != nil {
		return nil, &PolicyError{Source: path, Err: fmt.Errorf("open %s: %w", real, err)}
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, &PolicyError{Source: path, Err: fmt.Errorf("stat %s: %w", real, err)}
	}
	if !fi.Mode().IsRegular() || !os.SameFile(fi, seen) {
		return nil, &PolicyError{Source: path, Insecure: true, Err: fmt.Errorf("%s changed while it was read", real)}
	}
	if err := r.trusted(path, real, fi); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxPolicyBytes+1))
	if err != nil {
		return nil, &PolicyError{Source: path, Err: fmt.Errorf("read %s: %w", real, err)}
	}
	if len(data) > MaxPolicyBytes {
		return nil, &PolicyError{Source: path, Err: fmt.Errorf("larger than %d bytes", MaxPolicyBytes)}
	}
	return data, nil
}

// readPolicyFile reads and parses the policy file at path under r; a
// missing file is no policy.
func (r trustRule) readPolicyFile(path string) (Policy, error) {
	data, err := r.readTrustedPolicy(path)
	if errors.Is(err, errNoPolicyFile) {
		return Policy{}, nil
	}
	if err != nil {
		return Policy{}, err
	}
	return ParsePolicyJSON(data, path)
}

func readPolicyFile(path string) (Policy, error) { return rootOnly.readPolicyFile(path) }
