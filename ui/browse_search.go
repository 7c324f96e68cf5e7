package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/dcx-explorer/dcx/search"
)

// The browser's side of searching: the search line edits the text, and
// each edit sends the query to the engine in a command.

func (b *browse) openSearch() tea.Cmd {
	b.saved = b.filter.clone()
	return b.line.open(b.filter.query.Raw)
}

func (b *browse) updateSearch(msg tea.KeyMsg) tea.Cmd {
	k := &b.c.keys
	t := b.cur()
	switch {
	case key.Matches(msg, k.SearchApply):
		b.line.close()
		if b.note.isError {
			b.note.text = "the filter has an error; kept the previous one"
		}
		return nil
	case key.Matches(msg, k.SearchCancel):
		b.line.close()
		b.seq++ // a result still in flight must not land after the cancel
		b.note = note{}
		b.filter = b.saved
		b.refreshAllRows()
		return nil
	case msg.Type == tea.KeyUp || msg.Type == tea.KeyDown:
		// Arrows move the selection while typing, as in fzf.
		if msg.Type == tea.KeyUp {
			t.move(-1)
		} else {
			t.move(1)
		}
		return nil
	case msg.Type == tea.KeyTab || msg.Type == tea.KeyShiftTab:
		return nil
	}
	changed, cut, cmd := b.line.edit(msg)
	if changed {
		cmd = tea.Batch(cmd, b.search(b.line.value()))
	}
	if cut {
		b.note = tooLongNote(b.note)
	}
	return cmd
}

// lineState is what a key on the search line can change without a command.
type lineState struct {
	value                 string
	note                  note
	pos, tab, cur, offset int
}

func (b *browse) lineState() lineState {
	t := b.cur()
	return lineState{value: b.line.value(), note: b.note,
		pos: b.line.input.Position(), tab: b.tab, cur: t.cursor, offset: t.offset}
}

// search parses the query at once (to report errors while typing) and runs
// it in a command; the result comes back as a searchResultMsg.
func (b *browse) search(text string) tea.Cmd {
	b.seq++
	q, err := search.ParseQuery(text)
	if err != nil {
		b.note = note{text: "invalid filter: " + queryErrorText(err), isError: true}
		return nil
	}
	b.note = note{}
	if q.Empty() {
		b.clearFilter()
		return nil
	}
	seq, s := b.seq, b.searcher
	// The shown tab's best rows are ranked here too: at a million records
	// that takes up to 10 ms, which Update should not spend.
	ds, tab, kinds, rank := b.c.ds, b.tab, b.cur().spec.kinds, b.cur().sortCol < 0 && !b.cur().desc
	return func() tea.Msg {
		res := s.Search(seq, q)
		msg := searchResultMsg{seq: seq, res: res, tab: -1}
		if rank && res.Ranked() {
			msg.tab, msg.rank = tab, rankTab(ds, res, nil, kinds, rankedRows)
		}
		return msg
	}
}

// applyNow runs a query synchronously (the --query start-up option).
func (b *browse) applyNow(q search.Query) {
	if q.Empty() {
		return
	}
	b.seq++
	b.filter.set(b.searcher.Search(b.seq, q), b.c.ds.Len())
	b.filter.ranks, b.filter.seq = map[int]ranking{}, b.seq
	b.refreshAllRows()
	b.prepare()
}

func (b *browse) clearFilter() {
	b.filter.clear()
	b.refreshAllRows()
}
