package ui

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// cacheLimit bounds a table's caches of formatted rows: they only ever hold
// rows that were on screen, but a long scroll through a million records
// should not keep them all.
const cacheLimit = 4096

// table is a virtualised list of records under a header: it formats only
// the rows on screen, remembers them, and keeps the cursor in view. Its
// rows are indices into Dataset.Records; which rows, in which order, is its
// owner's business (browse's tabs, by sort and filter).
type table struct {
	c    *common
	cols []column
	rows []int32

	cursor, offset int
	width          int
	bodyH          int // rows of records on screen, the header excluded

	// sortCol is the column the header marks as sorted, -1 for none; desc
	// marks it largest first.
	sortCol int
	desc    bool
	// match gives the byte ranges of a text cell to highlight (the search's
	// words); nil highlights nothing.
	match func(string) [][2]int
	// empty is what an empty table says, a line each.
	empty []string

	// content is each column's widest cell (contentWidths), which the
	// layout sizes the columns from.
	content []int
	widths  []int
	header  string
	// cells caches formatted cell texts per record; lines caches the fitted,
	// highlighted row text of records not under the cursor.
	cells map[int32][]string
	lines map[int32]string
}

func newTable(c *common, cols []column) table {
	return table{c: c, cols: cols, sortCol: -1, cells: map[int32][]string{}, lines: map[int32]string{}}
}

// SetSize lays the table out in w columns and h lines, the header included.
func (t *table) SetSize(w, h int) {
	t.width, t.bodyH = w, max(h-1, 1)
	t.widths = layoutColumns(t.cols, t.content, w-2)
	clear(t.lines)
	t.renderHeader()
	t.ensureVisible()
}

// setContent sizes the columns from their widest cells (contentWidths).
func (t *table) setContent(content []int) {
	t.content = content
	if t.width > 0 {
		t.SetSize(t.width, t.bodyH+1)
	}
}

// setRows shows rows; with keep the cursor stays on the record it was on
// when that record is still shown, else it goes to the top.
func (t *table) setRows(rows []int32, keep bool) {
	var curIdx int32 = -1
	if keep && t.cursor >= 0 && t.cursor < len(t.rows) {
		curIdx = t.rows[t.cursor]
	}
	t.rows = rows
	clear(t.lines)
	t.cursor = 0
	if curIdx >= 0 {
		for i, idx := range t.rows {
			if idx == curIdx {
				t.cursor = i
				break
			}
		}
	}
	t.offset = 0
	t.ensureVisible()
	// Keep the cursor row away from the bottom edge after a jump.
	if t.cursor >= t.bodyH/2 && t.offset > 0 {
		t.offset = clampInt(t.cursor-t.bodyH/2, 0, max(len(t.rows)-t.bodyH, 0))
	}
}

// invalidate drops formatted rows: all cells when the display currency
// changed (money), the fitted lines always (marks, highlight).
func (t *table) invalidate(money bool) {
	if money {
		for _, col := range t.cols {
			if col.money {
				clear(t.cells)
				break
			}
		}
	}
	clear(t.lines)
}

// setSort marks the sorted column in the header.
func (t *table) setSort(col int, desc bool) {
	t.sortCol, t.desc = col, desc
	t.renderHeader()
}

func (t *table) renderHeader() {
	var sb strings.Builder
	sb.WriteString("  ")
	first := true
	for i, col := range t.cols {
		w := t.widths[i]
		if w == 0 {
			continue
		}
		if !first {
			sb.WriteString("  ")
		}
		first = false
		title := col.title
		if i == t.sortCol {
			if t.desc {
				title += " ▼"
			} else {
				title += " ▲"
			}
		}
		if col.right {
			sb.WriteString(fitRight(title, w))
		} else {
			sb.WriteString(fit(title, w))
		}
	}
	t.header = t.c.styles.pHeader.wrap(fit(sb.String(), t.width))
}

// Update moves the cursor with the movement keys, the wheel and a click
// (y counts from the header, at 0). It reports whether msg was one of them.
func (t *table) Update(msg tea.Msg) bool {
	k := &t.c.keys
	switch msg := msg.(type) {
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, k.Up):
			t.move(-1)
		case key.Matches(msg, k.Down):
			t.move(1)
		case key.Matches(msg, k.Top):
			t.move(-len(t.rows))
		case key.Matches(msg, k.Bottom):
			t.move(len(t.rows))
		case key.Matches(msg, k.PageUp):
			t.move(-t.bodyH)
		case key.Matches(msg, k.PageDown):
			t.move(t.bodyH)
		default:
			return false
		}
		return true
	case tea.MouseMsg:
		switch {
		case msg.Button == tea.MouseButtonWheelUp:
			t.scroll(-3)
		case msg.Button == tea.MouseButtonWheelDown:
			t.scroll(3)
		case msg.Button == tea.MouseButtonLeft && msg.Action == tea.MouseActionPress:
			row := msg.Y - 1
			if msg.X < t.width && row >= 0 && row < t.bodyH && t.offset+row < len(t.rows) {
				t.cursor = t.offset + row
			}
		default:
			return false
		}
		return true
	}
	return false
}

func (t *table) help() []key.Binding {
	k := &t.c.keys
	return []key.Binding{k.Up, k.Down, k.Top, k.Bottom, k.PageUp, k.PageDown}
}

func (t *table) move(d int) {
	t.cursor = clampInt(t.cursor+d, 0, len(t.rows)-1)
	t.ensureVisible()
}

func (t *table) ensureVisible() {
	t.cursor = clampInt(t.cursor, 0, len(t.rows)-1)
	if t.cursor < t.offset {
		t.offset = t.cursor
	}
	if t.cursor >= t.offset+t.bodyH {
		t.offset = t.cursor - t.bodyH + 1
	}
	t.offset = clampInt(t.offset, 0, max(len(t.rows)-t.bodyH, 0))
}

// scroll moves the view, dragging the cursor along only when it would leave
// the screen.
func (t *table) scroll(d int) {
	t.offset = clampInt(t.offset+d, 0, max(len(t.rows)-t.bodyH, 0))
	t.cursor = clampInt(t.cursor, t.offset, t.offset+t.bodyH-1)
	t.cursor = clampInt(t.cursor, 0, len(t.rows)-1)
}

// selected is the record under the cursor.
func (t *table) selected() (int32, bool) {
	if t.cursor < 0 || t.cursor >= len(t.rows) {
		return 0, false
	}
	return t.rows[t.cursor], true
}

// prepare formats the rows on screen, so that View only assembles.
func (t *table) prepare() {
	if len(t.lines) > cacheLimit {
		clear(t.lines)
	}
	if len(t.cells) > cacheLimit {
		clear(t.cells)
	}
	end := min(t.offset+t.bodyH, len(t.rows))
	for i := t.offset; i < end; i++ {
		idx := t.rows[i]
		if _, ok := t.lines[idx]; !ok {
			t.lines[idx] = t.renderRow(i, paint{})
		}
	}
}

func (t *table) cellsOf(idx int32) []string {
	if cs, ok := t.cells[idx]; ok {
		return cs
	}
	r := t.c.ds.Records()[idx]
	cs := make([]string, len(t.cols))
	for i, col := range t.cols {
		cs[i] = col.cell(t.c.namer, t.c.currency, r)
	}
	t.cells[idx] = cs
	return cs
}

// continues reports whether row i follows a row of its own group (a zone
// under its region or a sibling zone): its inherited cells stay blank.
func (t *table) continues(i int) bool {
	if i <= 0 || i >= len(t.rows) {
		return false
	}
	recs := t.c.ds.Records()
	g := groupOf(recs[t.rows[i]])
	return g != "" && g == groupOf(recs[t.rows[i-1]])
}

// renderRow fits the cells of row i to the column widths, highlighting
// search matches; base is the row's own style, re-opened after each
// highlight.
func (t *table) renderRow(i int, base paint) string {
	cs := t.cellsOf(t.rows[i])
	cont := t.continues(i)
	var sb strings.Builder
	first := true
	used := 0
	for j, col := range t.cols {
		w := t.widths[j]
		if w == 0 {
			continue
		}
		if !first {
			sb.WriteString("  ")
			used += 2
		}
		first = false
		s := cs[j]
		if cont && col.inherit {
			s = ""
		}
		fitCell := fit
		if col.middle {
			fitCell = fitMiddle
		}
		if col.right {
			sb.WriteString(fitRight(s, w))
		} else if col.text && t.match != nil && t.c.styles.pMatch.open != "" {
			sb.WriteString(fitCell(highlight(s, t.match(s), t.c.styles.pMatch, base), w))
		} else {
			sb.WriteString(fitCell(s, w))
		}
		used += w
	}
	if rest := t.width - 2 - used; rest > 0 {
		sb.WriteString(strings.Repeat(" ", rest))
	}
	return sb.String()
}

// highlight wraps the byte ranges of s in the match style.
func highlight(s string, ranges [][2]int, hl, base paint) string {
	if len(ranges) == 0 {
		return s
	}
	var sb strings.Builder
	last := 0
	for _, r := range ranges {
		a, e := r[0], r[1]
		if a < last || e > len(s) || a >= e || !utf8.RuneStart(s[a]) || (e < len(s) && !utf8.RuneStart(s[e])) {
			continue
		}
		sb.WriteString(s[last:a])
		sb.WriteString(hl.open)
		sb.WriteString(s[a:e])
		sb.WriteString(hl.close)
		sb.WriteString(base.open)
		last = e
	}
	sb.WriteString(s[last:])
	return sb.String()
}

// viewLines is the header and a line per body row, each t.width wide.
func (t *table) viewLines() []string {
	s := &t.c.styles
	out := make([]string, 0, t.bodyH+1)
	out = append(out, t.header)
	end := min(t.offset+t.bodyH, len(t.rows))
	recs := t.c.ds.Records()
	for i := t.offset; i < t.offset+t.bodyH; i++ {
		var line string
		switch {
		case i < end:
			idx := t.rows[i]
			marked := t.c.markSet[recs[idx].RecordID()]
			if i == t.cursor {
				line = s.pCursor.open + "›" + t.markGlyph(marked, s.pCursor) + t.renderRow(i, s.pCursor) + s.pCursor.close
			} else {
				body, ok := t.lines[idx]
				if !ok {
					body = t.renderRow(i, paint{})
				}
				line = " " + t.markGlyph(marked, paint{}) + body
			}
		case len(t.rows) == 0 && i-t.offset < len(t.empty):
			line = t.empty[i-t.offset]
		default:
			line = fit("", t.width)
		}
		out = append(out, line)
	}
	return out
}

// View is the table as text.
func (t *table) View() string { return strings.Join(t.viewLines(), "\n") }

func (t *table) markGlyph(marked bool, base paint) string {
	if !marked {
		return " "
	}
	return t.c.styles.pMark.open + "●" + t.c.styles.pMark.close + base.open
}
