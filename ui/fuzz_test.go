package ui

import (
	"fmt"
	"runtime/debug"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/dcx-explorer/dcx/data/synth"
	"github.com/dcx-explorer/dcx/search"
)

// Bounds of one FuzzUIEvents input, so that one run stays well under a
// second: the input's bytes, the messages driven, the terminal's size.
const (
	fuzzMaxBytes = 4096
	fuzzMaxMsgs  = 300
	fuzzMaxW     = 240
	fuzzMaxH     = 80
)

// FuzzUIEvents drives the root model with raw terminal input: the bytes are
// decoded by bubbletea's own input reader into keys, mouse events, pastes
// (bracketed or not) and focus reports, and xterm's window size report
// (CSI 8;rows;cols t) becomes a resize. After every message the frame
// contract holds: no panic, no line wider than the terminal, no more lines
// than its height, cursors in range. The first byte picks the dataset.
//
//	go test ./ui -run '^$' -fuzz FuzzUIEvents -fuzztime 2m
func FuzzUIEvents(f *testing.F) {
	small := smallDataset(f)
	big := synth.Generate(400, 5)
	if err := big.Build(); err != nil {
		f.Fatal(err)
	}
	catalogs := []*Catalog{NewCatalog(search.NewEngine(small)), NewCatalog(search.NewEngine(big))}
	for _, seed := range []string{
		"jjjk\r\x1b",                                   // down, up, open, back
		"/ulsan\r",                                     // search and apply
		"/mw>=100 country:KR\x1b",                      // search and cancel
		"/kind:\x7f\x7f\x7fzz\x15\r",                   // backspaces, ctrl+u
		"\x1b[A\x1b[B\x1b[5~\x1b[6~\x1b[H\x1b[F",       // arrows, pgup/pgdown, home/end
		"\t\t\x1b[Z123456",                             // tabs, shift+tab, tab numbers
		" j c s S $ x",                                 // marks, compare, sort, currency
		"?\x1bq",                                       // help
		"\x1b[<64;10;5M\x1b[<65;10;5M",                 // wheel up and down (SGR)
		"\x1b[<0;20;3M\x1b[<0;20;3m\x1b[<0;5;0M",       // clicks, on a row and on the tab bar
		"\x1b[M !!\x1b[M`!!",                           // X10 mouse
		"\x1b[8;24;80t\x1b[8;1;1t\x1b[8;200;500t",      // window sizes
		"\x1b[8;10;40t/ulsan\x1b[8;60;200t\r",          // resize while searching
		"/\x1b[200~pasted \x1b[31mtext\x1b[201~\r",     // bracketed paste into the search line
		"\x1b[200~q/\x1b[201~",                         // bracketed paste outside it
		"/" + pasteTexts()["prose"][:700],              // plain paste past the limit
		"/\u202eulsan\u200b\ufeff\xff\xfe",             // format characters and bad UTF-8
		"\x1b[I\x1b[O\x1bj\x1b\x1b",                    // focus, alt+j, lone escapes
		"j\r\tj\r \x1b c",                              // detail, related, mark, compare
		"\x01\x02\x04\x05\x06\x0b\x0c\x0e\x10\x12\x1a", // control keys
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 || len(data) > fuzzMaxBytes {
			return
		}
		opts := Options{Renderer: asciiRenderer()}
		mm, err := New(catalogs[int(data[0])%len(catalogs)], opts)
		if err != nil {
			t.Fatal(err)
		}
		m := mm.(*Model)
		w, h := 100, 30
		resize(m, w, h)
		msgs := decoded(t, data)
		if len(msgs) > fuzzMaxMsgs {
			msgs = msgs[:fuzzMaxMsgs]
		}
		for step, msg := range msgs {
			if size, ok := msg.(tea.WindowSizeMsg); ok {
				// The server clamps sizes; here they are kept small for speed.
				w, h = size.Width%(fuzzMaxW+1), size.Height%(fuzzMaxH+1)
				msg = tea.WindowSizeMsg{Width: w, Height: h}
			}
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("message %d, %dx%d, %#v: panic: %v\n%s", step, w, h, msg, r, debug.Stack())
					}
				}()
				send(m, msg)
				checkFrame(t, m, w, h)
			}()
			checkCursors(t, m, step)
		}
	})
}

// TestDecodedSequences checks FuzzUIEvents' decoder on real sequences: a
// size report, runes, an SGR click and a bracketed paste.
func TestDecodedSequences(t *testing.T) {
	got := decoded(t, []byte("\x1b[8;24;80t/ul\x1b[<0;20;3M\x1b[200~a b\x1b[201~\x1b[A"))
	want := []tea.Msg{
		tea.WindowSizeMsg{Width: 80, Height: 24},
		tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("/ul")},
		tea.MouseMsg{X: 19, Y: 2, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress, Type: tea.MouseLeft},
		tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("a b"), Paste: true},
		tea.KeyMsg{Type: tea.KeyUp},
	}
	if len(got) != len(want) {
		t.Fatalf("decoded %d messages %#v, want %d", len(got), got, len(want))
	}
	for i := range want {
		if fmt.Sprintf("%#v", got[i]) != fmt.Sprintf("%#v", want[i]) {
			t.Errorf("message %d: %#v, want %#v", i, got[i], want[i])
		}
	}
}
