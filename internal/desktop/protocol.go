package desktop

// This file holds what the tray and its window process say to each other:
// one line per message on the window process's standard input.
//
//	tray → window   show                       bring the window forward (a second launch)
//	                show {"profile":"NAME"}    open Settings on that profile
//	                quit                       close every window and end (the tray quits)
//
// Nothing travels back: what a window saves reaches the tray through the
// saved state (settings.json and verdicts.json), which the tray watches, and
// the tray learns that the window process ended by its exit. An end of input
// means the tray is gone: the window process quits too.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/advologix/advologix-connect/credstore"
)

// Kind is what a message asks for.
type Kind string

// The kinds of message.
const (
	Show Kind = "show"
	Quit Kind = "quit"
)

// MaxLine bounds one message, newline included: a profile name is at most
// 64 characters, so anything longer is not ours.
const MaxLine = 512

// Message is one line of the protocol.
type Message struct {
	Kind Kind
	// Profile is the profile Show opens ("": the usual choice).
	Profile string
}

// ErrMessage is a line that is not a message of the protocol.
var ErrMessage = errors.New("not a window-process message")

type showBody struct {
	Profile string `json:"profile"`
}

// Encode returns m as one line, newline included.
func (m Message) Encode() ([]byte, error) {
	var line []byte
	switch {
	case m.Kind == Quit && m.Profile == "":
		line = []byte("quit\n")
	case m.Kind == Show && m.Profile == "":
		line = []byte("show\n")
	case m.Kind == Show:
		if err := credstore.ValidateName(m.Profile); err != nil {
			return nil, fmt.Errorf("encode show: %w", err)
		}
		b, err := json.Marshal(showBody{Profile: m.Profile})
		if err != nil {
			return nil, fmt.Errorf("encode show: %w", err)
		}
		line = append(append([]byte("show "), b...), '\n')
	default:
		return nil, fmt.Errorf("encode %q: %w", m.Kind, ErrMessage)
	}
	if len(line) > MaxLine {
		return nil, fmt.Errorf("encode: %d bytes: %w", len(line), ErrMessage)
	}
	return line, nil
}

// Decode reads one line (without its newline).
func Decode(line []byte) (Message, error) {
	if len(line) >= MaxLine {
		return Message{}, fmt.Errorf("%d bytes: %w", len(line), ErrMessage)
	}
	if !utf8.Valid(line) {
		return Message{}, fmt.Errorf("invalid UTF-8: %w", ErrMessage)
	}
	kind, payload, hasPayload := bytes.Cut(line, []byte(" "))
	switch {
	case string(kind) == string(Quit) && !hasPayload:
		return Message{Kind: Quit}, nil
	case string(kind) == string(Show) && !hasPayload:
		return Message{Kind: Show}, nil
	case string(kind) == string(Show):
		var body showBody
		dec := json.NewDecoder(bytes.NewReader(payload))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&body); err != nil {
			return Message{}, fmt.Errorf("show: %v: %w", err, ErrMessage)
		}
		if dec.More() || dec.InputOffset() != int64(len(payload)) {
			return Message{}, fmt.Errorf("show: data after the object: %w", ErrMessage)
		}
		if err := credstore.ValidateName(body.Profile); err != nil {
			return Message{}, fmt.Errorf("show: %v: %w", err, ErrMessage)
		}
		return Message{Kind: Show, Profile: body.Profile}, nil
	}
	return Message{}, fmt.Errorf("%.20q: %w", line, ErrMessage)
}

// Read calls handle with each message read from r until r ends, and
// returns nil then (or the read error). Lines that are not messages,
// too long ones included, are skipped: a window process follows only
// what its tray may ask.
func Read(r io.Reader, handle func(Message)) error {
	br := bufio.NewReaderSize(r, MaxLine)
	for {
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			// Too long: skip to the end of the line.
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = br.ReadSlice('\n')
			}
			if err != nil {
				return ignoreEOF(err)
			}
			continue
		}
		if err != nil {
			return ignoreEOF(err) // a last line without newline is not a message
		}
		if m, derr := Decode(bytes.TrimSuffix(line, []byte("\n"))); derr == nil {
			handle(m)
		}
	}
}

func ignoreEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return nil
	}
	return fmt.Errorf("read window-process messages: %w", err)
}
