package ui

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/dcx-explorer/dcx/data/synth"
	"github.com/dcx-explorer/dcx/search"
)

// recorder is a tea.Model that keeps the messages bubbletea decodes from
// its input, until ctrl+c (which quits the app too, so nothing after it
// matters). The xterm report of a window's size, CSI 8;rows;cols t, which
// bubbletea passes on as an unknown sequence, is kept as a WindowSizeMsg:
// that is how raw bytes carry resizes into FuzzUIEvents.
type recorder struct{ msgs []tea.Msg }

func (r *recorder) Init() tea.Cmd { return nil }
func (r *recorder) View() string  { return "" }
func (r *recorder) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		if msg.Type == tea.KeyCtrlC {
			return r, tea.Quit
		}
		r.msgs = append(r.msgs, msg)
	case tea.MouseMsg, tea.WindowSizeMsg, tea.FocusMsg, tea.BlurMsg:
		r.msgs = append(r.msgs, msg)
	default:
		if size, ok := sizeReport(msg); ok {
			r.msgs = append(r.msgs, size)
		}
	}
	return r, nil
}

var sizeReportRE = regexp.MustCompile(`^\x1b\[8;([0-9]{1,4});([0-9]{1,4})t$`)

// sizeReport reads a window size report out of bubbletea's message for an
// unknown CSI sequence (an unexported []byte type).
func sizeReport(msg tea.Msg) (tea.WindowSizeMsg, bool) {
	v := reflect.ValueOf(msg)
	if !v.IsValid() || v.Kind() != reflect.Slice || v.Type().Elem().Kind() != reflect.Uint8 {
		return tea.WindowSizeMsg{}, false
	}
	m := sizeReportRE.FindSubmatch(v.Bytes())
	if m == nil {
		return tea.WindowSizeMsg{}, false
	}
	h, _ := strconv.Atoi(string(m[1]))
	w, _ := strconv.Atoi(string(m[2]))
	return tea.WindowSizeMsg{Width: w, Height: h}, true
}

// decoded returns the messages bubbletea's own input reader makes of raw
// terminal bytes, as a program reading an SSH channel would get them: a
// plain (not bracketed) paste arrives as runs of runes, one message for
// each space and control character between them.
func decoded(tb testing.TB, raw []byte) []tea.Msg {
	tb.Helper()
	r := &recorder{}
	// The input ends with the end of a bracketed paste, for one the bytes
	// opened and left open (which would swallow the rest), and ctrl+c.
	in := bytes.NewReader(append(append([]byte(nil), raw...), "\x1b[201~\x03"...))
	p := tea.NewProgram(r, tea.WithInput(in), tea.WithOutput(io.Discard),
		tea.WithoutRenderer(), tea.WithoutSignalHandler())
	// A guard, should some sequence still hold the ctrl+c back.
	stop := time.AfterFunc(10*time.Second, p.Kill)
	defer stop.Stop()
	if _, err := p.Run(); err != nil {
		tb.Fatalf("decoding %d bytes %q with bubbletea: %v", len(raw), raw, err)
	}
	return r.msgs
}

// pasteTexts are two 10 KB plain pastes: prose (words and spaces, one
// message per word and per space) and a blob without spaces (a URL or a
// key, one message for all of it).
func pasteTexts() map[string]string {
	prose := strings.Repeat("SK Telecom and AWS build a 103 MW AI data center in Ulsan ", 200)[:10_000]
	blob := strings.Repeat("aHR0cHM6Ly9leGFtcGxlLmNvbS9kYXRhY2VudGVy", 250)[:10_000]
	return map[string]string{"prose": prose, "blob": blob}
}

// BenchmarkPaste measures a 10 KB plain paste into the open search line,
// delivered message by message as bubbletea decodes it, with every search
// command run (as send does).
//
//	go test ./ui -run '^$' -bench BenchmarkPaste -benchtime 3x
func BenchmarkPaste(b *testing.B) {
	ds := synth.Generate(20_000, 1)
	if err := ds.Build(); err != nil {
		b.Fatal(err)
	}
	cat := NewCatalog(search.NewEngine(ds))
	for name, text := range pasteTexts() {
		msgs := decoded(b, []byte(text))
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				mm, err := New(cat, Options{Renderer: asciiRenderer()})
				if err != nil {
					b.Fatal(err)
				}
				m := mm.(*Model)
				resize(m, 120, 40)
				press(m, "/")
				b.StartTimer()
				for _, msg := range msgs {
					send(m, msg)
				}
			}
		})
	}
}

// TestPlainPaste pastes 10 KB into the search line without bracketed paste,
// as bubbletea delivers it: the line keeps its first maxQueryLen characters
// and says so, and no message starts more than one search.
func TestPlainPaste(t *testing.T) {
	for name, text := range pasteTexts() {
		t.Run(name, func(t *testing.T) {
			m := newTestModel(t, smallDataset(t), Options{})
			resize(m, 120, 30)
			press(m, "/")
			b := m.browse
			msgs := decoded(t, []byte(text))
			seq := b.seq
			for _, msg := range msgs {
				send(m, msg)
			}
			if got, want := b.line.input.Value(), text[:maxQueryLen]; got != want {
				t.Fatalf("search line holds %d characters %.40q…, want the first %d", len(got), got, maxQueryLen)
			}
			if n := b.seq - seq; n > uint64(len(msgs)) {
				t.Fatalf("%d searches for %d messages", n, len(msgs))
			}
			lines := strings.Split(checkFrame(t, m, 120, 30), "\n")
			if last := lines[len(lines)-2]; !strings.Contains(last, "holds 512 characters") {
				t.Fatalf("search line %q does not say the paste was cut", last)
			}
			// The filter still applies (the cut query is valid).
			press(m, "enter")
			if b.line.active || b.note.isError {
				t.Fatalf("enter after the cut paste: searching %v, error %q", b.line.active, b.note.text)
			}
		})
	}
}

// TestBurstIsText types a burst into the open search line in one message:
// it is inserted whole, and text that names a key ("home") is text.
func TestBurstIsText(t *testing.T) {
	m := newTestModel(t, smallDataset(t), Options{})
	resize(m, 100, 30)
	b := m.browse
	seq := b.seq
	send(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("/ulsan")})
	if !b.line.active || b.line.input.Value() != "ulsan" || b.seq-seq != 1 {
		t.Fatalf("/ulsan in one message: searching %v, input %q, %d searches, want 1", b.line.active, b.line.input.Value(), b.seq-seq)
	}
	press(m, "ctrl+u")
	send(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("home")})
	if b.line.input.Value() != "home" {
		t.Fatalf("burst \"home\" in the search line: input %q", b.line.input.Value())
	}
}

// TestLongStartQuery refuses a start-up query (--query, or a visitor's SSH
// command) longer than the search line holds, quoting only its start.
func TestLongStartQuery(t *testing.T) {
	long := strings.Repeat("ulsan ", 100)
	_, err := New(NewCatalog(search.NewEngine(smallDataset(t))), Options{Renderer: asciiRenderer(), Query: long})
	var oe *OptionError
	if !errors.As(err, &oe) || oe.Option != "query" || !strings.Contains(oe.Msg, "600 characters; a search holds at most 512") {
		t.Fatalf("a 600-character query: %v, want an OptionError for query that names both lengths", err)
	}
	if len(err.Error()) > 200 {
		t.Fatalf("the error quotes the whole query: %d bytes", len(err.Error()))
	}
	if _, err := New(NewCatalog(search.NewEngine(smallDataset(t))), Options{Renderer: asciiRenderer(), Query: long[:maxQueryLen]}); err != nil {
		t.Fatalf("a %d-character query: %v", maxQueryLen, err)
	}
}
