// Command prebuild builds every program the tests run, through testbin,
// before any test starts (make test runs it first). Go's test cache then
// sees each test's programs as they are: testbin replaces a binary only
// when it changed and the tests stat it, so a changed program reruns the
// tests that use it, and an unchanged one lets their results be reused.
package main

import (
	"fmt"
	"os"
	"sync"

	"github.com/advologix/advologix-connect/internal/testing/testbin"
)

func main() {
	errs := make([]error, len(testbin.Programs))
	var wg sync.WaitGroup
	for i, p := range testbin.Programs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if p.GOOS != "" {
				_, errs[i] = testbin.BuildForErr(p.GOOS, p.GOARCH, p.Pkg, p.Flags...)
			} else {
				_, errs[i] = testbin.BuildErr(p.Pkg, p.Flags...)
			}
		}()
	}
	wg.Wait()
	if errs[0] == nil {
		// The command line beside the desktop program, as installed.
		_, errs[0] = testbin.InstallErr()
	}
	failed := false
	for i, err := range errs {
		if err != nil {
			fmt.Fprintf(os.Stderr, "prebuild %s: %v\n", testbin.Programs[i].Pkg, err)
			failed = true
		}
	}
	if failed {
		os.Exit(1)
	}
}
