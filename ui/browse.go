package ui

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
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
// (search.StartEngine): the "indexing" notes can go.
type indexReadyMsg struct{}

// waitIndex returns a command that reports when the engine is ready, or nil
// when it already is.
func waitIndex(e *search.Engine) tea.Cmd {
	if e.Ready() {
		return nil
	}
	return func() tea.Msg {
		e.Wait()
		return indexReadyMsg{}
	}
}

// The wide layout shows a preview of the selected record beside the table.
const previewMinWidth = 110

// cacheLimit bounds the per-tab caches of formatted rows: they only ever hold
// rows that were on screen, but a long scroll through a million records
// should not keep them all.
const cacheLimit = 4096

// tabState is one tab's table: its rows, cursor, sort and caches.
type tabState struct {
	spec *tabSpec
	// index is the tab's position; base is its records (indices into
	// Dataset.Records) in dataset order, shared by every session (tables).
	index int
	base  []int32
	// sortCol is the sorted column, -1 for dataset order.
	sortCol int
	desc    bool
	// sorting is set while the order by pendingCol is computed in a
	// command (see cycleSort).
	sorting    bool
	pendingCol int
	// rows is what the table shows: base, sorted, filtered.
	rows  []int32
	stale bool
	// rankPending is set while more of the tab's best rows are ranked in a
	// command (rankMore).
	rankPending bool

	cursor, offset int

	widths []int
	header string
	// cells caches formatted cell texts per record; lines caches the fitted,
	// highlighted row text of records not under the cursor.
	cells map[int32][]string
	lines map[int32]string
}

// savedFilter is the filter before the search line opened: esc restores it.
type savedFilter struct {
	query     search.Query
	on        bool
	matches   []uint64
	counts    map[model.Kind]int
	result    search.Result
	ranks     map[int]ranking
	resultSeq uint64
}

// browse is the start view: tabs, a table per tab, the search line, a
// status line and, on wide terminals, a preview.
type browse struct {
	c        *common
	specs    []tabSpec
	tab      int
	tabs     []*tabState
	tables   *tables // shared with every session over the dataset
	searcher *search.Searcher

	// The filter applies to every tab: matches is a bitset over
	// Dataset.Records.
	query    search.Query
	filterOn bool
	matches  []uint64
	counts   map[model.Kind]int
	// result is the search behind the filter, for its ranking (ranked);
	// ranks holds the best rows of the tabs ranked so far (rankTab);
	// resultSeq is the seq of the search result behind them.
	result    search.Result
	ranks     map[int]ranking
	resultSeq uint64
	seq       uint64

	searching bool
	input     textinput.Model
	saved     savedFilter
	message   string // a short note or error for the status line
	isError   bool

	width, height int
	tableW        int
	bodyH         int
	previewW      int
	tabBar        string
	tabHits       [][2]int
	status        string

	previewID    string
	previewStale bool
	previewLines []string
}

func newBrowse(c *common, s *search.Searcher) *browse {
	b := &browse{c: c, specs: tabSpecs(), searcher: s}
	ti := textinput.New()
	ti.Prompt = "/ "
	ti.PromptStyle = c.styles.Prompt
	ti.TextStyle = c.styles.App
	ti.PlaceholderStyle = c.styles.Dim
	ti.CompletionStyle = c.styles.Dim
	ti.Placeholder = "text, country:KR, mw>=100, kind:facility …"
	ti.Cursor.Style = c.styles.Cursor
	ti.Cursor.TextStyle = c.styles.App
	// A static cursor: a blinking one redraws the screen twice a second for
	// every SSH session, for nothing.
	ti.Cursor.SetMode(cursor.CursorStatic)
	ti.CharLimit = maxQueryLen
	b.input = ti

	b.tables = tablesFor(c, b.specs)
	b.tabs = make([]*tabState, len(b.specs))
	for i := range b.specs {
		b.tabs[i] = &tabState{index: i, spec: &b.specs[i], sortCol: -1, base: b.tables.bases[i],
			cells: map[int32][]string{}, lines: map[int32]string{}}
	}
	for _, t := range b.tabs {
		t.rows = t.base
	}
	return b
}

func (b *browse) kind() viewKind { return viewBrowse }

func (b *browse) help() keyHelp {
	if b.searching {
		return b.c.keys.searchHelp()
	}
	return b.c.keys.browseHelp(b.filterOn)
}

func (b *browse) cur() *tabState { return b.tabs[b.tab] }

func (b *browse) setTab(i int) {
	b.tab = ((i % len(b.tabs)) + len(b.tabs)) % len(b.tabs)
	if t := b.cur(); t.stale {
		b.refreshRows(t, false)
	}
	b.prepare()
}

// showRecord selects the tab and row of a record (used by --open so that
// going back lands on it).
func (b *browse) showRecord(r model.Record) {
	for i, t := range b.tabs {
		for _, k := range t.spec.kinds {
			if k != r.RecordKind() {
				continue
			}
			b.setTab(i)
			for j, idx := range t.rows {
				if b.c.ds.Records()[idx] == r {
					t.cursor = j
					break
				}
			}
			b.ensureVisible(t)
			b.prepare()
			return
		}
	}
}

func (b *browse) setSize(w, h int) {
	b.width, b.height = w, h
	b.previewW = 0
	if w >= previewMinWidth {
		b.previewW = clampInt(w/3, 36, 60)
	}
	b.tableW = w - b.previewW
	// tab bar, header, rows, status line
	b.bodyH = max(h-3, 1)
	// The rest of the search line holds the match counts or an error.
	b.input.Width = max(w-ansi.StringWidth(b.input.Prompt)-46, 10)
	for _, t := range b.tabs {
		b.layoutTab(t)
	}
	b.previewStale = true
	b.prepare()
}

// refresh re-renders after the display currency or the marks changed.
func (b *browse) refresh() {
	for _, t := range b.tabs {
		for _, col := range t.spec.cols {
			if col.money {
				clear(t.cells)
				break
			}
		}
		clear(t.lines)
	}
	b.previewStale = true
	b.prepare()
}

func (b *browse) layoutTab(t *tabState) {
	t.widths = layoutColumns(t.spec.cols, b.tableW-2)
	clear(t.lines)
	b.renderHeader(t)
	b.ensureVisible(t)
}

func (b *browse) renderHeader(t *tabState) {
	var sb strings.Builder
	sb.WriteString("  ")
	first := true
	for i, col := range t.spec.cols {
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
	t.header = b.c.styles.pHeader.wrap(fit(sb.String(), b.tableW))
}

// update handles the browser's messages.
func (b *browse) update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case searchResultMsg:
		if msg.seq != b.seq {
			return nil // overtaken by a newer query
		}
		b.ranks, b.resultSeq = map[int]ranking{}, msg.seq
		if msg.tab >= 0 {
			b.ranks[msg.tab] = msg.rank
		}
		b.applyResult(msg.res)
	case rankedMsg:
		b.applyRanked(msg)
	case indexReadyMsg:
		// prepare, below, redraws the status without the note.
	case sortedMsg:
		b.applySorted(msg)
	case tea.KeyMsg:
		if b.searching {
			before := b.lineState()
			cmd = b.updateSearch(msg)
			if cmd == nil && b.searching && b.lineState() == before {
				// Nothing moved (a key at the length limit, say): the
				// screen is drawn already. A plain paste past the limit is
				// thousands of these.
				return nil
			}
		} else {
			cmd = b.updateKeys(msg)
		}
	case tea.MouseMsg:
		b.updateMouse(msg)
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
	b.message, b.isError = "", false
	switch {
	case key.Matches(msg, k.Up):
		b.move(t, -1)
	case key.Matches(msg, k.Down):
		b.move(t, 1)
	case key.Matches(msg, k.Top):
		b.move(t, -len(t.rows))
	case key.Matches(msg, k.Bottom):
		b.move(t, len(t.rows))
	case key.Matches(msg, k.PageUp):
		b.move(t, -b.bodyH)
	case key.Matches(msg, k.PageDown):
		b.move(t, b.bodyH)
	case key.Matches(msg, k.NextTab):
		b.setTab(b.tab + 1)
	case key.Matches(msg, k.PrevTab):
		b.setTab(b.tab - 1)
	case key.Matches(msg, k.GotoTab):
		b.setTab(int(msg.String()[0] - '1'))
	case key.Matches(msg, k.Open):
		if r, ok := b.selected(); ok {
			id := r.RecordID()
			return func() tea.Msg { return openRecordMsg{id: id} }
		}
	case key.Matches(msg, k.Search):
		return b.openSearch()
	case key.Matches(msg, k.ClearFilter):
		if b.filterOn {
			b.seq++
			b.clearFilter()
		}
	case key.Matches(msg, k.Mark):
		if r, ok := b.selected(); ok {
			b.c.toggleMark(r.RecordID())
			b.move(t, 1)
		}
	case key.Matches(msg, k.ClearMarks):
		b.c.clearMarks()
	case key.Matches(msg, k.Compare):
		return b.compare()
	case key.Matches(msg, k.Sort):
		return b.cycleSort(t)
	case key.Matches(msg, k.SortReverse):
		t.desc = !t.desc
		b.refreshRows(t, true)
		b.renderHeader(t)
	}
	return nil
}

func (b *browse) compare() tea.Cmd {
	n := len(b.c.marks)
	switch {
	case n < 2:
		b.message = "mark 2 to 4 records with space, then c compares them"
		return nil
	case n > 4:
		b.message = fmt.Sprintf("comparing the first 4 of %d marked records", n)
	}
	return func() tea.Msg { return openCompareMsg{} }
}

func (b *browse) move(t *tabState, d int) {
	t.cursor = clampInt(t.cursor+d, 0, len(t.rows)-1)
	b.ensureVisible(t)
}

func (b *browse) ensureVisible(t *tabState) {
	t.cursor = clampInt(t.cursor, 0, len(t.rows)-1)
	if t.cursor < t.offset {
		t.offset = t.cursor
	}
	if t.cursor >= t.offset+b.bodyH {
		t.offset = t.cursor - b.bodyH + 1
	}
	t.offset = clampInt(t.offset, 0, max(len(t.rows)-b.bodyH, 0))
}

func (b *browse) selected() (model.Record, bool) {
	t := b.cur()
	if t.cursor < 0 || t.cursor >= len(t.rows) {
		return nil, false
	}
	return b.c.ds.Records()[t.rows[t.cursor]], true
}

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
	if _, done := b.tables.order(t.index, next); next >= 0 && !done && len(t.base) >= asyncSortMin {
		t.sorting, t.pendingCol = true, next
		tab := t.index
		c, col, base := b.c, t.spec.cols[next], t.base
		return func() tea.Msg { return sortedMsg{tab: tab, col: next, order: sortOrder(c, col, base)} }
	}
	t.sorting = false
	t.sortCol = next
	b.refreshRows(t, true)
	b.renderHeader(t)
	return nil
}

// asyncSortMin is the number of rows from which a tab sorts in the
// background (a variable so that tests can lower it).
var asyncSortMin = 50_000

// sortedMsg carries a tab's order by one column, computed in a command.
type sortedMsg struct {
	tab, col int
	order    []int32
}

func (b *browse) applySorted(msg sortedMsg) {
	if msg.tab < 0 || msg.tab >= len(b.tabs) {
		return
	}
	t := b.tabs[msg.tab]
	b.tables.setOrder(msg.tab, msg.col, msg.order)
	if t.sorting && t.pendingCol == msg.col {
		t.sorting = false
		t.sortCol = msg.col
		b.refreshRows(t, true)
		b.renderHeader(t)
	}
}

// order returns the tab's records in the current sort, ascending. The sorted
// permutation is computed once per column; filtering then only walks it.
func (b *browse) order(t *tabState) []int32 {
	if t.sortCol < 0 {
		return t.base
	}
	if o, ok := b.tables.order(t.index, t.sortCol); ok {
		return o
	}
	o := sortOrder(b.c, t.spec.cols[t.sortCol], t.base)
	b.tables.setOrder(t.index, t.sortCol, o)
	return o
}

// sortOrder sorts base by col. It only reads the dataset (no view state),
// so it may run in a command.
//
// Keys are computed once per row, on both cores for a large tab, and sorted
// with the row's position as the last criterion: an unstable sort with a
// total order gives the stable order, in O(n log n). sort.SliceStable's
// merges took a second for the 427,000 announcements of a million-record
// file.
func sortOrder(c *common, col column, base []int32) []int32 {
	return sortOrderBy(c, col, base, false)
}

// sortOrderBy is sortOrder, largest first when desc; blanks come last either
// way and ties keep their base order (a tab's default order).
func sortOrderBy(c *common, col column, base []int32, desc bool) []int32 {
	recs := c.ds.Records()
	keys := make([]posKey, len(base))
	fill := func(lo, hi int) {
		for i := lo; i < hi; i++ {
			k := col.key(c, recs[base[i]])
			keys[i] = posKey{k: k, pre: prefix(k.s), pos: int32(i)}
		}
	}
	if n := len(keys); n >= 1<<15 {
		done := make(chan struct{})
		go func() {
			defer close(done)
			fill(n/2, n)
		}()
		fill(0, n/2)
		<-done
	} else {
		fill(0, len(keys))
	}
	if desc {
		slices.SortFunc(keys, comparePosDesc)
	} else {
		slices.SortFunc(keys, comparePos)
	}
	o := make([]int32, len(keys))
	for i, k := range keys {
		o[i] = base[k.pos]
	}
	return o
}

// posKey is a row's sort key and its position in the tab's base order.
// pre holds the key text's first eight bytes as a number: most comparisons
// of a sort end there, without reading the strings (a cache miss each).
type posKey struct {
	k   sortKey
	pre uint64
	pos int32
}

func prefix(s string) uint64 {
	var b [8]byte
	copy(b[:], s)
	return binary.BigEndian.Uint64(b[:])
}

// comparePos is compareKeys, then the position.
func comparePos(a, b posKey) int {
	if !a.k.num {
		if ae, be := a.k.s == "", b.k.s == ""; ae != be {
			if ae {
				return 1
			}
			return -1
		}
		if a.pre != b.pre {
			return cmp.Compare(a.pre, b.pre)
		}
	}
	if c := compareKeys(a.k, b.k); c != 0 {
		return c
	}
	return cmp.Compare(a.pos, b.pos)
}

// comparePosDesc orders keys largest first, blanks (NaN, empty) last, then
// by position.
func comparePosDesc(a, b posKey) int {
	if ab, bb := blankKey(a.k), blankKey(b.k); ab || bb {
		switch {
		case ab == bb:
			return cmp.Compare(a.pos, b.pos)
		case ab:
			return 1
		}
		return -1
	}
	if c := compareKeys(b.k, a.k); c != 0 {
		return c
	}
	return cmp.Compare(a.pos, b.pos)
}

// refreshRows recomputes a tab's rows from its order and the filter. With
// keep, the cursor stays on the same record when it is still shown;
// otherwise it goes to the top (a new filter shows its best rows first).
func (b *browse) refreshRows(t *tabState, keep bool) {
	var curIdx int32 = -1
	if keep && t.cursor >= 0 && t.cursor < len(t.rows) {
		curIdx = t.rows[t.cursor]
	}
	o := b.order(t)
	if !b.filterOn && !t.desc {
		t.rows = o
	} else {
		// A filter's counts say how many rows there will be: no growing a
		// slice of 400,000 rows by copies after a one-letter search.
		n := len(o)
		if b.filterOn {
			matched := 0
			for _, k := range t.spec.kinds {
				matched += b.counts[k]
			}
			n = min(n, matched)
		}
		rows := make([]int32, 0, n)
		if b.ranked(t) {
			// The best rows first; their bits are cleared meanwhile so that
			// the pass below skips them, and set again after it.
			rows = append(rows, b.rankedTop(t).rows...)
			for _, idx := range rows {
				b.matches[idx>>6] &^= 1 << (idx & 63)
			}
			defer func(top []int32) {
				for _, idx := range top {
					b.matches[idx>>6] |= 1 << (idx & 63)
				}
			}(rows)
		}
		if r := b.tables.runs[t.index]; r.ok && t.sortCol < 0 && b.filterOn && !t.desc {
			// A tab in dataset order (o is its base) is one run of
			// records: its rows are the set bits of the run, read a word
			// at a time (a million matches took 7 ms record by record).
			rows = appendBits(rows, b.matches, r.lo, r.hi)
		} else {
			for i := range o {
				idx := o[i]
				if t.desc {
					idx = o[len(o)-1-i]
				}
				if b.filterOn && b.matches[idx>>6]&(1<<(idx&63)) == 0 {
					continue
				}
				rows = append(rows, idx)
			}
		}
		t.rows = rows
	}
	t.stale = false
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
	b.ensureVisible(t)
	// Keep the cursor row away from the bottom edge after a jump.
	if t.cursor >= b.bodyH/2 && t.offset > 0 {
		t.offset = clampInt(t.cursor-b.bodyH/2, 0, max(len(t.rows)-b.bodyH, 0))
	}
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

// --- search ---

func (b *browse) openSearch() tea.Cmd {
	b.searching = true
	b.saved = savedFilter{query: b.query, on: b.filterOn, counts: b.counts, result: b.result, ranks: b.ranks, resultSeq: b.resultSeq}
	if b.filterOn {
		b.saved.matches = append([]uint64(nil), b.matches...)
	}
	b.input.SetValue(b.query.Raw)
	b.input.CursorEnd()
	return b.input.Focus()
}

func (b *browse) updateSearch(msg tea.KeyMsg) tea.Cmd {
	k := &b.c.keys
	t := b.cur()
	switch {
	case key.Matches(msg, k.SearchApply):
		b.searching = false
		b.input.Blur()
		if b.isError {
			b.message = "the filter has an error; kept the previous one"
		}
		return nil
	case key.Matches(msg, k.SearchCancel):
		b.searching = false
		b.input.Blur()
		b.seq++ // a result still in flight must not land after the cancel
		b.message, b.isError = "", false
		s := b.saved
		b.query, b.filterOn, b.counts, b.result = s.query, s.on, s.counts, s.result
		b.ranks, b.resultSeq = s.ranks, s.resultSeq
		if s.on {
			b.matches = s.matches
		}
		b.refreshAllRows()
		return nil
	case msg.Type == tea.KeyUp || msg.Type == tea.KeyDown:
		// Arrows move the selection while typing, as in fzf.
		if msg.Type == tea.KeyUp {
			b.move(t, -1)
		} else {
			b.move(t, 1)
		}
		return nil
	case msg.Type == tea.KeyTab || msg.Type == tea.KeyShiftTab:
		return nil
	}
	if inserts(msg) {
		// The search line echoes what is typed: pasted bidi controls or
		// zero-width characters would reorder it or break its width.
		if msg.Runes = []rune(clean(string(msg.Runes))); len(msg.Runes) == 0 {
			return nil
		}
	}
	before := b.input.Value()
	cut := inserts(msg) && utf8.RuneCountInString(before)+len(msg.Runes) > maxQueryLen
	if cut && utf8.RuneCountInString(before) >= maxQueryLen {
		b.tooLong() // full: nothing to insert
		return nil
	}
	var cmd tea.Cmd
	b.input, cmd = b.input.Update(msg)
	if b.input.Value() != before {
		cmd = tea.Batch(cmd, b.search(b.input.Value()))
	}
	if cut {
		b.tooLong()
	}
	return cmd
}

// searchLine is what a key on the search line can change without a command.
type searchLine struct {
	value, message        string
	isError               bool
	pos, tab, cur, offset int
}

func (b *browse) lineState() searchLine {
	t := b.cur()
	return searchLine{value: b.input.Value(), message: b.message, isError: b.isError,
		pos: b.input.Position(), tab: b.tab, cur: t.cursor, offset: t.offset}
}

// maxQueryLen bounds the search line, in characters: every keystroke parses
// the whole query and searches for it, so an unbounded line (a 10 KB paste)
// made each keystroke dearer than the last.
const maxQueryLen = 512

// inserts says whether a key types text into the search line.
func inserts(msg tea.KeyMsg) bool {
	return msg.Type == tea.KeyRunes || msg.Type == tea.KeySpace
}

// tooLong says on the search line that typed text was dropped at the limit.
func (b *browse) tooLong() {
	note := fmt.Sprintf("the search line holds %d characters; the rest was dropped", maxQueryLen)
	if b.isError && b.message != "" {
		b.message += "; " + note
		return
	}
	b.message = note
}

// search parses the query at once (to report errors while typing) and runs
// it in a command; the result comes back as a searchResultMsg.
func (b *browse) search(text string) tea.Cmd {
	b.seq++
	q, err := search.ParseQuery(text)
	if err != nil {
		b.message, b.isError = "invalid filter: "+queryErrorText(err), true
		return nil
	}
	b.message, b.isError = "", false
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
	b.ranks, b.resultSeq = map[int]ranking{}, b.seq
	b.applyResult(b.searcher.Search(b.seq, q))
	b.prepare()
}

func (b *browse) applyResult(res search.Result) {
	n := b.c.ds.Len()
	words := (n + 63) / 64
	// The saved filter holds its own copy (openSearch), so this bitset
	// can be reused.
	if len(b.matches) != words {
		b.matches = make([]uint64, words)
	} else {
		clear(b.matches)
	}
	if set := res.Set(); len(set) == words {
		copy(b.matches, set)
	} else {
		for _, i := range res.Matches() {
			if i >= 0 && int(i) < n {
				b.matches[i>>6] |= 1 << (i & 63)
			}
		}
	}
	// The result is kept to rank tabs later: a result with many matches
	// never lists them (search.Result.Matches), and a short list costs little.
	b.query, b.filterOn, b.counts, b.result = res.Query, true, res.Counts, res
	b.refreshAllRows()
}

func (b *browse) clearFilter() {
	b.query, b.filterOn, b.counts, b.result = search.Query{}, false, nil, search.Result{}
	b.refreshAllRows()
}

// appendBits appends to rows the indices in [lo, hi) whose bit is set.
func appendBits(rows []int32, set []uint64, lo, hi int32) []int32 {
	for w := lo >> 6; w <= (hi-1)>>6; w++ {
		word := set[w]
		if first := w << 6; first < lo {
			word &^= 1<<(lo-first) - 1
		}
		if last := w<<6 + 64; last > hi {
			word &= 1<<(64-(last-hi)) - 1
		}
		for word != 0 {
			rows = append(rows, w<<6+int32(bits.TrailingZeros64(word)))
			word &= word - 1
		}
	}
	return rows
}

func (b *browse) tabCount(i int) int {
	if !b.filterOn {
		return len(b.tabs[i].base)
	}
	n := 0
	for _, k := range b.specs[i].kinds {
		n += b.counts[k]
	}
	return n
}

// --- mouse ---

func (b *browse) updateMouse(msg tea.MouseMsg) {
	t := b.cur()
	switch {
	case msg.Button == tea.MouseButtonWheelUp:
		b.scroll(t, -3)
	case msg.Button == tea.MouseButtonWheelDown:
		b.scroll(t, 3)
	case msg.Button == tea.MouseButtonLeft && msg.Action == tea.MouseActionPress:
		if msg.Y == 0 {
			for i, hit := range b.tabHits {
				if msg.X >= hit[0] && msg.X < hit[1] {
					b.setTab(i)
					return
				}
			}
			return
		}
		row := msg.Y - 2
		if msg.X < b.tableW && row >= 0 && row < b.bodyH && t.offset+row < len(t.rows) {
			t.cursor = t.offset + row
		}
	}
}

// scroll moves the view, dragging the cursor along only when it would leave
// the screen.
func (b *browse) scroll(t *tabState, d int) {
	t.offset = clampInt(t.offset+d, 0, max(len(t.rows)-b.bodyH, 0))
	t.cursor = clampInt(t.cursor, t.offset, t.offset+b.bodyH-1)
	t.cursor = clampInt(t.cursor, 0, len(t.rows)-1)
}

// --- rendering ---

// prepare formats what the next frame shows (visible rows, tab bar, status,
// preview), so that View only assembles strings.
func (b *browse) prepare() {
	t := b.cur()
	b.renderTabBar()
	end := min(t.offset+b.bodyH, len(t.rows))
	if len(t.lines) > cacheLimit {
		clear(t.lines)
	}
	if len(t.cells) > cacheLimit {
		clear(t.cells)
	}
	for i := t.offset; i < end; i++ {
		idx := t.rows[i]
		if _, ok := t.lines[idx]; !ok {
			t.lines[idx] = b.renderRow(t, idx, paint{})
		}
	}
	b.renderStatus()
	b.renderPreview()
}

func (b *browse) cellsOf(t *tabState, idx int32) []string {
	if cs, ok := t.cells[idx]; ok {
		return cs
	}
	r := b.c.ds.Records()[idx]
	cs := make([]string, len(t.spec.cols))
	for i, col := range t.spec.cols {
		cs[i] = col.cell(b.c, r)
	}
	t.cells[idx] = cs
	return cs
}

// renderRow fits a record's cells to the column widths, highlighting search
// matches; base is the row's own style, re-opened after each highlight.
func (b *browse) renderRow(t *tabState, idx int32, base paint) string {
	cs := b.cellsOf(t, idx)
	var sb strings.Builder
	first := true
	used := 0
	for i, col := range t.spec.cols {
		w := t.widths[i]
		if w == 0 {
			continue
		}
		if !first {
			sb.WriteString("  ")
			used += 2
		}
		first = false
		s := cs[i]
		if col.right {
			sb.WriteString(fitRight(s, w))
		} else if col.text && b.filterOn && b.c.styles.pMatch.open != "" {
			sb.WriteString(fit(highlight(s, b.query.Highlight(s), b.c.styles.pMatch, base), w))
		} else {
			sb.WriteString(fit(s, w))
		}
		used += w
	}
	if rest := b.tableW - 2 - used; rest > 0 {
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

func (b *browse) renderTabBar() {
	s := b.c.styles
	labels := make([]string, len(b.specs))
	build := func(level int) int {
		total := 3 // "dcx"
		for i, sp := range b.specs {
			name := [...]string{sp.name, sp.medium, sp.short}[level]
			labels[i] = fmt.Sprintf("%s %s", name, fmtInt(b.tabCount(i)))
			total += ansi.StringWidth(labels[i]) + 3
		}
		return total
	}
	for level := 0; level < 3 && build(level) > b.width; level++ {
	}
	var sb strings.Builder
	sb.WriteString(s.Title.Render("dcx"))
	x := 3
	b.tabHits = b.tabHits[:0]
	for i, l := range labels {
		sb.WriteString(" ")
		x++
		w := ansi.StringWidth(l) + 2
		if i == b.tab {
			sb.WriteString(s.TabActive.Render("[" + l + "]"))
		} else {
			sb.WriteString(s.TabPassive.Render(" " + l + " "))
		}
		b.tabHits = append(b.tabHits, [2]int{x, x + w})
		x += w
	}
	b.tabBar = clip(sb.String(), b.width)
}

func (b *browse) renderStatus() {
	s := b.c.styles
	t := b.cur()
	var parts []string
	pos := "no rows"
	if b.filterOn {
		pos = "0 matches"
	}
	if len(t.rows) > 0 {
		pos = fmt.Sprintf("%s of %s", fmtInt(t.cursor+1), fmtInt(len(t.rows)))
	}
	if b.filterOn {
		pos += fmt.Sprintf(" (filter %q · %s in tab)", b.query.Raw, fmtInt(len(t.base)))
	}
	parts = append(parts, s.StatusKey.Render(t.spec.name)+" "+pos)
	if t.sortCol >= 0 {
		dir := "↑"
		if t.desc {
			dir = "↓"
		}
		parts = append(parts, "sort "+t.spec.cols[t.sortCol].title+" "+dir)
	} else if b.ranked(t) {
		parts = append(parts, "best first")
	} else if t.desc {
		parts = append(parts, "reversed")
	}
	if n := len(b.c.marks); n > 0 {
		parts = append(parts, s.Mark.Render(fmt.Sprintf("● %d marked", n)))
	}
	parts = append(parts, "currency "+b.c.currencyLabel())
	if t.sorting {
		parts = append(parts, s.Dim.Render("sorting by "+t.spec.cols[t.pendingCol].title+"…"))
	}
	if !b.c.engine.Ready() {
		parts = append(parts, s.Dim.Render("indexing for search…"))
	}
	line := strings.Join(parts, s.Dim.Render(" · "))
	if b.message != "" {
		st := s.Dim
		if b.isError {
			st = s.Error
		}
		line = st.Render(b.message) + s.Dim.Render(" · ") + line
	}
	b.status = clip(line, b.width)
}

func (b *browse) renderPreview() {
	if b.previewW == 0 {
		b.previewLines = nil
		return
	}
	r, ok := b.selected()
	id := ""
	if ok {
		id = r.RecordID()
	}
	if id == b.previewID && !b.previewStale && b.previewLines != nil {
		return
	}
	b.previewID, b.previewStale = id, false
	inner := b.previewW - 3
	var lines []string
	if ok {
		lines = strings.Split(renderFields(b.c, r, inner, true), "\n")
	}
	lines = padLines(lines, b.bodyH+1)
	bar := b.c.styles.pDim.wrap("│")
	for i, l := range lines {
		lines[i] = " " + bar + " " + fit(l, inner)
	}
	b.previewLines = lines
}

// view assembles the frame from what prepare rendered.
func (b *browse) view() string {
	t := b.cur()
	s := &b.c.styles
	out := make([]string, 0, b.height)
	out = append(out, b.tabBar)
	header := t.header
	if b.previewW > 0 {
		header += b.previewLines[0]
	}
	out = append(out, header)
	end := min(t.offset+b.bodyH, len(t.rows))
	for i := t.offset; i < t.offset+b.bodyH; i++ {
		var line string
		switch {
		case i < end:
			idx := t.rows[i]
			marked := b.c.markSet[b.c.ds.Records()[idx].RecordID()]
			if i == t.cursor {
				line = s.pCursor.open + "›" + b.markGlyph(marked, s.pCursor) + b.renderRow(t, idx, s.pCursor) + s.pCursor.close
			} else {
				body, ok := t.lines[idx]
				if !ok {
					body = b.renderRow(t, idx, paint{})
				}
				line = " " + b.markGlyph(marked, paint{}) + body
			}
		case i-t.offset < 2 && len(t.rows) == 0:
			line = b.emptyMessage(i - t.offset)
		default:
			line = fit("", b.tableW)
		}
		if b.previewW > 0 {
			line += b.previewLines[i-t.offset+1]
		}
		out = append(out, line)
	}
	if b.searching {
		count := ""
		if b.filterOn {
			total := 0
			for i := range b.specs {
				total += b.tabCount(i)
			}
			count = s.Dim.Render(fmt.Sprintf(" %s here, %s in all tabs", fmtInt(b.tabCount(b.tab)), fmtInt(total)))
		}
		if !b.c.engine.Ready() {
			// The search waits for the engine; say why nothing moves yet.
			count = s.Dim.Render(fmt.Sprintf(" indexing %s records…", fmtInt(b.c.engine.Len())))
		}
		if b.message != "" {
			count = " " + s.Error.Render(b.message)
		}
		line := b.input.View() + count
		out = append(out, clip(line, b.width))
	} else {
		out = append(out, b.status)
	}
	return strings.Join(out, "\n")
}

func (b *browse) markGlyph(marked bool, base paint) string {
	if !marked {
		return " "
	}
	return b.c.styles.pMark.open + "●" + b.c.styles.pMark.close + base.open
}

// emptyMessage is line n of what an empty table says: why, and what to do.
func (b *browse) emptyMessage(n int) string {
	t := b.cur()
	if !b.filterOn {
		if n > 0 {
			return fit("", b.tableW)
		}
		return fit("  No "+strings.ToLower(t.spec.name)+" in this dataset.", b.tableW)
	}
	if n == 0 {
		return fit(fmt.Sprintf("  No %s match %q.", strings.ToLower(t.spec.name), b.query.Raw), b.tableW)
	}
	var hints []string
	for i := range b.specs {
		if c := b.tabCount(i); c > 0 && i != b.tab {
			hints = append(hints, fmt.Sprintf("%s has %d (press %d)", b.specs[i].name, c, i+1))
		}
	}
	hints = append(hints, "esc clears the filter")
	return b.c.styles.pDim.wrap(fit("  "+strings.Join(hints, " · "), b.tableW))
}
