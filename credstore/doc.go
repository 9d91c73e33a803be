// Package credstore is the only code of AdvoLogix Connect that knows the OS
// keychain and the settings file. It saves Salesforce connection profiles:
// their secrets in the keychain, everything else in settings.json.
//
// # Stable schema (version 1)
//
// The Outlook and Word add-ins and admins' scripts read what this package
// writes, so the names are an interface; the README ("Where credentials are
// kept") has the details and the commands to read entries on each OS.
//
// Keychain: one entry per profile per secret kind, with service
// "advologix-connect" and account "<profile>:<kind>", kind being one of
// "password", "security_token", "refresh_token", "client_secret". The value
// is the secret as UTF-8 text of at most MaxSecretBytes (2560) bytes; an
// empty secret is an absent entry. On Linux that is a Secret Service item
// with attributes service and username (secret-tool lookup service
// advologix-connect username default:password); on macOS a generic
// password (security find-generic-password -s advologix-connect -a
// default:password -w), its value stored as "go-keyring-base64:" plus
// Base64; on Windows a generic credential with target name
// "advologix-connect:<profile>:<kind>" and a UTF-8 blob.
//
// Settings: os.UserConfigDir()/advologix-connect/settings.json (folder 0700,
// file 0600, replaced atomically; writers lock settings.lock beside it),
// holding {"version": 1, "default": name, "profiles": [...], app prefs}.
// Each profile lists the kinds it has in the keychain ("secrets") but never
// a value. Members this version does not know are kept on every rewrite.
//
// # Guarantees
//
//   - No plain-text fallback: if the keychain cannot be used, saving fails
//     with a *KeychainError whose message says what to do.
//   - Every keychain call has a deadline (Options.ReadTimeout for reads the
//     app makes on its own, Options.SaveTimeout for changes a person
//     started), because an unanswered unlock prompt blocks for ever. At most
//     one abandoned call per Store may stay blocked; while it does, further
//     calls fail at once with KeychainLocked.
//   - Writes are ordered so a crash loses nothing: Save writes secrets, then
//     settings; changing an existing profile marks it SaveInterrupted first
//     and clears the mark last; Delete writes settings, then removes
//     secrets.
//   - A settings.json that cannot be parsed is never overwritten
//     (ErrCorrupt; Store.ResetCorrupt moves it aside).
//   - Secret values never appear in errors, in fmt or slog output of
//     Secrets, or in JSON.
//
// Errors: match ErrNotFound, ErrExists, ErrInvalid, ErrCorrupt and
// ErrNewerVersion with errors.Is, and *KeychainError and *SettingsError
// with errors.As; both have a stable Code() and a Hint().
package credstore
