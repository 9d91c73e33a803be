package cli

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/advologix/advologix-connect/internal/connection"
)

// maxStdin bounds what --password-stdin reads.
const maxStdin = 64 << 10

// readStdinSecrets reads the password (line 1) and the security token
// (line 2, optional) from r. Only the line ending is removed from the
// password; the token, which never contains spaces, is trimmed.
func readStdinSecrets(r io.Reader) (password, token string, stop *connection.Outcome) {
	data, err := io.ReadAll(io.LimitReader(r, maxStdin+1))
	if err != nil {
		return "", "", failed(fmt.Errorf("read standard input: %w", err))
	}
	if len(data) > maxStdin {
		return "", "", usage("standard input is larger than %d KiB; expected the password and the security token on two lines", maxStdin>>10)
	}
	lines := bytes.SplitN(data, []byte("\n"), 3)
	password = strings.TrimSuffix(string(lines[0]), "\r")
	if len(lines) > 1 {
		token = strings.TrimSpace(string(lines[1]))
	}
	if password == "" {
		return "", "", usage("no password on standard input (line 1 is the password, line 2 the security token)")
	}
	return password, token, nil
}

// promptSecrets asks for the password and token on the terminal, without
// echo.
func promptSecrets(env Env, username string) (password, token string, stop *connection.Outcome) {
	if env.ReadSecret == nil {
		return "", "", usage("no terminal to ask for the password: use --password-stdin")
	}
	password, err := env.ReadSecret(fmt.Sprintf("Salesforce password for %s: ", username))
	if err != nil {
		return "", "", failed(fmt.Errorf("read password: %w", err))
	}
	if password == "" {
		return "", "", usage("no password entered")
	}
	token, err = env.ReadSecret("Security token (Enter if you have none): ")
	if err != nil {
		return "", "", failed(fmt.Errorf("read security token: %w", err))
	}
	return password, strings.TrimSpace(token), nil
}
