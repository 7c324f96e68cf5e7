package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/dcx-explorer/dcx/data"
)

func lastLine(s string) string {
	lines := strings.Split(s, "\n")
	return lines[len(lines)-1]
}

func embeddedModel(t *testing.T, opts Options) *Model {
	t.Helper()
	ds, err := data.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	return newTestModel(t, ds, opts)
}

// A long filter is shortened before the marks and the sort it would push
// off the line; where the cursor is always stays.
func TestStatusLongFilterKeepsMarksAndSort(t *testing.T) {
	long := `kind:facility -"joint venture" -"` + strings.Repeat("nothing like this ", 4) + `"`
	m := embeddedModel(t, Options{Query: long})
	resize(m, 80, 24)
	press(m, "4", "space", "s")
	status := lastLine(m.browse.view())
	for _, want := range []string{"Facilities ", `filter "kind:facility -"jo`, "● 1 marked", "sort "} {
		if !strings.Contains(status, want) {
			t.Errorf("status %q lacks %q", status, want)
		}
	}
	if w := ansi.StringWidth(status); w > 80 {
		t.Errorf("status is %d wide", w)
	}
}

// The status line names the tab as the tab bar does, at every width.
func TestStatusNamesTabAsTabBar(t *testing.T) {
	m := embeddedModel(t, Options{})
	for _, w := range []int{40, 60, 80, 100, 160} {
		resize(m, w, 24)
		for tab := range m.browse.specs {
			m.browse.setTab(tab)
			label := m.browse.bar.label(tab)
			if !strings.Contains(m.browse.bar.View(), "["+label+" ") {
				t.Errorf("%d cols, tab %d: bar %q does not show %q active", w, tab, m.browse.bar.View(), label)
			}
			if status := lastLine(m.browse.view()); !strings.HasPrefix(status, label+" ") {
				t.Errorf("%d cols, tab %d: status %q does not start with %q", w, tab, status, label)
			}
		}
	}
}

// The query appears as typed, quotes and all, not Go-escaped; a word
// matched approximately says what it matched.
func TestStatusShowsQueryAsTypedAndApprox(t *testing.T) {
	m := embeddedModel(t, Options{Query: `kind:fac -"joint venture"`})
	resize(m, 160, 30)
	if status := lastLine(m.browse.view()); !strings.Contains(status, `filter "kind:fac -"joint venture""`) {
		t.Errorf("status %q", status)
	}
	m = embeddedModel(t, Options{Query: "ulsna"})
	resize(m, 120, 30)
	if status := lastLine(m.browse.view()); !strings.Contains(status, "ulsna ≈ ulsan") {
		t.Errorf("status %q does not say ulsna was matched as ulsan", status)
	}
	press(m, "/")
	if line := lastLine(m.browse.view()); !strings.Contains(line, "ulsna ≈ ulsan") {
		t.Errorf("search line %q does not say ulsna was matched as ulsan", line)
	}
}
