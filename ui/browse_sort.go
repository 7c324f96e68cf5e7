package ui

import tea "github.com/charmbracelet/bubbletea"

// cycleSort moves the sort to the next visible column, then back to dataset
// order. A large tab's first sort by a column is computed in a command (half
// a second for 400,000 rows): the table keeps its order, the status line says
// "sorting…", and the sortedMsg applies it. Pressing again meanwhile moves
// on from the column being sorted.
func (b *browse) cycleSort(t *tabState) tea.Cmd {
	from := t.sortCol
	if t.sorting {
		from = t.pendingCol
	}
	next := -1
	for i := from + 1; i < len(t.spec.cols); i++ {
		if t.widths[i] > 0 {
			next = i
			break
		}
	}
	cat := b.c.cat
	if _, done := cat.order(t.index, next); next >= 0 && !done && cat.baseLen(t.index) >= cat.limits.asyncSortMin {
		t.sorting, t.pendingCol = true, next
		tab, names, col, base := t.index, cat.names, t.spec.cols[next], cat.base(t.index)
		return func() tea.Msg { return sortedMsg{tab: tab, col: next, order: sortOrder(names, col, base)} }
	}
	t.sorting = false
	t.sortCol = next
	b.refreshRows(t, true)
	t.renderHeader()
	return nil
}

// sortedMsg carries a tab's order by one column, computed in a command.
type sortedMsg struct {
	tab, col int
	order    sorted
}

func (b *browse) applySorted(msg sortedMsg) {
	if msg.tab < 0 || msg.tab >= len(b.tabs) {
		return
	}
	t := b.tabs[msg.tab]
	b.c.cat.setOrder(msg.tab, msg.col, msg.order)
	if t.sorting && t.pendingCol == msg.col {
		t.sorting = false
		t.sortCol = msg.col
		b.refreshRows(t, true)
		t.renderHeader()
	}
}

// order returns the tab's records in the current sort, ascending. The sorted
// permutation is computed once per column, for every session; filtering then
// only walks it.
func (b *browse) order(t *tabState) sorted {
	cat := b.c.cat
	if t.sortCol < 0 {
		return sorted{rows: cat.base(t.index)}
	}
	if o, ok := cat.order(t.index, t.sortCol); ok {
		return o
	}
	o := sortOrder(cat.names, t.spec.cols[t.sortCol], cat.base(t.index))
	cat.setOrder(t.index, t.sortCol, o)
	return o
}
