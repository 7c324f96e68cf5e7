package ui

import (
	"fmt"
	"math/rand"
	"runtime/debug"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/dcx-explorer/dcx/data/synth"
	"github.com/dcx-explorer/dcx/model"
)

// TestRandomInput feeds long seeded random sequences of keys, mouse events
// and window sizes to the root model and checks the frame contract after
// every message: no panic, no line wider than the terminal, no more lines
// than its height, cursors in range.
func TestRandomInput(t *testing.T) {
	// Tabs of the generated dataset sort in the background (commands that
	// send runs at once), so those messages are part of the mix.
	big := synth.Generate(3000, 7)
	if err := big.Build(); err != nil {
		t.Fatal(err)
	}
	datasets := map[string]*model.Dataset{"small": smallDataset(t), "synth": big, "empty": emptyDataset(t)}
	keys := []string{"j", "k", "up", "down", "g", "G", "pgup", "pgdown", "enter", "esc", "backspace", "/",
		"space", "c", "x", "s", "S", "$", "?", "q", "tab", "shift+tab", "1", "2", "3", "4", "5", "6", "7",
		"u", "l", "a", "n", " ", ":", ">", "=", "1", "0", "ctrl+u", "mw>=", "country:", "\"", "-", "é", "数"}
	sizes := [][2]int{{1, 1}, {300, 100}, {40, 10}, {39, 9}, {100, 30}, {200, 60}, {110, 24}, {0, 0}, {2, 50}, {80, 3}}
	for name, ds := range datasets {
		for seed := int64(1); seed <= 3; seed++ {
			t.Run(fmt.Sprintf("%s/seed=%d", name, seed), func(t *testing.T) {
				rng := rand.New(rand.NewSource(seed))
				m := newTestModelOn(t, withLimits(ds, func(l *limits) { l.asyncSortMin = 100 }), Options{})
				w, h := 100, 30
				resize(m, w, h)
				for step := 0; step < 1500; step++ {
					var msg tea.Msg
					switch p := rng.Intn(20); {
					case p == 0:
						sz := sizes[rng.Intn(len(sizes))]
						if rng.Intn(2) == 0 {
							sz = [2]int{rng.Intn(320), rng.Intn(110)}
						}
						w, h = sz[0], sz[1]
						msg = tea.WindowSizeMsg{Width: w, Height: h}
					case p < 4:
						buttons := []tea.MouseButton{tea.MouseButtonWheelUp, tea.MouseButtonWheelDown, tea.MouseButtonLeft, tea.MouseButtonLeft}
						msg = tea.MouseMsg{X: rng.Intn(w + 5), Y: rng.Intn(h + 5), Button: buttons[rng.Intn(len(buttons))], Action: tea.MouseActionPress}
					default:
						msg = keyMsg(keys[rng.Intn(len(keys))])
					}
					func() {
						defer func() {
							if r := recover(); r != nil {
								t.Fatalf("step %d, %dx%d, %#v: panic: %v\n%s", step, w, h, msg, r, debug.Stack())
							}
						}()
						send(m, msg)
						checkFrame(t, m, w, h)
					}()
					checkCursors(t, m, step)
				}
			})
		}
	}
}

func checkCursors(t *testing.T, m *Model, step int) {
	t.Helper()
	for i, tab := range m.browse.tabs {
		if tab.stale {
			continue
		}
		n := len(tab.rows)
		if (n == 0 && tab.cursor != 0) || (n > 0 && (tab.cursor < 0 || tab.cursor >= n)) {
			t.Fatalf("step %d: tab %d cursor %d of %d rows", step, i, tab.cursor, n)
		}
		if tab.offset < 0 || (n > 0 && tab.offset >= n) || tab.offset > tab.cursor {
			t.Fatalf("step %d: tab %d offset %d, cursor %d, %d rows", step, i, tab.offset, tab.cursor, n)
		}
	}
	for _, s := range m.stack {
		if d, ok := s.(*detail); ok && len(d.related) > 0 && (d.relCursor < 0 || d.relCursor >= len(d.related)) {
			t.Fatalf("step %d: related cursor %d of %d", step, d.relCursor, len(d.related))
		}
	}
}

func emptyDataset(t *testing.T) *model.Dataset {
	ds := &model.Dataset{}
	if err := ds.Build(); err != nil {
		t.Fatal(err)
	}
	return ds
}
