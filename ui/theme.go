package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// appTheme is the app's theme: Fyne's (or whatever was set), with a focus
// colour you can see. Fyne's focus colour is the primary colour at half
// opacity: 1.2:1 against the window background, and on a primary button
// no change at all. Ours is the text colour, translucent, for 3:1 against
// the background (WCAG's contrast for focus indicators) in the dark and the
// light variant: a focused radio or check box gets a clear disc. Buttons
// show their focus with a ring instead (keyButton).
type appTheme struct{ fyne.Theme }

// focusAlpha is the opacity of the focus colour per variant: the light
// variant's text colour is grey and needs more.
func focusAlpha(v fyne.ThemeVariant) uint8 {
	if v == theme.VariantLight {
		return 0xb8
	}
	return 0x80
}

// Color returns the base theme's colours, with our focus colour.
func (t appTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if n == theme.ColorNameFocus {
		r, g, b, _ := t.Theme.Color(theme.ColorNameForeground, v).RGBA()
		return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: focusAlpha(v)}
	}
	return t.Theme.Color(n, v)
}

// useAppTheme installs appTheme over the app's current theme, once.
func useAppTheme(a fyne.App) {
	cur := a.Settings().Theme()
	if _, ok := cur.(appTheme); ok {
		return
	}
	if cur == nil {
		cur = theme.DefaultTheme()
	}
	a.Settings().SetTheme(appTheme{cur})
}
