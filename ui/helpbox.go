package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/dcx-explorer/dcx/search"
)

// The ? overlay: the active view's keys in as many columns as the width
// holds, then, in the browser, the query language, all from the tables the
// handlers and the parser use. Taller than the screen, it scrolls.

const helpGap = 3

// renderHelpBox draws the overlay for a terminal w x h (the help line
// excluded).
func (m *Model) renderHelpBox(kh keyHelp, w, h int) string {
	s := m.c.styles
	inner := max(w-4, 1) // border and padding
	name := [...]string{"browse", "detail", "compare"}[m.active().kind()]
	if m.active().kind() == viewBrowse && m.browse.line.active {
		name = "search line"
	}
	body := m.keyColumns(kh.full, inner)
	if m.active().kind() == viewBrowse {
		body = append(body, "")
		body = append(body, m.searchHelp(inner)...)
	}
	body = append(body, "")
	for _, l := range strings.Split(ansi.Wrap("Mouse: wheel scrolls, click selects a row or a tab. ? or esc closes, q quits.", inner, ""), "\n") {
		body = append(body, s.Dim.Render(l))
	}
	// Title, blank, body; the border takes two lines.
	// The body scrolls in a viewport, with the keys the detail and the
	// comparison scroll by (KeyMap.scroll).
	room := max(h-2-2, 1)
	m.helpVP.Width, m.helpVP.Height = inner, min(room, len(body))
	m.helpVP.SetContent(strings.Join(body, "\n"))
	title := s.Title.Render("Keys — " + name)
	if len(body) > room {
		title += "  " + s.Dim.Render("j/k scroll")
	}
	lines := append([]string{clip(title, inner), ""}, strings.Split(m.helpVP.View(), "\n")...)
	for i, l := range lines {
		lines[i] = fit(l, inner)
	}
	return s.Box.Render(strings.Join(lines, "\n"))
}

// keyColumns lays the groups of bindings out side by side while they fit
// in w, wrapping to further rows of groups.
func (m *Model) keyColumns(groups [][]key.Binding, w int) []string {
	s := m.c.styles
	var blocks [][]string
	for _, g := range groups {
		keyW := 0
		for _, b := range g {
			if b.Enabled() {
				keyW = max(keyW, ansi.StringWidth(b.Help().Key))
			}
		}
		var block []string
		for _, b := range g {
			if b.Enabled() {
				block = append(block, s.HelpKey.Render(fit(b.Help().Key, keyW))+" "+s.HelpDesc.Render(b.Help().Desc))
			}
		}
		if len(block) > 0 {
			blocks = append(blocks, block)
		}
	}
	var out []string
	for len(blocks) > 0 {
		row, used := 0, 0
		for row < len(blocks) {
			bw := blockWidth(blocks[row])
			if row > 0 && used+helpGap+bw > w {
				break
			}
			used += bw
			if row > 0 {
				used += helpGap
			}
			row++
		}
		cols := make([]string, 0, row)
		for i, b := range blocks[:row] {
			text := make([]string, len(b))
			for j, l := range b {
				text[j] = fit(l, blockWidth(b))
				if i > 0 {
					text[j] = strings.Repeat(" ", helpGap) + text[j]
				}
			}
			cols = append(cols, strings.Join(text, "\n"))
		}
		if len(out) > 0 {
			out = append(out, "")
		}
		out = append(out, strings.Split(lipgloss.JoinHorizontal(lipgloss.Top, cols...), "\n")...)
		blocks = blocks[row:]
	}
	for i, l := range out {
		out[i] = clip(l, w)
	}
	return out
}

func blockWidth(b []string) int {
	w := 0
	for _, l := range b {
		w = max(w, ansi.StringWidth(l))
	}
	return w
}

// searchHelp is the query language in brief, its fields and operators
// from the parser's own tables (search.Fields, search.Operators).
func (m *Model) searchHelp(w int) []string {
	s := m.c.styles
	var text, nums []string
	for _, f := range search.Fields() {
		if f.Numeric {
			nums = append(nums, f.Name)
		} else {
			text = append(text, f.Name)
		}
	}
	rows := [][2]string{
		{`word "a phrase"`, "records holding all of them; a word not found is matched approximately"},
		{`-word -"phrase"`, "records without it; -field:value too"},
		{"field:value", strings.Join(text, " ")},
		{"field>=number", strings.Join(nums, " ") + "  (" + strings.Join(search.Operators(), " ") + ")"},
		{"numbers", "1e9 5.1bn 100k 2.5m 1,000"},
		{"e.g.", `country:KR mw>=100 · kind:fac -"joint venture" · usd>=1e9`},
	}
	keyW := 0
	for _, r := range rows {
		keyW = max(keyW, ansi.StringWidth(r[0]))
	}
	out := []string{s.Section.Render("Search")}
	for _, r := range rows {
		wrapped := strings.Split(ansi.Wrap(r[1], max(w-keyW-1, 8), ""), "\n")
		for i, l := range wrapped {
			k := strings.Repeat(" ", keyW)
			if i == 0 {
				k = fit(r[0], keyW)
			}
			out = append(out, clip(s.HelpKey.Render(k)+" "+s.HelpDesc.Render(l), w))
		}
	}
	return out
}
