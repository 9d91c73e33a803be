package sfclient

import (
	"errors"
	"fmt"
	"io"
)

// errTooLarge reports a response body over the read limit.
var errTooLarge = errors.New("response larger than the read limit")

// readLimited reads all of r, failing with errTooLarge past max bytes.
func readLimited(r io.Reader, max int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return b, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%w (%d bytes)", errTooLarge, max)
	}
	return b, nil
}
