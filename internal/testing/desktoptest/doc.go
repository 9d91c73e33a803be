// Package desktoptest gives integration tests a real Linux desktop and the
// means to look at it, and stands in for its parts where a real one cannot
// be observed:
//
//   - [StartSession] starts a throw-away desktop of its own: bus, unlocked
//     gnome-keyring, Xvfb, openbox, xfce4-panel (its Status Tray is the
//     real StatusNotifierWatcher/host) and xfce4-notifyd. [Session.Windows]
//     and [Session.ForeignWindows] say what is on screen,
//     [Session.Screenshot] photographs one window, [OCR] reads it back,
//     [RegisteredItems] reads the panel's tray items, [StartNotifyMonitor]
//     records the notifications sent to the real daemon.
//
// The stand-ins, for tests of a tray program without the desktop:
//
//   - [StartWatcher] owns org.kde.StatusNotifierWatcher, where tray icons
//     (StatusNotifierItem, used by fyne.io/systray) register. Without a
//     watcher on the bus a tray icon never registers and cannot be found.
//   - [StartNotifications] owns org.freedesktop.Notifications and records
//     every notification sent, for example by Fyne's App.SendNotification.
//   - [GetLayout], [WaitMenu] and [ClickLabel] read a registered item's
//     com.canonical.dbusmenu menu and click its entries; [GetItemProperties]
//     reads the item's title, status and icon.
//
// The stand-ins must own their names before the program under test starts:
// a notification sent to a name nobody owns is lost, and a tray icon that
// finds no watcher only registers again when one appears.
//
// go test runs packages in parallel in one session, so two tests may want
// the same name at once: the Start functions wait in the bus's queue for
// it (until their context ends) instead of failing. Take the watcher
// before the notification server, always in that order, and find a
// program's tray icon by its PID ([Watcher.WaitItemPID]).
//
// Everything here takes a *dbus.Conn owned by the caller; use a private
// connection (dbus.ConnectSessionBus) per test, and run the tests inside
// scripts/test-session.sh, which provides the session bus and an X server.
// The package imports nothing from the application it is used to test.
package desktoptest
