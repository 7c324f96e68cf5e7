package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// statusPart is one piece of a status line. Parts with a higher drop value
// go first when the line is too narrow for all; 0 is never dropped (only
// clipped with the rest). A part with shrink (a long filter) is first
// redrawn narrower, down to shrinkMin cells, so that it does not push the
// short parts after it off the line.
type statusPart struct {
	text   string
	drop   int
	shrink func(w int) string
}

const (
	shrinkMin = 16
	// shrinkBefore: parts with a drop value up to this are kept in
	// preference to shortening a part with shrink; higher ones go first.
	shrinkBefore = 4
)

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
	shrunk := false
	for width > sl.width {
		worst := -1
		for i, p := range parts {
			if keep[i] && p.drop > 0 && (worst < 0 || p.drop > parts[worst].drop) {
				worst = i
			}
		}
		if !shrunk && (worst < 0 || parts[worst].drop <= shrinkBefore) {
			// Shorten the long parts before the short ones that matter go.
			shrunk = true
			for i, p := range parts {
				if width <= sl.width || !keep[i] || p.shrink == nil {
					continue
				}
				pw := ansi.StringWidth(p.text)
				if to := max(pw-(width-sl.width), shrinkMin); to < pw {
					parts[i].text = p.shrink(to)
					width += ansi.StringWidth(parts[i].text) - pw
				}
			}
			continue
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
