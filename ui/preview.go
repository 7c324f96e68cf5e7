package ui

import (
	"strings"

	"github.com/dcx-explorer/dcx/model"
)

// previewMinWidth is the terminal width from which the browser shows a
// preview of the selected record beside the table.
const previewMinWidth = 110

// preview is the selected record's fields in a pane right of the table,
// drawn by the same document renderer as the detail (renderFields). It
// redraws only when the record or its size changes.
type preview struct {
	c      *common
	width  int
	height int
	id     string
	stale  bool
	lines  []string
}

func newPreview(c *common) preview { return preview{c: c} }

// width gives the pane its share of a terminal w wide: none below
// previewMinWidth.
func previewWidth(w int) int {
	if w < previewMinWidth {
		return 0
	}
	return clampInt(w/3, 36, 60)
}

func (p *preview) SetSize(w, h int) {
	p.width, p.height = w, h
	p.stale = true
}

// invalidate redraws on the next show (currency or marks changed).
func (p *preview) invalidate() { p.stale = true }

// show renders r (none when !ok) unless it is on screen already.
func (p *preview) show(r model.Record, ok bool) {
	if p.width == 0 {
		p.lines = nil
		return
	}
	id := ""
	if ok {
		id = r.RecordID()
	}
	if id == p.id && !p.stale && p.lines != nil {
		return
	}
	p.id, p.stale = id, false
	inner := p.width - 3
	var lines []string
	if ok {
		lines = strings.Split(renderFields(p.c, r, inner, true), "\n")
	}
	lines = padLines(lines, p.height)
	bar := p.c.styles.pDim.wrap("│")
	for i, l := range lines {
		lines[i] = " " + bar + " " + fit(l, inner)
	}
	p.lines = lines
}

// line is the pane's line i, "" when there is no pane.
func (p *preview) line(i int) string {
	if p.width == 0 || i < 0 || i >= len(p.lines) {
		return ""
	}
	return p.lines[i]
}

func (p *preview) View() string { return strings.Join(p.lines, "\n") }
