package desktoptest

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"

	"github.com/godbus/dbus/v5"
)

// ItemProperties are the org.kde.StatusNotifierItem properties a desktop
// shell reads to draw a tray icon.
type ItemProperties struct {
	ID       string
	Title    string
	Status   string // "Passive", "Active" or "NeedsAttention"
	Category string
	IconName string
	// Icons is IconPixmap: the icon in one or more sizes.
	Icons      []Pixmap
	Menu       dbus.ObjectPath
	ItemIsMenu bool
	// ToolTipTitle is the title part of ToolTip.
	ToolTipTitle string
	// All holds every property as sent.
	All map[string]dbus.Variant
}

// Pixmap is one IconPixmap entry: Width×Height pixels of ARGB32 in network
// byte order (alpha, red, green, blue), row by row.
type Pixmap struct {
	Width, Height int
	ARGB          []byte
}

// Image decodes p. It returns nil if the data does not match the size.
func (p Pixmap) Image() *image.NRGBA {
	if p.Width <= 0 || p.Height <= 0 || len(p.ARGB) != p.Width*p.Height*4 {
		return nil
	}
	img := image.NewNRGBA(image.Rect(0, 0, p.Width, p.Height))
	for i := 0; i < p.Width*p.Height; i++ {
		a, r, g, b := p.ARGB[4*i], p.ARGB[4*i+1], p.ARGB[4*i+2], p.ARGB[4*i+3]
		img.SetNRGBA(i%p.Width, i/p.Width, color.NRGBA{R: r, G: g, B: b, A: a})
	}
	return img
}

// Largest returns the biggest usable icon, or false if there is none.
func (p ItemProperties) Largest() (Pixmap, bool) {
	var best Pixmap
	for _, px := range p.Icons {
		if px.Image() != nil && px.Width*px.Height > best.Width*best.Height {
			best = px
		}
	}
	return best, best.Width > 0
}

// GetItemProperties reads all org.kde.StatusNotifierItem properties of
// item.
func GetItemProperties(ctx context.Context, conn *dbus.Conn, item Item) (ItemProperties, error) {
	var all map[string]dbus.Variant
	call := conn.Object(item.BusName, item.Path).CallWithContext(ctx,
		"org.freedesktop.DBus.Properties.GetAll", 0, itemIface)
	if err := call.Store(&all); err != nil {
		return ItemProperties{}, fmt.Errorf("desktoptest: properties of %s: %w", item, err)
	}
	p := ItemProperties{All: all}
	var errs []error
	for key, dst := range map[string]any{
		"Id": &p.ID, "Title": &p.Title, "Status": &p.Status, "Category": &p.Category,
		"IconName": &p.IconName, "Menu": &p.Menu, "ItemIsMenu": &p.ItemIsMenu,
	} {
		if v, ok := all[key]; ok {
			if err := v.Store(dst); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", key, err))
			}
		}
	}
	if v, ok := all["IconPixmap"]; ok {
		var raw []struct {
			W, H int32
			Pix  []byte
		}
		if err := v.Store(&raw); err != nil {
			errs = append(errs, fmt.Errorf("IconPixmap: %w", err))
		}
		for _, r := range raw {
			p.Icons = append(p.Icons, Pixmap{Width: int(r.W), Height: int(r.H), ARGB: r.Pix})
		}
	}
	if v, ok := all["ToolTip"]; ok {
		var tt struct {
			Name  string
			Icons []struct {
				W, H int32
				Pix  []byte
			}
			Title, Description string
		}
		if err := v.Store(&tt); err != nil {
			errs = append(errs, fmt.Errorf("ToolTip: %w", err))
		}
		p.ToolTipTitle = tt.Title
	}
	if err := errors.Join(errs...); err != nil {
		return p, fmt.Errorf("desktoptest: properties of %s: %w", item, err)
	}
	return p, nil
}

// ItemIcon returns the largest IconPixmap of item as an image; it fails if
// the item shows no pixmap icon.
func ItemIcon(ctx context.Context, conn *dbus.Conn, item Item) (*image.NRGBA, error) {
	p, err := GetItemProperties(ctx, conn, item)
	if err != nil {
		return nil, err
	}
	px, ok := p.Largest()
	if !ok {
		return nil, fmt.Errorf("desktoptest: %s has no IconPixmap (IconName %q)", item, p.IconName)
	}
	return px.Image(), nil
}
