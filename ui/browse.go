package ui

import (
	"fmt"
	"slices"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/dcx-explorer/dcx/model"
	"github.com/dcx-explorer/dcx/search"
)

// searchResultMsg carries a search's result; Seq says which query it answers
// so that a result overtaken by a newer keystroke is dropped. Rank holds the
// best rows of tab (rankTab), -1 when the search did not rank one.
type searchResultMsg struct {
	seq  uint64
	res  search.Result
	tab  int
	rank ranking
}

// indexReadyMsg says the engine finished preparing in the background
// (search.StartEngine, search.DeferEngine): the "indexing" notes can go.
type indexReadyMsg struct{}

// waitIndex returns a command that reports when the engine is ready, or nil
// when it already is. Waiting does not start a deferred engine (startIndex
// does).
func waitIndex(e *search.Engine) tea.Cmd {
	if e.Ready() {
		return nil
	}
	return func() tea.Msg {
		<-e.Prepared()
		return indexReadyMsg{}
	}
}

// indexAfter is how long after the first window size a deferred engine
// starts preparing: bubbletea's default frame interval, the longest it
// takes to draw a View, so that the first frame is on the screen before the
// preparation competes with it for the processor.
const indexAfter = time.Second / 60

// indexSlowMsg says the index has been preparing for indexNoteDelay: from
// now on the status line says so until it is ready.
type indexSlowMsg struct{}

// indexNoteDelay is how long the index prepares before the status line says
// it does, as the loading note waits before it shows: the embedded
// dataset's index is ready in about 30 ms, and a note that comes and goes
// within a blink is only noise.
const indexNoteDelay = 300 * time.Millisecond

// startIndex returns a command that starts a deferred engine once the first
// frame is drawn, and reports a slow preparation; nil when the engine is
// ready. A search typed sooner starts it at once (search.Engine.Wait).
func startIndex(e *search.Engine) tea.Cmd {
	if e.Ready() {
		return nil
	}
	return tea.Batch(
		tea.Tick(indexAfter, func(time.Time) tea.Msg {
			e.Start()
			return nil
		}),
		tea.Tick(indexNoteDelay, func(time.Time) tea.Msg { return indexSlowMsg{} }),
	)
}

// tabState is one tab: its table, the records it lists (base, shared with
// every session through the catalog) and the state of its sort.
type tabState struct {
	table
	spec  *tabSpec
	index int
	// sorting is set while the order by pendingCol is computed in a
	// command (see cycleSort).
	sorting    bool
	pendingCol int
	// stale says the rows were made for an older filter (the tab was not
	// shown when it changed), or not made yet.
	stale bool
	// rankPending is set while more of the tab's best rows are ranked in a
	// command (rankMore).
	rankPending bool
}

// browse is the start view, composed of a tab bar, a table per tab, a
// preview on wide terminals, and a status line that the search line
// replaces while a search is typed.
type browse struct {
	c        *common
	specs    []tabSpec
	tab      int
	tabs     []*tabState
	searcher *search.Searcher

	bar     tabBar
	line    searchLine
	status  statusLine
	preview preview

	// filter applies to every tab; saved is the one before the search line
	// opened, which esc restores. seq numbers the searches sent.
	filter filter
	saved  filter
	seq    uint64
	note   note // a short message or error for the status or search line

	width, height int
	tableW        int
	bodyH         int
}

func newBrowse(c *common, s *search.Searcher) *browse {
	cat := c.cat
	b := &browse{c: c, specs: cat.specs, searcher: s,
		bar: newTabBar(c, cat.specs), line: newSearchLine(c), status: newStatusLine(c), preview: newPreview(c)}
	b.tabs = make([]*tabState, len(b.specs))
	for i := range b.specs {
		// A tab gets its rows when first shown (setTab), as after a
		// search: its default order is sorted then.
		b.tabs[i] = &tabState{table: newTable(c, b.specs[i].cols), index: i, spec: &b.specs[i], stale: true}
	}
	b.cur().stale = false
	b.cur().rows = cat.base(b.tab)
	// Only the shown tab is measured now; the others when first shown
	// (setTab): measuring all six held back the first frame.
	b.sizeColumns(b.cur())
	return b
}

func (b *browse) kind() viewKind { return viewBrowse }
func (b *browse) editing() bool  { return b.line.active }

func (b *browse) help() keyHelp {
	if b.line.active {
		return b.line.help()
	}
	return b.c.keys.browseHelp(b.filter.on, b.cur().help(), b.bar.help())
}

func (b *browse) cur() *tabState { return b.tabs[b.tab] }

// setTab shows tab i. A tab not shown when the filter changed gets its rows
// now; its best rows, when many records match, are ranked by the returned
// command (rankFirst).
func (b *browse) setTab(i int) tea.Cmd {
	b.tab = ((i % len(b.tabs)) + len(b.tabs)) % len(b.tabs)
	var cmd tea.Cmd
	if t := b.cur(); t.stale {
		cmd = b.rankFirst(t)
		b.refreshRows(t, false)
	} else if t.content == nil {
		b.sizeColumns(t)
	}
	b.prepare()
	return cmd
}

// showRecord selects the tab and row of a record (used by --open so that
// going back lands on it).
func (b *browse) showRecord(r model.Record) {
	for i, t := range b.tabs {
		if !slices.Contains(t.spec.kinds, r.RecordKind()) {
			continue
		}
		if cmd := b.setTab(i); cmd != nil {
			// Start-up (--open) waits for the ranking: the row to select
			// is found among the ranked rows.
			if msg, ok := cmd().(rankedMsg); ok {
				b.applyRanked(msg)
			}
		}
		for j, idx := range t.rows {
			if b.c.ds.Records()[idx] == r {
				t.cursor = j
				break
			}
		}
		t.ensureVisible()
		b.prepare()
		return
	}
}

func (b *browse) setSize(w, h int) {
	b.width, b.height = w, h
	pw := previewWidth(w)
	if b.c.noPreview {
		pw = 0
	}
	b.tableW = w - pw
	// tab bar, header, rows, status line
	b.bodyH = max(h-3, 1)
	b.bar.SetSize(w, 1)
	b.line.SetSize(w, 1)
	b.status.SetSize(w, 1)
	b.preview.SetSize(pw, b.bodyH+1)
	for _, t := range b.tabs {
		t.SetSize(b.tableW, b.bodyH+1)
	}
	b.prepare()
}

// refresh re-renders after the display currency or the marks changed.
func (b *browse) refresh() {
	for _, t := range b.tabs {
		t.invalidate(true)
		t.content = nil // measured again when shown (setTab)
	}
	b.sizeColumns(b.cur())
	b.preview.invalidate()
	b.prepare()
}

// update handles the browser's messages.
func (b *browse) update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case searchResultMsg:
		if msg.seq != b.seq {
			return nil // overtaken by a newer query
		}
		b.filter.set(msg.res, b.c.ds.Len())
		b.filter.ranks, b.filter.seq = map[int]ranking{}, msg.seq
		if msg.tab >= 0 {
			b.filter.ranks[msg.tab] = msg.rank
		}
		b.refreshAllRows()
	case rankedMsg:
		b.applyRanked(msg)
	case indexReadyMsg:
		// prepare, below, redraws the status without the note.
	case indexSlowMsg:
		b.c.indexSlow = true
	case sortedMsg:
		b.applySorted(msg)
	case tea.KeyMsg:
		if b.line.active {
			before := b.lineState()
			cmd = b.updateSearch(msg)
			if cmd == nil && b.line.active && b.lineState() == before {
				// Nothing moved (a key at the length limit, say): the
				// screen is drawn already. A plain paste past the limit is
				// thousands of these.
				return nil
			}
		} else {
			cmd = b.updateKeys(msg)
		}
	case tea.MouseMsg:
		cmd = b.updateMouse(msg)
	}
	if more := b.rankMore(b.cur()); more != nil {
		cmd = tea.Batch(cmd, more)
	}
	b.prepare()
	return cmd
}

func (b *browse) updateKeys(msg tea.KeyMsg) tea.Cmd {
	k := &b.c.keys
	t := b.cur()
	b.note = note{}
	if t.Update(msg) {
		return nil
	}
	if i, ok := b.bar.Update(msg); ok {
		return b.setTab(i)
	}
	switch {
	case key.Matches(msg, k.Open):
		if r, ok := b.selected(); ok {
			id := r.RecordID()
			return func() tea.Msg { return openRecordMsg{id: id} }
		}
	case key.Matches(msg, k.Search):
		return b.openSearch()
	case key.Matches(msg, k.ClearFilter):
		if b.filter.on {
			b.seq++
			b.clearFilter()
		}
	case key.Matches(msg, k.Mark):
		if r, ok := b.selected(); ok {
			b.c.toggleMark(r.RecordID())
			t.move(1)
		}
	case key.Matches(msg, k.ClearMarks):
		b.c.clearMarks()
	case key.Matches(msg, k.Compare):
		return b.compare()
	case key.Matches(msg, k.Sort):
		return b.cycleSort(t)
	case key.Matches(msg, k.Preview):
		if b.width < previewMinWidth {
			b.note = note{text: fmt.Sprintf("the preview needs %d columns; this terminal has %d", previewMinWidth, b.width)}
			return nil
		}
		b.c.noPreview = !b.c.noPreview
		b.setSize(b.width, b.height)
	case key.Matches(msg, k.SortReverse):
		t.desc = !t.desc
		b.refreshRows(t, true)
		t.renderHeader()
	}
	return nil
}

func (b *browse) compare() tea.Cmd {
	n := len(b.c.marks)
	switch {
	case n < 2:
		b.note = note{text: "mark 2 to 4 records with space, then c compares them"}
		return nil
	case n > 4:
		b.note = note{text: fmt.Sprintf("comparing the first 4 of %d marked records", n)}
	}
	return func() tea.Msg { return openCompareMsg{} }
}

func (b *browse) selected() (model.Record, bool) {
	idx, ok := b.cur().selected()
	if !ok {
		return nil, false
	}
	return b.c.ds.Records()[idx], true
}

// refreshRows recomputes a tab's rows from its order and the filter. With
// keep, the cursor stays on the same record when it is still shown;
// otherwise it goes to the top (a new filter shows its best rows first).
func (b *browse) refreshRows(t *tabState, keep bool) {
	f := &b.filter
	sorted := b.order(t)
	o := sorted.rows
	t.match = f.highlight()
	t.stale = false
	defer b.sizeColumns(t)
	if !f.on && !t.desc {
		t.setRows(o, keep)
		return
	}
	// A filter's counts say how many rows there will be: no growing a
	// slice of 400,000 rows by copies after a one-letter search.
	n := len(o)
	if f.on {
		n = min(n, f.count(t.spec.kinds))
	}
	rows := make([]int32, 0, n)
	if top, ok := b.rankedTop(t); ok {
		// The best rows first; their bits are cleared meanwhile so that
		// the pass below skips them, and set again after it.
		rows = append(rows, top.rows...)
		for _, idx := range rows {
			f.matches[idx>>6] &^= 1 << (idx & 63)
		}
		defer func(top []int32) {
			for _, idx := range top {
				f.matches[idx>>6] |= 1 << (idx & 63)
			}
		}(rows)
	}
	if r := b.c.cat.baseRun(t.index); r.ok && t.sortCol < 0 && f.on && !t.desc {
		// A tab in dataset order (o is its base) is one run of records:
		// its rows are the set bits of the run, read a word at a time (a
		// million matches took 7 ms record by record).
		rows = appendBits(rows, f.matches, r.lo, r.hi)
	} else {
		// Reversed, the rows with a value come largest first and the
		// blanks stay last, in their order.
		valued := len(o) - sorted.blanks
		for i := range o {
			idx := o[i]
			if t.desc && i < valued {
				idx = o[valued-1-i]
			}
			if f.on && !f.has(idx) {
				continue
			}
			rows = append(rows, idx)
		}
	}
	t.setRows(rows, keep)
}

// filteredWidthRows is the most rows a filter's columns are sized from:
// a search that found a handful of regions need not make room for the
// longest name of all. A larger result is laid out as the whole tab is
// (the catalog's widths, measured once): measuring it on every keystroke
// cost each SSH session a frame's worth of formatting.
const filteredWidthRows = 128

// sizeColumns lays t's columns out for what it shows: the whole tab's
// widths (the catalog's) without a filter or with a large result, the found
// rows' with a small one. Their cells are formatted into the table's cache,
// where drawing them finds them.
func (b *browse) sizeColumns(t *tabState) {
	if !b.filter.on || len(t.rows) > filteredWidthRows {
		t.setContent(b.c.cat.contentWidths(t.index, b.c.currency))
		return
	}
	widths := make([]int, len(t.cols))
	for _, idx := range t.rows {
		for j, cell := range t.cellsOf(idx) {
			widths[j] = max(widths[j], ansi.StringWidth(cell))
		}
	}
	t.setContent(widths)
}

func (b *browse) refreshAllRows() {
	for i, t := range b.tabs {
		if i == b.tab {
			b.refreshRows(t, false)
		} else {
			t.stale = true
		}
	}
}

func (b *browse) tabCount(i int) int {
	if !b.filter.on {
		return b.c.cat.baseLen(i)
	}
	return b.filter.count(b.specs[i].kinds)
}

func (b *browse) updateMouse(msg tea.MouseMsg) tea.Cmd {
	if msg.Y == 0 && msg.Button == tea.MouseButtonLeft {
		if i, ok := b.bar.Update(msg); ok {
			return b.setTab(i)
		}
		return nil
	}
	// The table's header is the second line.
	msg.Y--
	b.cur().Update(msg)
	return nil
}

// --- rendering ---
