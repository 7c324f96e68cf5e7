package ui

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/dcx-explorer/dcx/data"
	"github.com/dcx-explorer/dcx/search"
	"github.com/muesli/termenv"
)

// The golden files are screens of the app on the embedded dataset at 100x30
// without colour; `go test ./ui -run TestGolden -update` rewrites them.

func goldenModel(t *testing.T) tea.Model {
	t.Helper()
	ds, err := data.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	r.SetHasDarkBackground(true)
	m, err := New(NewCatalog(search.NewEngine(ds)), Options{Renderer: r})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// findID looks a record up by a search, so the tests follow the dataset's
// ids rather than hard-coding them; exactly one record must match.
func findID(t *testing.T, query string) string {
	t.Helper()
	ds, err := data.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	rs, _, err := search.Run(ds, query)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 1 {
		t.Fatalf("search %q: %d records, want exactly 1", query, len(rs))
	}
	return rs[0].RecordID()
}

func keys(tm *teatest.TestModel, ks ...string) {
	for _, k := range ks {
		tm.Send(keyMsg(k))
	}
}

// applyFilter types a query into the search line and waits until its result is
// on screen (the search runs in a command).
func applyFilter(t *testing.T, tm *teatest.TestModel, q string) {
	t.Helper()
	keys(tm, "/", "ctrl+u")
	tm.Type(q)
	keys(tm, "enter")
	waitFor(t, tm, `filter "`+q+`"`)
}

// waitFor waits until the program has drawn text: navigation happens in
// commands, so a quit sent at once could overtake it.
func waitFor(t *testing.T, tm *teatest.TestModel, text string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(text)) },
		teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
}

func finalView(t *testing.T, tm *teatest.TestModel) string {
	t.Helper()
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	return tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).View()
}

func requireGolden(t *testing.T, view string) {
	t.Helper()
	golden.RequireEqual(t, []byte(view+"\n"))
}

func TestGolden(t *testing.T) {
	ulsan := findID(t, "kind:facility ulsan")
	alibaba := findID(t, "kind:investment alibaba 380")

	t.Run("start", func(t *testing.T) {
		tm := teatest.NewTestModel(t, goldenModel(t), teatest.WithInitialTermSize(100, 30))
		requireGolden(t, finalView(t, tm))
	})

	t.Run("search_ranked", func(t *testing.T) {
		tm := teatest.NewTestModel(t, goldenModel(t), teatest.WithInitialTermSize(100, 30))
		applyFilter(t, tm, "frankfurt")
		keys(tm, "3") // regions: the ones named Frankfurt first
		waitFor(t, tm, "best first")
		requireGolden(t, finalView(t, tm))
	})

	t.Run("search_ulsan", func(t *testing.T) {
		tm := teatest.NewTestModel(t, goldenModel(t), teatest.WithInitialTermSize(100, 30))
		applyFilter(t, tm, "ulsan")
		keys(tm, "4", "/") // the facilities, with the search line open again
		v := finalView(t, tm)
		if !strings.Contains(v, "SK Telecom–AWS Ulsan") {
			t.Fatalf("the Ulsan facility is not listed:\n%s", v)
		}
		requireGolden(t, v)
	})

	t.Run("detail_ulsan", func(t *testing.T) {
		tm := teatest.NewTestModel(t, goldenModel(t), teatest.WithInitialTermSize(100, 30))
		applyFilter(t, tm, "kind:facility ulsan")
		keys(tm, "4", "enter")
		waitFor(t, tm, "Related (")
		v := finalView(t, tm)
		if !strings.Contains(v, ulsan) {
			t.Fatalf("not the detail of %s:\n%s", ulsan, v)
		}
		requireGolden(t, v)
	})

	t.Run("compare_alibaba_ulsan", func(t *testing.T) {
		tm := teatest.NewTestModel(t, goldenModel(t), teatest.WithInitialTermSize(100, 30))
		applyFilter(t, tm, "kind:investment alibaba 380")
		keys(tm, "5", "space")
		applyFilter(t, tm, "kind:facility ulsan")
		keys(tm, "4", "space", "c")
		waitFor(t, tm, "Compare 2 records")
		v := finalView(t, tm)
		if !strings.Contains(v, alibaba) || !strings.Contains(v, ulsan) {
			t.Fatalf("compare does not show %s and %s:\n%s", alibaba, ulsan, v)
		}
		requireGolden(t, v)
	})

	t.Run("help", func(t *testing.T) {
		tm := teatest.NewTestModel(t, goldenModel(t), teatest.WithInitialTermSize(100, 30))
		keys(tm, "?")
		requireGolden(t, finalView(t, tm))
	})

	t.Run("too_small", func(t *testing.T) {
		tm := teatest.NewTestModel(t, goldenModel(t), teatest.WithInitialTermSize(30, 8))
		v := finalView(t, tm)
		if !strings.Contains(v, "too small") {
			t.Fatalf("no too-small message:\n%s", v)
		}
		requireGolden(t, v)
	})
}

// TestGolden80 is the app at 80x24, the size of a default terminal: each
// tab, a lone zone, an error on the search line and the help. Dates,
// codes and errors must read whole here (TestKeepColumnsWhole checks the
// cells at every size).
func TestGolden80(t *testing.T) {
	for i, tab := range []string{"announcements", "companies", "regions", "facilities", "investments", "sources"} {
		t.Run(tab, func(t *testing.T) {
			tm := teatest.NewTestModel(t, goldenModel(t), teatest.WithInitialTermSize(80, 24))
			keys(tm, string(rune('1'+i)))
			requireGolden(t, finalView(t, tm))
		})
	}
	t.Run("lone_zone", func(t *testing.T) {
		tm := teatest.NewTestModel(t, goldenModel(t), teatest.WithInitialTermSize(80, 24))
		applyFilter(t, tm, "ap-northeast-2a")
		keys(tm, "3")
		waitFor(t, tm, "Regions")
		requireGolden(t, finalView(t, tm))
	})
	t.Run("search_error", func(t *testing.T) {
		tm := teatest.NewTestModel(t, goldenModel(t), teatest.WithInitialTermSize(80, 24))
		keys(tm, "/")
		// Pasted, so that no search of a prefix ("foo") races the error.
		tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("foo:bar"), Paste: true})
		waitFor(t, tm, "(at column 1)")
		requireGolden(t, finalView(t, tm))
	})
	t.Run("help", func(t *testing.T) {
		tm := teatest.NewTestModel(t, goldenModel(t), teatest.WithInitialTermSize(80, 24))
		keys(tm, "?")
		requireGolden(t, finalView(t, tm))
	})
}
