// Package cgoprobe proves the build's cgo probe header
// (scripts/cgo-probe.h, forced into every C compile by the Makefile)
// changes nothing cgo decides: a program using every kind of C name is
// built with and without it, for Linux and, through mingw, for Windows,
// and the programs must be byte-identical. It has no code of its own.
package cgoprobe
