package data

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

const (
	lows  = 0x0101010101010101
	highs = 0x8080808080808080
)

// plain reports whether b, the bytes between two quotes, is a JSON string
// that decodes to itself: no escape, no control character, valid UTF-8.
// Eight bytes at a time: a million-record file is mostly strings.
func plain(b []byte) bool {
	var high uint64
	i := 0
	for ; i+8 <= len(b); i += 8 {
		w := binary.LittleEndian.Uint64(b[i:])
		bs := w ^ ('\\' * lows)
		// (x - lows) &^ x & highs is non-zero when a byte of x is zero
		// (a backslash, for bs), (w - 0x20*lows) &^ w likewise when a byte
		// of w is below 0x20.
		if (bs-lows)&^bs&highs != 0 || (w-0x20*lows)&^w&highs != 0 {
			return false
		}
		high |= w & highs
	}
	for ; i < len(b); i++ {
		c := b[i]
		if c == '\\' || c < 0x20 {
			return false
		}
		high |= uint64(c & 0x80)
	}
	return high == 0 || utf8.Valid(b)
}

func describeByte(b byte) string {
	if b >= 0x20 && b < 0x7f {
		return strconv.QuoteRune(rune(b))
	}
	return fmt.Sprintf("byte 0x%02x", b)
}

// MaxString and MaxKey bound the strings a dataset may hold, in bytes once
// decoded: a record's longest string (a quote, a note) is well under a
// kilobyte, and without a bound one string can take all the memory (each
// is held whole) and a key the time of the "did you mean" suggestion. A
// longer one stops the load with its position. Values that are not kept
// (the "$schema" value, the value of an unknown field) are checked and
// skipped without being held, at any length.
const (
	MaxString = 1 << 20
	MaxKey    = 256
)

// readString consumes a string token (peek must have seen '"') and returns
// its decoded bytes. The slice aliases the scanner's buffers and is valid
// until the next call.
func (s *scanner) readString() ([]byte, error) { return s.readStringMax(MaxString, "string") }

// readKey is readString for an object's key.
func (s *scanner) readKey() ([]byte, error) { return s.readStringMax(MaxKey, "key") }

// skipString consumes a string token, checking it, without holding it.
func (s *scanner) skipString() error {
	_, err := s.readStringMax(-1, "string")
	return err
}

// readStringMax is readString for strings of at most limit bytes (what
// names them in the error); with limit < 0 the string is only checked and
// the result is not its text.
func (s *scanner) readStringMax(limit int, what string) ([]byte, error) {
	start := s.here()
	s.pos++ // opening quote
	// Fast path: a string entirely inside the buffer with nothing to
	// decode, its closing quote found by the vectorised IndexByte.
	if k := bytes.IndexByte(s.buf[s.pos:s.end], '"'); k >= 0 && (limit < 0 || k <= limit) && plain(s.buf[s.pos:s.pos+k]) {
		b := s.buf[s.pos : s.pos+k]
		s.pos += k + 1
		return b, nil
	}
	out := s.scratch[:0]
	defer func() { s.scratch = out[:0] }()
	// pending holds a high surrogate waiting for its low half; like
	// encoding/json, a lone surrogate becomes U+FFFD.
	pending := rune(-1)
	flush := func() {
		if pending >= 0 {
			out = utf8.AppendRune(out, utf8.RuneError)
			pending = -1
		}
	}
	for {
		if limit >= 0 && len(out) > limit {
			return nil, s.tooLong(start, what, limit)
		}
		if limit < 0 && len(out) >= s.discardAt {
			var err error
			if out, err = s.discard(out, start); err != nil {
				return nil, err
			}
		}
		if !s.fill() {
			return nil, s.errorf(start, "string not terminated")
		}
		// Copy the run of ordinary bytes in one go.
		i := s.pos
		for i < s.end {
			c := s.buf[i]
			if c == '"' || c == '\\' || c < 0x20 {
				break
			}
			i++
		}
		if i > s.pos {
			flush()
			out = append(out, s.buf[s.pos:i]...)
			s.pos = i
		}
		if i == s.end {
			continue
		}
		c := s.buf[s.pos]
		switch {
		case c == '"':
			s.pos++
			flush()
			if limit >= 0 && len(out) > limit {
				return nil, s.tooLong(start, what, limit)
			}
			if !utf8.Valid(out) {
				return nil, s.errorf(start, "string is not valid UTF-8")
			}
			return out, nil
		case c < 0x20:
			if c == '\n' {
				return nil, s.errorf(start, "string not terminated before the end of the line")
			}
			return nil, s.errorf(s.here(), "control character %s in string; escape it", describeByte(c))
		}
		// An escape.
		at := s.here()
		s.pos++
		if !s.fill() {
			return nil, s.errorf(start, "string not terminated")
		}
		e := s.buf[s.pos]
		s.pos++
		if e != 'u' {
			flush()
		}
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, err := s.readHex4(at)
			if err != nil {
				return nil, err
			}
			switch {
			case pending >= 0 && r >= 0xDC00 && r <= 0xDFFF:
				out = utf8.AppendRune(out, utf16.DecodeRune(pending, r))
				pending = -1
			case r >= 0xD800 && r <= 0xDBFF:
				flush()
				pending = r
			case r >= 0xDC00 && r <= 0xDFFF:
				flush()
				out = utf8.AppendRune(out, utf8.RuneError)
			default:
				flush()
				out = utf8.AppendRune(out, r)
			}
		default:
			return nil, s.errorf(at, "invalid escape \\%c in string", e)
		}
	}
}

// tooLong is the error for a string of more than limit bytes.
func (s *scanner) tooLong(start position, what string, limit int) error {
	size := byteSize(int64(limit))
	return s.errorf(start, "%s longer than %s; dcx reads %ss of up to %s", what, size, what, size)
}

// discard checks the complete runes of out, decoded bytes of a string
// being skipped, and keeps only a rune cut at its end.
func (s *scanner) discard(out []byte, start position) ([]byte, error) {
	cut := len(out)
	for j := 1; j <= utf8.UTFMax && j <= len(out); j++ {
		if utf8.RuneStart(out[len(out)-j]) {
			if !utf8.FullRune(out[len(out)-j:]) {
				cut = len(out) - j
			}
			break
		}
	}
	if !utf8.Valid(out[:cut]) {
		return nil, s.errorf(start, "string is not valid UTF-8")
	}
	return out[:copy(out, out[cut:])], nil
}

// byteSize renders a size for messages: 1 MiB, 256 bytes.
func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

func (s *scanner) readHex4(at position) (rune, error) {
	var r rune
	for k := 0; k < 4; k++ {
		if !s.fill() {
			return 0, s.errorf(at, "string not terminated")
		}
		c := s.buf[s.pos]
		s.pos++
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, s.errorf(at, "invalid \\u escape in string")
		}
	}
	return r, nil
}
