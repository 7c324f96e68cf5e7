package ui

// The browser's frame: what prepare formats once per update, and the view
// that assembles it.

import (
	"fmt"
	"strings"
)

// prepare formats what the next frame shows (visible rows, tab bar, status,
// preview), so that View only assembles strings.
func (b *browse) prepare() {
	t := b.cur()
	counts := make([]int, len(b.specs))
	for i := range counts {
		counts[i] = b.tabCount(i)
	}
	b.bar.render(b.tab, counts)
	t.empty = nil
	if len(t.rows) == 0 {
		t.empty = b.emptyMessage()
	}
	t.prepare()
	b.renderStatus()
	b.preview.show(b.selected())
}

func (b *browse) renderStatus() {
	s := b.c.styles
	t := b.cur()
	pos := "no rows"
	if b.filter.on {
		pos = "0 matches"
	}
	if len(t.rows) > 0 {
		pos = fmt.Sprintf("%s of %s", fmtInt(t.cursor+1), fmtInt(len(t.rows)))
	}
	// Drop order when the line is narrow: what the user is in the middle
	// of (where the cursor is, an error) stays; then the filter, shortened
	// first; then what was matched approximately, the marks and the order;
	// the currency and passing notes go first.
	var parts []statusPart
	if b.note.text != "" {
		st := s.Dim
		if b.note.isError {
			st = s.Error
		}
		parts = append(parts, statusPart{text: st.Render(b.note.text)})
	}
	parts = append(parts, statusPart{text: s.StatusKey.Render(b.bar.label(b.tab)) + " " + pos})
	if b.filter.on {
		// The query as typed: quotes inside it are the user's, not escaped.
		raw := b.filter.query.Raw
		filterText := func(w int) string {
			return `filter "` + clip(raw, w-len(`filter ""`)) + `"`
		}
		parts = append(parts, statusPart{text: filterText(1 << 20), drop: 1, shrink: filterText},
			statusPart{text: fmtInt(b.c.cat.baseLen(t.index)) + " in tab", drop: 5})
		if b.filter.approx != "" {
			parts = append(parts, statusPart{text: s.Dim.Render(b.filter.approx), drop: 2})
		}
	}
	if t.sortCol >= 0 {
		dir := "↑"
		if t.desc {
			dir = "↓"
		}
		parts = append(parts, statusPart{text: "sort " + t.spec.cols[t.sortCol].title + " " + dir, drop: 4})
	} else if b.ranked(t) && len(t.rows) > 0 {
		parts = append(parts, statusPart{text: "best first", drop: 4})
	} else if t.desc {
		parts = append(parts, statusPart{text: "reversed", drop: 4})
	}
	if n := len(b.c.marks); n > 0 {
		parts = append(parts, statusPart{text: s.Mark.Render(fmt.Sprintf("● %d marked", n)), drop: 3})
	}
	parts = append(parts, statusPart{text: "currency " + b.c.currencyLabel(), drop: 5})
	if t.sorting {
		parts = append(parts, statusPart{text: s.Dim.Render("sorting by " + t.spec.cols[t.pendingCol].title + "…"), drop: 6})
	}
	if !b.c.engine.Ready() && b.c.indexSlow {
		parts = append(parts, statusPart{text: s.Dim.Render("indexing for search…"), drop: 7})
	}
	b.status.set(parts...)
}

// view assembles the frame from what prepare rendered.
func (b *browse) view() string {
	s := &b.c.styles
	out := make([]string, 0, b.height)
	out = append(out, b.bar.View())
	for i, l := range b.cur().viewLines() {
		out = append(out, l+b.preview.line(i))
	}
	if !b.line.active {
		return strings.Join(append(out, b.status.View()), "\n")
	}
	count := ""
	if b.filter.on {
		total := 0
		for i := range b.specs {
			total += b.tabCount(i)
		}
		count = fmt.Sprintf(" %s here, %s in all tabs", fmtInt(b.tabCount(b.tab)), fmtInt(total))
		if b.filter.approx != "" {
			count += " · " + b.filter.approx
		}
		count = s.Dim.Render(count)
	}
	if !b.c.engine.Ready() {
		// The search waits for the engine; say why nothing moves yet.
		count = s.Dim.Render(fmt.Sprintf(" indexing %s records…", fmtInt(b.c.engine.Len())))
	}
	if b.note.text != "" {
		// The table gives up its last rows for a long message; the tab
		// bar, header and one row stay.
		lines := b.line.Lines(b.note.text, min(len(out)-2, 4))
		out = out[:len(out)-(len(lines)-1)]
		return strings.Join(append(out, lines...), "\n")
	}
	return strings.Join(append(out, b.line.View(count)), "\n")
}

// emptyMessage is what an empty table says: why, and what to do.
func (b *browse) emptyMessage() []string {
	t := b.cur()
	if !b.filter.on {
		return []string{fit("  No "+strings.ToLower(t.spec.name)+" in this dataset.", b.tableW)}
	}
	var hints []string
	for i := range b.specs {
		if c := b.tabCount(i); c > 0 && i != b.tab {
			hints = append(hints, fmt.Sprintf("%s has %d (press %d)", b.specs[i].name, c, i+1))
		}
	}
	hints = append(hints, "esc clears the filter")
	return []string{
		fit(fmt.Sprintf("  No %s match %q.", strings.ToLower(t.spec.name), b.filter.query.Raw), b.tableW),
		b.c.styles.pDim.wrap(fit("  "+strings.Join(hints, " · "), b.tableW)),
	}
}
