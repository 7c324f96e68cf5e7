package data

import (
	"errors"
	"fmt"
	"io"
)

// scanner is a small JSON tokenizer over a stream. encoding/json cannot be
// used for dcx's files: it matches keys case-insensitively, accepts null for
// any field, reports unknown fields without a position and needs either the
// whole file in memory or a copy of every record. The scanner reads through a
// fixed buffer, knows the byte offset, line and column of every token, and
// lets the decoder report every problem of a record, not just the first.
type scanner struct {
	r         io.Reader
	buf       []byte
	pos, end  int
	base      int64 // offset of buf[0] in the file
	line      int   // 1-based line of buf[pos]
	lineStart int64 // offset of the first byte of that line
	rerr      error // read error other than io.EOF
	eof       bool
	scratch   []byte
	key       []byte
	// discardAt is how many bytes skipString gathers before checking and
	// dropping them (see tuning).
	discardAt int
}

const scanBufSize = 64 << 10

// syntaxError is fatal for a file: after it nothing more can be decoded.
type syntaxError struct {
	pos position
	msg string
}

func (e *syntaxError) Error() string { return fmt.Sprintf("%d:%d: %s", e.pos.line, e.pos.col, e.msg) }

// position is a place in a file. col counts bytes from 1, as Go tools do.
type position struct {
	off  int64
	line int
	col  int
}

func newScanner(r io.Reader, at position, bufSize int) *scanner {
	return &scanner{
		r:         r,
		buf:       make([]byte, bufSize),
		base:      at.off,
		line:      at.line,
		lineStart: at.off - int64(at.col-1),
		discardAt: defaultTuning().discardAt,
	}
}

func (s *scanner) here() position {
	off := s.base + int64(s.pos)
	return position{off: off, line: s.line, col: int(off-s.lineStart) + 1}
}

// fill reads the next chunk once the buffer is consumed.
func (s *scanner) fill() bool {
	if s.pos < s.end {
		return true
	}
	if s.eof {
		return false
	}
	s.base += int64(s.end)
	s.pos, s.end = 0, 0
	for tries := 0; tries < 100; tries++ {
		n, err := s.r.Read(s.buf)
		s.end = n
		if err != nil {
			s.eof = true
			if !errors.Is(err, io.EOF) {
				s.rerr = err
			}
		}
		if n > 0 || s.eof {
			break
		}
	}
	if s.end == 0 {
		s.eof = true
	}
	return s.end > 0
}

// seekTo moves the scanner to p in its input, which rs reads.
func (s *scanner) seekTo(rs io.Seeker, p position) error {
	if _, err := rs.Seek(p.off, io.SeekStart); err != nil {
		return err
	}
	s.base = p.off
	s.pos, s.end = 0, 0
	s.eof = false
	s.line = p.line
	s.lineStart = p.off - int64(p.col-1)
	return nil
}

// peek skips white space and returns the next byte without consuming it;
// ok is false at the end of the input.
func (s *scanner) peek() (byte, bool) {
	for {
		if !s.fill() {
			return 0, false
		}
		for s.pos < s.end {
			switch c := s.buf[s.pos]; c {
			case ' ', '\t', '\r':
				s.pos++
			case '\n':
				s.pos++
				s.line++
				s.lineStart = s.base + int64(s.pos)
			default:
				return c, true
			}
		}
	}
}

func (s *scanner) errorf(at position, format string, args ...any) error {
	if s.rerr != nil {
		return fmt.Errorf("read: %w", s.rerr)
	}
	return &syntaxError{pos: at, msg: fmt.Sprintf(format, args...)}
}

// unexpectedEOF is the error for input that stops inside a value.
func (s *scanner) unexpectedEOF() error {
	return s.errorf(s.here(), "unexpected end of file")
}

// expect consumes byte c (after white space) or fails with what was there.
func (s *scanner) expect(c byte, what string) error {
	b, ok := s.peek()
	if !ok {
		return s.unexpectedEOF()
	}
	if b != c {
		return s.errorf(s.here(), "want %s, found %s", what, describeByte(b))
	}
	s.pos++
	return nil
}

// readNumber consumes a number token and returns its text, checked against
// the JSON grammar. The slice is valid until the next call.
func (s *scanner) readNumber() ([]byte, error) {
	start := s.here()
	out := s.scratch[:0]
	for s.fill() {
		c := s.buf[s.pos]
		if (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' {
			out = append(out, c)
			s.pos++
			continue
		}
		break
	}
	s.scratch = out[:0]
	if !validNumber(out) {
		if word := s.peekWord(); word != "" {
			return nil, s.nonFinite(start, string(out)+word)
		}
		return nil, s.errorf(start, "invalid number %q", out)
	}
	return out, nil
}

// peekWord returns the letters at the scanner's position (at most a few,
// within the buffer), without consuming them.
func (s *scanner) peekWord() string {
	if !s.fill() {
		return ""
	}
	i := s.pos
	for i < s.end && i-s.pos < 10 && (s.buf[i]|0x20 >= 'a' && s.buf[i]|0x20 <= 'z') {
		i++
	}
	return string(s.buf[s.pos:i])
}

// nonFinite is the error for a number that starts with a word: NaN and
// Infinity, which JavaScript prints and some JSON writers let through, are
// named as such.
func (s *scanner) nonFinite(at position, word string) error {
	switch word {
	case "NaN", "Infinity", "-Infinity", "+Infinity":
		return s.errorf(at, "%s is not a JSON number: JSON has no NaN or Infinity; give a finite number or leave the field out", word)
	}
	return s.errorf(at, "invalid number %q", word)
}

func validNumber(b []byte) bool {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	if i >= len(b) {
		return false
	}
	if b[i] == '0' {
		i++
	} else if b[i] >= '1' && b[i] <= '9' {
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	} else {
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		d := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == d {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		d := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == d {
			return false
		}
	}
	return i == len(b)
}

// readLiteral consumes true, false or null.
func (s *scanner) readLiteral() (string, error) {
	start := s.here()
	var word [5]byte
	n := 0
	for s.fill() {
		c := s.buf[s.pos]
		if c < 'a' || c > 'z' {
			break
		}
		if n == len(word) {
			return "", s.errorf(start, "invalid literal; want true, false or null")
		}
		word[n] = c
		n++
		s.pos++
	}
	switch w := string(word[:n]); w {
	case "true", "false", "null":
		return w, nil
	}
	return "", s.errorf(start, "invalid literal %q; want true, false or null", word[:n])
}

const maxDepth = 200

// skipValue consumes one value of any type, checking its syntax.
func (s *scanner) skipValue(depth int) error {
	c, ok := s.peek()
	if !ok {
		return s.unexpectedEOF()
	}
	if depth > maxDepth {
		return s.errorf(s.here(), "values nested more than %d deep", maxDepth)
	}
	switch {
	case c == '{':
		s.pos++
		return s.eachMember(func([]byte, position) error { return s.skipValue(depth + 1) })
	case c == '[':
		s.pos++
		return s.eachElement(func(int, position) error { return s.skipValue(depth + 1) })
	case c == '"':
		return s.skipString()
	case c == '-' || c == '+' || c == 'N' || c == 'I' || (c >= '0' && c <= '9'):
		_, err := s.readNumber()
		return err
	case c >= 'a' && c <= 'z':
		_, err := s.readLiteral()
		return err
	}
	return s.errorf(s.here(), "want a value, found %s", describeByte(c))
}

// eachMember walks the members of an object whose '{' was consumed. fn must
// consume the member's value. The key slice is only valid during fn.
func (s *scanner) eachMember(fn func(key []byte, at position) error) error {
	c, ok := s.peek()
	if !ok {
		return s.unexpectedEOF()
	}
	if c == '}' {
		s.pos++
		return nil
	}
	for {
		c, ok := s.peek()
		if !ok {
			return s.unexpectedEOF()
		}
		if c != '"' {
			return s.errorf(s.here(), "want a quoted key, found %s", describeByte(c))
		}
		at := s.here()
		key, err := s.readKey()
		if err != nil {
			return err
		}
		// The key aliases the read buffer, which the colon may refill.
		s.key = append(s.key[:0], key...)
		key = s.key
		if err := s.expect(':', "':' after the key"); err != nil {
			return err
		}
		if err := fn(key, at); err != nil {
			return err
		}
		c, ok = s.peek()
		if !ok {
			return s.unexpectedEOF()
		}
		s.pos++
		switch c {
		case ',':
		case '}':
			return nil
		default:
			s.pos--
			return s.errorf(s.here(), "want ',' or '}' after an object member, found %s", describeByte(c))
		}
	}
}

// eachElement walks the elements of an array whose '[' was consumed. fn must
// consume the element.
func (s *scanner) eachElement(fn func(i int, at position) error) error {
	c, ok := s.peek()
	if !ok {
		return s.unexpectedEOF()
	}
	if c == ']' {
		s.pos++
		return nil
	}
	for i := 0; ; i++ {
		if _, ok := s.peek(); !ok {
			return s.unexpectedEOF()
		}
		if err := fn(i, s.here()); err != nil {
			return err
		}
		c, ok = s.peek()
		if !ok {
			return s.unexpectedEOF()
		}
		s.pos++
		switch c {
		case ',':
		case ']':
			return nil
		default:
			s.pos--
			return s.errorf(s.here(), "want ',' or ']' after an array element, found %s", describeByte(c))
		}
	}
}
