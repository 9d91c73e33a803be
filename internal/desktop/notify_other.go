//go:build !linux

package desktop

import "github.com/advologix/advologix-connect/ui"

// NewNotifier: elsewhere Fyne's notifications are used.
func NewNotifier() func(ui.Notice) error { return nil }
