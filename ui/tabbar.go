package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// tabBar is the top line: "dcx" and a label per tab with its row count,
// the active one in brackets. Names shorten (name, medium, short) to fit the
// width; the status line names the tab at the same length (label).
type tabBar struct {
	c      *common
	specs  []tabSpec
	active int
	width  int
	level  int      // 0 full names, 1 medium, 2 short: the longest that fits
	hits   [][2]int // each label's columns, for clicks
	view   string
}

func newTabBar(c *common, specs []tabSpec) tabBar { return tabBar{c: c, specs: specs} }

func (tb *tabBar) SetSize(w, _ int) { tb.width = w }

// label is tab i's name at the length the bar shows.
func (tb *tabBar) label(i int) string {
	sp := tb.specs[i]
	return [...]string{sp.name, sp.medium, sp.short}[tb.level]
}

// render draws the bar with each tab's count.
func (tb *tabBar) render(active int, counts []int) {
	s := tb.c.styles
	tb.active = active
	labels := make([]string, len(tb.specs))
	build := func(level int) int {
		tb.level = level
		total := 3 // "dcx"
		for i := range tb.specs {
			labels[i] = fmt.Sprintf("%s %s", tb.label(i), fmtInt(counts[i]))
			total += ansi.StringWidth(labels[i]) + 3
		}
		return total
	}
	for level := 0; level < 3 && build(level) > tb.width; level++ {
	}
	var sb strings.Builder
	sb.WriteString(s.Title.Render("dcx"))
	x := 3
	tb.hits = tb.hits[:0]
	for i, l := range labels {
		sb.WriteString(" ")
		x++
		w := ansi.StringWidth(l) + 2
		if i == active {
			sb.WriteString(s.TabActive.Render("[" + l + "]"))
		} else {
			sb.WriteString(s.TabPassive.Render(" " + l + " "))
		}
		tb.hits = append(tb.hits, [2]int{x, x + w})
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
		for i, hit := range tb.hits {
			if msg.X >= hit[0] && msg.X < hit[1] {
				return i, true
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
