package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/dcx-explorer/dcx/model"
)

// The detail shows the related records beside the fields from this width,
// below them under it.
const detailWideWidth = 90

// Which pane of the detail the movement keys act on.
const (
	focusFields = iota
	focusRelated
)

// detail is one record full-screen: its fields, disagreements and evidence
// in a scrolling document, and its related records as a list to walk the
// graph.
type detail struct {
	c       *common
	rec     model.Record
	related []model.Relation
	loading bool // related is being collected (relatedMsg)
	vp      viewport.Model

	// The related list, grouped by kind: shown are the indices in
	// related that the filter keeps, rows the list's lines (a heading per
	// kind, then its records), rowOf each shown record's row. relCursor is
	// a position in shown, relOffset the first row on screen.
	shown                []int
	rows                 []relRow
	rowOf                []int
	relCursor, relOffset int
	focus                int
	filter               textinput.Model
	folded               []string // each relation's role, title and id folded, once filtered (groupRelated)
	filtering            bool     // the filter has the keys
	hint                 string   // what the last key means elsewhere (KeyMap.elsewhere)

	width, height int
	wide          bool
	docW, docH    int
	relW, relH    int
	header        string
	status        string
	relLines      []string
	docLines      []string
}

// relatedMsg carries the relations collected for d.
type relatedMsg struct {
	d       *detail
	related []model.Relation
}

// newDetail opens r. With async, relations that take a while to collect
// are collected by the returned command, the document shown meanwhile.
func newDetail(c *common, r model.Record, async bool) (*detail, tea.Cmd) {
	d := &detail{c: c, rec: r, vp: viewport.New(0, 0), filter: newTextInput(c, "filter related")}
	id := r.RecordID()
	if !async || c.ds.RelatedEstimate(id) <= c.cat.limits.relatedSyncMax {
		d.related = c.ds.Related(id)
		d.groupRelated()
		return d, nil
	}
	d.loading = true
	ds := c.ds
	return d, func() tea.Msg { return relatedMsg{d: d, related: ds.Related(id)} }
}

// setRelated shows the relations a command collected.
func (d *detail) setRelated(related []model.Relation) {
	d.related, d.loading, d.folded = related, false, nil
	d.groupRelated()
	d.setSize(d.width, d.height)
}

func (d *detail) kind() viewKind { return viewDetail }
func (d *detail) editing() bool  { return d.filtering }

func (d *detail) help() keyHelp { return d.c.keys.detailHelp() }

// setSize lays the detail out. The document is rendered again only when
// its width changes: the related list's filter resizes the panes on every
// keystroke in a narrow terminal, and the document need not follow.
func (d *detail) setSize(w, h int) {
	d.width, d.height = w, h
	docW := d.docW
	bodyH := max(h-2, 1) // header line, status line
	d.wide = w >= detailWideWidth
	if d.wide {
		d.relW = clampInt(w*2/5, 30, 60)
		d.docW = w - d.relW
		d.docH = bodyH
		d.relH = bodyH
	} else {
		d.relW = w
		d.docW = w
		d.relH = clampInt(len(d.rows)+3, 3, max(bodyH/3, 3))
		d.docH = max(bodyH-d.relH, 1)
	}
	if d.docW != docW || d.docLines == nil {
		d.refresh()
		return
	}
	d.vp.Height = d.docH
	d.render()
}

// refresh re-renders the document (size, currency or marks changed).
func (d *detail) refresh() {
	if d.width == 0 {
		return
	}
	y := d.vp.YOffset
	d.vp.Width, d.vp.Height = d.docW, d.docH
	doc := renderDoc(d.c, d.rec, d.docW-1)
	d.vp.SetContent(doc)
	d.docLines = strings.Split(doc, "\n")
	for i, l := range d.docLines {
		d.docLines[i] = fit(l, d.docW)
	}
	d.vp.SetYOffset(y)
	d.render()
}

func (d *detail) render() {
	s := d.c.styles
	mark := ""
	if d.c.markSet[d.rec.RecordID()] {
		mark = s.Mark.Render("● ")
	}
	d.header = clip(mark+s.Title.Render(clean(d.rec.RecordTitle()))+"  "+
		s.Dim.Render(string(d.rec.RecordKind())+" · "+clean(d.rec.RecordID())), d.width)

	// The related list.
	d.relCursor = clampInt(d.relCursor, 0, len(d.shown)-1)
	listH := d.listHeight()
	if len(d.shown) > 0 {
		row := d.rowOf[d.relCursor]
		top := row
		if row > 0 && d.rows[row-1].pos < 0 {
			top = row - 1 // a group's first record brings its heading
		}
		if top < d.relOffset {
			d.relOffset = top
		}
		if row >= d.relOffset+listH {
			d.relOffset = row - listH + 1
		}
	}
	d.relOffset = clampInt(d.relOffset, 0, max(len(d.rows)-listH, 0))
	inner := d.relW - 2
	title := "Related (" + fmtInt(len(d.related)) + ")"
	if len(d.shown) != len(d.related) {
		title = "Related (" + fmtInt(len(d.shown)) + " of " + fmtInt(len(d.related)) + ")"
	}
	if d.loading {
		title = "Related (…)"
	}
	border := s.pDim
	if d.focus == focusRelated {
		title = s.Section.Render(title + " ◆")
		border = newPaint(s.Section)
	} else {
		title = s.Label.Render(title)
	}
	var lines []string
	if !d.wide {
		lines = append(lines, border.wrap(strings.Repeat("─", d.width)))
	}
	lines = append(lines, " "+fit(title, inner))
	if d.showFilter() {
		lines = append(lines, " "+fit(d.filter.View(), inner))
	}
	switch {
	case d.loading:
		lines = append(lines, " "+fit(s.Dim.Render("finding related records…"), inner))
	case len(d.related) == 0:
		lines = append(lines, " "+fit(s.Dim.Render("none"), inner))
	case len(d.shown) == 0:
		lines = append(lines, " "+fit(s.Dim.Render("none match; esc clears the filter"), inner))
	}
	for r := d.relOffset; r < min(d.relOffset+listH, len(d.rows)); r++ {
		row := d.rows[r]
		if row.pos < 0 {
			heading := capitalize(model.PluralOf(string(row.kind))) + " (" + fmtInt(row.count) + ")"
			lines = append(lines, " "+fit(s.Dim.Render(heading), inner))
			continue
		}
		rel := d.related[d.shown[row.pos]]
		text := clean(rel.Record.RecordTitle())
		if roleW := min(row.roleW, inner/3); roleW > 0 {
			text = s.Dim.Render(fit(relRole(rel), roleW)) + " " + text
		}
		lead, mark := " ", " "
		if row.pos == d.relCursor {
			lead = "›"
		}
		if d.c.markSet[rel.Record.RecordID()] {
			mark = s.Mark.Render("●")
		}
		if row.pos == d.relCursor && d.focus == focusRelated {
			text = s.Cursor.Render(fit(lead+ansi.Strip(mark)+ansi.Strip(text), inner))
		} else {
			text = lead + mark + text
		}
		lines = append(lines, " "+fit(text, inner))
	}
	lines = padLines(lines, d.relH)
	if d.wide {
		for i, l := range lines {
			lines[i] = border.wrap("│") + l
		}
	}
	d.relLines = lines

	pct := 100
	if d.vp.TotalLineCount() > d.vp.Height {
		pct = int(d.vp.ScrollPercent() * 100)
	}
	focus := "fields"
	if d.focus == focusRelated {
		focus = "related"
	}
	related := fmt.Sprintf("%d related", len(d.related))
	if d.loading {
		related = "finding related…"
	}
	parts := []string{
		s.StatusKey.Render(capitalize(string(d.rec.RecordKind()))),
		fmt.Sprintf("%d%%", pct),
		related,
		"focus " + focus,
	}
	if n := len(d.c.marks); n > 0 {
		parts = append(parts, s.Mark.Render(fmt.Sprintf("● %d marked", n)))
	}
	parts = append(parts, "currency "+d.c.currencyLabel())
	if d.hint != "" {
		parts = append([]string{s.Dim.Render(d.hint)}, parts...)
	}
	d.status = clip(strings.Join(parts, s.Dim.Render(" · ")), d.width)
}

func (d *detail) update(msg tea.Msg) tea.Cmd {
	k := &d.c.keys
	switch msg := msg.(type) {
	case tea.KeyMsg:
		if d.filtering {
			return d.updateFilter(msg)
		}
		d.hint = k.elsewhere(msg, viewDetail)
		switch {
		case key.Matches(msg, k.Back) && d.focus == focusRelated && d.filter.Value() != "":
			d.filter.SetValue("")
			d.groupRelated()
		case key.Matches(msg, k.Back):
			return func() tea.Msg { return backMsg{} }
		case key.Matches(msg, k.Search) && d.focus == focusRelated:
			d.filtering = true
			d.setSize(d.width, d.height)
			return d.filter.Focus()
		case key.Matches(msg, k.Search):
			return func() tea.Msg { return openSearchMsg{} }
		case key.Matches(msg, k.Focus):
			if d.focus == focusFields && len(d.related) > 0 {
				d.focus = focusRelated
			} else {
				d.focus = focusFields
			}
		case key.Matches(msg, k.Open):
			if rel, ok := d.selectedRelated(); ok {
				id := rel.Record.RecordID()
				return func() tea.Msg { return openRecordMsg{id: id} }
			}
		case key.Matches(msg, k.Mark):
			// The record the cursor is on: the highlighted related row
			// when the list has the focus.
			if rel, ok := d.selectedRelated(); ok && d.focus == focusRelated {
				d.c.toggleMark(rel.Record.RecordID())
				d.relCursor++
			} else {
				d.c.toggleMark(d.rec.RecordID())
			}
		case key.Matches(msg, k.ClearMarks):
			d.c.clearMarks()
		case key.Matches(msg, k.Compare):
			if len(d.c.marks) >= 2 {
				return func() tea.Msg { return openCompareMsg{} }
			}
		default:
			d.moveKeys(msg)
		}
	case tea.MouseMsg:
		d.mouse(msg)
	}
	d.render()
	return nil
}

func (d *detail) moveKeys(msg tea.KeyMsg) {
	k := &d.c.keys
	if d.focus == focusRelated {
		listH := d.listHeight()
		switch {
		case key.Matches(msg, k.Up):
			d.relCursor--
		case key.Matches(msg, k.Down):
			d.relCursor++
		case key.Matches(msg, k.Top):
			d.relCursor = 0
		case key.Matches(msg, k.Bottom):
			d.relCursor = len(d.shown) - 1
		case key.Matches(msg, k.PageUp):
			d.relCursor -= listH
		case key.Matches(msg, k.PageDown):
			d.relCursor += listH
		}
		d.relCursor = clampInt(d.relCursor, 0, len(d.shown)-1)
		return
	}
	k.scroll(&d.vp, msg)
}

func (d *detail) mouse(msg tea.MouseMsg) {
	// Rows: header at 0, then the body; in the wide layout the related
	// pane is at the right, in the narrow one below the document.
	inRelated := (d.wide && msg.X >= d.docW) || (!d.wide && msg.Y > d.docH)
	switch msg.Button {
	case tea.MouseButtonWheelUp, tea.MouseButtonWheelDown:
		delta := 3
		if msg.Button == tea.MouseButtonWheelUp {
			delta = -3
		}
		if inRelated {
			d.relCursor = clampInt(d.relCursor+delta, 0, len(d.shown)-1)
		} else if delta < 0 {
			d.vp.LineUp(-delta)
		} else {
			d.vp.LineDown(delta)
		}
	case tea.MouseButtonLeft:
		if msg.Action != tea.MouseActionPress {
			return
		}
		if !inRelated {
			d.focus = focusFields
			return
		}
		top := 2 // header line, list title
		if !d.wide {
			top = 1 + d.docH + 2 // rule and title
		}
		if d.showFilter() {
			top++
		}
		if r := d.relOffset + msg.Y - top; msg.Y >= top && r < len(d.rows) && d.rows[r].pos >= 0 {
			d.relCursor = d.rows[r].pos
			d.focus = focusRelated
		}
	}
}

func (d *detail) view() string {
	docLines := visibleLines(d.docLines, d.vp.YOffset, d.docH)
	out := make([]string, 0, d.height)
	out = append(out, d.header)
	if d.wide {
		for i := 0; i < d.docH; i++ {
			l := docLines[i]
			if l == "" {
				l = strings.Repeat(" ", d.docW)
			}
			out = append(out, l+d.relLines[i])
		}
	} else {
		out = append(out, docLines...)
		out = append(out, d.relLines...)
	}
	out = append(out, d.status)
	return strings.Join(out, "\n")
}
