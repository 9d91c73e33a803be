//go:build !linux

package main

import "github.com/advologix/advologix-connect/ui"

// newNotifier: elsewhere Fyne's notifications are used.
func newNotifier() func(ui.Notice) error { return nil }
