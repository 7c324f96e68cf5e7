package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// statusPart is one piece of a status line. Parts with a higher drop value
// go first when the line is too narrow for all; 0 is never dropped (only
// clipped with the rest).
type statusPart struct {
	text string
	drop int
}

// statusLine is the bottom line of a view: parts joined by a dot, the least
// important left out when the width cannot hold them all, so that what
// matters most (where the cursor is, an error) never scrolls off the edge.
type statusLine struct {
	c     *common
	width int
	view  string
}

func newStatusLine(c *common) statusLine { return statusLine{c: c} }

func (sl *statusLine) SetSize(w, _ int) { sl.width = w }

// set lays parts out in their order, dropping the highest drop values first
// until the rest fits.
func (sl *statusLine) set(parts ...statusPart) {
	sep := sl.c.styles.Dim.Render(" · ")
	sepW := ansi.StringWidth(sep)
	keep := make([]bool, len(parts))
	width := -sepW
	for i, p := range parts {
		keep[i] = p.text != ""
		if keep[i] {
			width += ansi.StringWidth(p.text) + sepW
		}
	}
	for width > sl.width {
		worst := -1
		for i, p := range parts {
			if keep[i] && p.drop > 0 && (worst < 0 || p.drop > parts[worst].drop) {
				worst = i
			}
		}
		if worst < 0 {
			break
		}
		keep[worst] = false
		width -= ansi.StringWidth(parts[worst].text) + sepW
	}
	texts := make([]string, 0, len(parts))
	for i, p := range parts {
		if keep[i] {
			texts = append(texts, p.text)
		}
	}
	sl.view = clip(strings.Join(texts, sep), sl.width)
}

func (sl *statusLine) View() string { return sl.view }
