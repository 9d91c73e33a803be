// Package coredump keeps a crashing process of the app from leaving a core
// file: both commands (the command line and the desktop app) hold a
// password in memory while they test or save it.
package coredump
