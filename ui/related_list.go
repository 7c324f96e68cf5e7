package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/dcx-explorer/dcx/model"
	"github.com/dcx-explorer/dcx/search"
)

// The detail's related list: the relations grouped by kind under headings,
// the filter typed after /, and the cursor over the records.

// relRow is a line of the related list: a kind's heading with its count
// (pos -1), or the shown record at pos.
type relRow struct {
	pos   int
	kind  model.Kind
	count int
	roleW int // the widest role of the group, 0 when all only name the kind
}

// relRole is a relation's role as the list shows it: under its kind's
// heading, a role that only names the kind ("announcement") says nothing.
func relRole(rel model.Relation) string {
	if role := clean(rel.Role); role != string(rel.Record.RecordKind()) {
		return role
	}
	return ""
}

// groupRelated lists the related records the filter keeps under a heading
// per kind (Related orders them by kind already), keeping the cursor on
// the record it was on when that is still shown.
func (d *detail) groupRelated() {
	at := -1
	if d.relCursor >= 0 && d.relCursor < len(d.shown) {
		at = d.shown[d.relCursor]
	}
	q := search.Fold(strings.TrimSpace(d.filter.Value()))
	if q != "" && len(d.folded) != len(d.related) {
		// Folded once, on the first filter: a country of a large file has
		// tens of thousands of relations to filter at every keystroke.
		d.folded = make([]string, len(d.related))
		for i, rel := range d.related {
			d.folded[i] = search.Fold(rel.Role + " " + rel.Record.RecordTitle() + " " + rel.Record.RecordID())
		}
	}
	d.shown, d.rows, d.rowOf = d.shown[:0], d.rows[:0], d.rowOf[:0]
	for i := range d.related {
		if q != "" && !strings.Contains(d.folded[i], q) {
			continue
		}
		d.shown = append(d.shown, i)
	}
	d.relCursor = 0
	for p, i := range d.shown {
		k := d.related[i].Record.RecordKind()
		if p == 0 || d.related[d.shown[p-1]].Record.RecordKind() != k {
			d.rows = append(d.rows, relRow{pos: -1, kind: k})
		}
		d.rowOf = append(d.rowOf, len(d.rows))
		d.rows = append(d.rows, relRow{pos: p, kind: k})
		if i == at {
			d.relCursor = p
		}
	}
	// The headings' counts and the groups' role widths, now that the
	// groups are known.
	for r := 0; r < len(d.rows); {
		end, roleW := r+1, 0
		for ; end < len(d.rows) && d.rows[end].pos >= 0; end++ {
			roleW = max(roleW, ansi.StringWidth(relRole(d.related[d.shown[d.rows[end].pos]])))
		}
		d.rows[r].count = end - r - 1
		for i := r; i < end; i++ {
			d.rows[i].roleW = min(roleW, 14)
		}
		r = end
	}
}

// listHeight is the number of lines of the related list the pane shows at
// once, below its title (and the filter's line).
func (d *detail) listHeight() int {
	h := d.relH - 1
	if !d.wide {
		h-- // the rule above the pane
	}
	if d.showFilter() {
		h--
	}
	return max(h, 1)
}

// showFilter says the filter has a line: while typed, or while it hides
// records.
func (d *detail) showFilter() bool { return d.filtering || d.filter.Value() != "" }

// selectedRelated is the related record under the cursor.
func (d *detail) selectedRelated() (model.Relation, bool) {
	if d.relCursor < 0 || d.relCursor >= len(d.shown) {
		return model.Relation{}, false
	}
	return d.related[d.shown[d.relCursor]], true
}

// updateFilter gives a key to the related list's filter: enter keeps what
// it shows, esc clears it, anything else edits it and filters at once.
func (d *detail) updateFilter(msg tea.KeyMsg) tea.Cmd {
	k := &d.c.keys
	switch {
	case key.Matches(msg, k.SearchApply):
		d.filtering = false
		d.filter.Blur()
	case key.Matches(msg, k.SearchCancel):
		d.filtering = false
		d.filter.Blur()
		d.filter.SetValue("")
		d.groupRelated()
	case msg.Type == tea.KeyUp || msg.Type == tea.KeyDown:
		d.moveKeys(msg)
	default:
		before := d.filter.Value()
		var cmd tea.Cmd
		d.filter, cmd = d.filter.Update(msg)
		if d.filter.Value() != before {
			d.groupRelated()
		}
		d.setSize(d.width, d.height)
		return cmd
	}
	d.setSize(d.width, d.height)
	return nil
}
