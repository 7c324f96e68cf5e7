package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// tabBar is the top line: "dcx" and a label per tab with its row count,
// the active one in brackets. Names shorten (name, medium, short) to fit the
// width, the other tabs before the active one; the status line names the
// tab as the bar does (label).
type tabBar struct {
	c      *common
	specs  []tabSpec
	active int
	width  int
	levels []int    // per tab: 0 full name, 1 medium, 2 short
	hits   [][3]int // each shown label's tab and columns, for clicks
	view   string
}

func newTabBar(c *common, specs []tabSpec) tabBar { return tabBar{c: c, specs: specs} }

func (tb *tabBar) SetSize(w, _ int) { tb.width = w }

// label is tab i's name at the length the bar shows.
func (tb *tabBar) label(i int) string {
	sp := tb.specs[i]
	if i >= len(tb.levels) {
		return sp.name
	}
	return [...]string{sp.name, sp.medium, sp.short}[tb.levels[i]]
}

// render draws the bar with each tab's count.
func (tb *tabBar) render(active int, counts []int) {
	s := tb.c.styles
	tb.active = active
	if len(tb.levels) != len(tb.specs) {
		tb.levels = make([]int, len(tb.specs))
	}
	clear(tb.levels)
	labels := make([]string, len(tb.specs))
	total := 3 // "dcx"
	for i := range tb.specs {
		labels[i] = tb.label(i) + " " + fmtInt(counts[i])
		total += ansi.StringWidth(labels[i]) + 3
	}
	// Shorten the label that saves most, the active tab's last, until the
	// bar fits or every name is at its shortest.
	for total > tb.width {
		best, saves := -1, 0
		for pass := 0; pass < 2 && best < 0; pass++ {
			for i := range tb.specs {
				if (i == active) != (pass == 1) || tb.levels[i] == 2 {
					continue
				}
				tb.levels[i]++
				shorter := tb.label(i) + " " + fmtInt(counts[i])
				tb.levels[i]--
				if d := ansi.StringWidth(labels[i]) - ansi.StringWidth(shorter); best < 0 || d > saves {
					best, saves = i, d
				}
			}
		}
		if best < 0 {
			break
		}
		tb.levels[best]++
		labels[best] = tb.label(best) + " " + fmtInt(counts[best])
		total -= saves
	}
	if total > tb.width {
		// Still too wide: only the active tab keeps its count.
		for i := range labels {
			if i != active {
				total -= ansi.StringWidth(labels[i]) - ansi.StringWidth(tb.label(i))
				labels[i] = tb.label(i)
			}
		}
	}
	// And narrower still, the bar starts at a later tab so that the active
	// one is always on screen; "…" says tabs are left of it.
	first, end := 0, 3
	for i := 0; i <= active; i++ {
		end += ansi.StringWidth(labels[i]) + 3
	}
	for first < active && end > tb.width {
		end -= ansi.StringWidth(labels[first]) + 3
		if first == 0 {
			end += 2 // " …"
		}
		first++
	}
	var sb strings.Builder
	sb.WriteString(s.Title.Render("dcx"))
	x := 3
	if first > 0 {
		sb.WriteString(s.Dim.Render(" …"))
		x += 2
	}
	tb.hits = tb.hits[:0]
	for i := first; i < len(labels); i++ {
		l := labels[i]
		sb.WriteString(" ")
		x++
		w := ansi.StringWidth(l) + 2
		if i == active {
			sb.WriteString(s.TabActive.Render("[" + l + "]"))
		} else {
			sb.WriteString(s.TabPassive.Render(" " + l + " "))
		}
		tb.hits = append(tb.hits, [3]int{i, x, x + w})
		x += w
	}
	tb.view = clip(sb.String(), tb.width)
}

// Update answers the tab keys and a click on a label with the tab to show.
func (tb *tabBar) Update(msg tea.Msg) (tab int, ok bool) {
	k := &tb.c.keys
	n := len(tb.specs)
	switch msg := msg.(type) {
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, k.NextTab):
			return (tb.active + 1) % n, true
		case key.Matches(msg, k.PrevTab):
			return (tb.active - 1 + n) % n, true
		case key.Matches(msg, k.GotoTab):
			if i := int(msg.String()[0] - '1'); i >= 0 && i < n {
				return i, true
			}
		}
	case tea.MouseMsg:
		if msg.Button != tea.MouseButtonLeft || msg.Action != tea.MouseActionPress || msg.Y != 0 {
			return 0, false
		}
		for _, hit := range tb.hits {
			if msg.X >= hit[1] && msg.X < hit[2] {
				return hit[0], true
			}
		}
	}
	return 0, false
}

func (tb *tabBar) help() []key.Binding {
	k := &tb.c.keys
	return []key.Binding{k.NextTab, k.PrevTab, k.GotoTab}
}

func (tb *tabBar) View() string { return tb.view }
