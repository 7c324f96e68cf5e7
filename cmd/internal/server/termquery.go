package server

import (
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

// queryTimeout bounds the wait for the client's terminal to answer the
// start-up queries; a terminal that does not gets the dark palette.
const queryTimeout = time.Second

// wish's renderer asks the same questions, but waits on a read of the
// session that cannot be cancelled: a client that never answers waits for
// its first screen until it presses a key, which the query then swallows.
// Here one goroutine (pump) reads the session for its whole life; the query
// waits on it with a deadline and hands back whatever else it read.

// chunk is one read of the session's input.
type chunk struct {
	b   []byte
	err error
}

// startPump starts reading the session's input into ss.in.
func (ss *session) startPump() {
	ss.in = make(chan chunk)
	go func() {
		for {
			buf := make([]byte, 4096)
			n, err := ss.Session.Read(buf)
			if n > 0 {
				ss.lastInput.Store(time.Now().UnixNano())
			}
			select {
			case ss.in <- chunk{b: buf[:n], err: err}:
			case <-ss.done:
				return
			}
			if err != nil {
				return
			}
		}
	}()
}

// Read gives the program the session's input: what the query read but did
// not use first, then the pump's reads.
func (ss *session) Read(p []byte) (int, error) {
	ss.inMu.Lock()
	defer ss.inMu.Unlock()
	if ss.in == nil {
		n, err := ss.Session.Read(p)
		if n > 0 {
			ss.lastInput.Store(time.Now().UnixNano())
		}
		return n, err
	}
	for len(ss.left) == 0 && ss.inErr == nil {
		select {
		case c := <-ss.in:
			ss.left, ss.inErr = c.b, c.err
		case <-ss.done:
			return 0, io.EOF
		}
	}
	if len(ss.left) == 0 {
		return 0, ss.inErr
	}
	n := copy(p, ss.left)
	ss.left = ss.left[n:]
	return n, nil
}

var (
	// An OSC 11 answer, ended by BEL or ST, and a DA1 answer.
	bgReply  = regexp.MustCompile("\x1b\\]11;([^\x07\x1b]*)(?:\x07|\x1b\\\\)")
	da1Reply = regexp.MustCompile("\x1b\\[\\?[0-9;]*c")
)

// queryBackground asks the client's terminal for its background colour, and
// for its device attributes, which every terminal answers, to know when to
// stop waiting. It reports whether the background is dark (true if the
// terminal did not say).
func (ss *session) queryBackground() bool {
	ss.startPump()
	if _, err := io.WriteString(ss.Session, ansi.RequestBackgroundColor+ansi.RequestPrimaryDeviceAttributes); err != nil {
		return true
	}
	timer := time.NewTimer(queryTimeout)
	defer timer.Stop()
	var got []byte
wait:
	for !da1Reply.Match(got) {
		select {
		case c := <-ss.in:
			got = append(got, c.b...)
			if c.err != nil {
				ss.inErr = c.err
				break wait
			}
		case <-timer.C:
			break wait
		case <-ss.stop:
			break wait
		}
	}
	dark := true
	if m := bgReply.FindSubmatch(got); m != nil {
		if l, ok := lightness(string(m[1])); ok {
			dark = l < 0.5
		}
	}
	got = bgReply.ReplaceAll(got, nil)
	ss.left = da1Reply.ReplaceAll(got, nil) // keys typed meanwhile
	return dark
}

// lightness is the HSL lightness (0 to 1) of an X11 colour spec
// rgb:R/G/B, each 1 to 4 hex digits.
func lightness(spec string) (float64, bool) {
	rest, ok := strings.CutPrefix(spec, "rgb:")
	if !ok {
		return 0, false
	}
	parts := strings.Split(rest, "/")
	if len(parts) != 3 {
		return 0, false
	}
	lo, hi := 1.0, 0.0
	for _, p := range parts {
		if len(p) < 1 || len(p) > 4 {
			return 0, false
		}
		v, err := strconv.ParseUint(p, 16, 16)
		if err != nil {
			return 0, false
		}
		f := float64(v) / float64(uint64(1)<<(4*len(p))-1)
		lo, hi = min(lo, f), max(hi, f)
	}
	return (lo + hi) / 2, true
}

// makeRenderer is the session's lipgloss renderer: the colour profile from
// the client's TERM and environment, the palette from its background.
func (ss *session) makeRenderer() *lipgloss.Renderer {
	pty, _, ok := ss.Pty()
	if !ok || pty.Term == "" || pty.Term == "dumb" {
		return lipgloss.NewRenderer(ss, termenv.WithProfile(termenv.Ascii))
	}
	env := environ(append(ss.Environ(), "TERM="+pty.Term))
	r := lipgloss.NewRenderer(ss, termenv.WithEnvironment(env), termenv.WithUnsafe(), termenv.WithColorCache(true))
	r.SetHasDarkBackground(ss.queryBackground())
	return r
}

// environ is the client's environment as termenv reads it.
type environ []string

func (e environ) Environ() []string { return e }

func (e environ) Getenv(k string) string {
	for _, v := range e {
		if val, ok := strings.CutPrefix(v, k+"="); ok {
			return val
		}
	}
	return ""
}
