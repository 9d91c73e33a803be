// Package packaging holds the sources of the installable packages (make
// dist): the Windows resources, the MSI (wixl), signing, the .deb and
// .tar.xz, the macOS steps, and the Group Policy templates. Its tests check
// the templates (always) and install, run and remove the built packages
// (make dist-test, build tag disttest).
package packaging
