package ui

import (
	"slices"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/dcx-explorer/dcx/model"
	"github.com/dcx-explorer/dcx/search"
)

// A search with words lists each tab's best rows first (search.Result's
// TopOf): the shown tab's in the search's command, another tab's when it is
// first shown, more of them in a command as the view nears their end.

// rankedRows is how many rows a search with words puts first, best first,
// in a tab shown in dataset order: two screens, ranked on each result
// (search.Result.TopOf keeps a heap of that size, never sorts every match).
// Scrolling towards their end ranks twice as many, up to maxRankedRows;
// the rows after them keep the tab's order.
const (
	rankedRows    = 100
	maxRankedRows = 6400
)

// ranking is a tab's best rows under the current search.
type ranking struct {
	rows []int32
	k    int  // the records asked for (zones come along under their regions)
	full bool // k were found: there may be more to rank
}

// rankedTop returns t's best rows under the current search, false when t
// does not list them first or they are being ranked in a command: ranked by
// the search command for the tab shown then, by rankFirst's for a tab shown
// later, else here (few records match), once per result.
func (b *browse) rankedTop(t *tabState) (ranking, bool) {
	if !b.ranked(t) {
		return ranking{}, false
	}
	if r, ok := b.filter.ranks[t.index]; ok {
		return r, true
	}
	if t.rankPending {
		return ranking{}, false
	}
	return b.rank(t, rankedRows), true
}

// rankFirst ranks in a command the best rows of t, shown for the first time
// under the current search, when so many records match that ranking them
// would hold up the key press (up to 10 ms at a million records). Meanwhile
// the tab lists its matches in its order; the rankedMsg puts the best
// first. Few matches are ranked at once by rankedTop: no reordering to see.
func (b *browse) rankFirst(t *tabState) tea.Cmd {
	if !b.ranked(t) || t.rankPending || b.filter.count(t.spec.kinds) < b.c.cat.limits.asyncRankMin {
		return nil
	}
	if _, ok := b.filter.ranks[t.index]; ok {
		return nil
	}
	t.rankPending = true
	seq, tab, kinds, ds, res := b.filter.seq, t.index, t.spec.kinds, b.c.ds, b.filter.result
	set := slices.Clone(b.filter.matches) // the filter's bits change under later results
	return func() tea.Msg {
		return rankedMsg{seq: seq, tab: tab, rank: rankTab(ds, res, set, kinds, rankedRows)}
	}
}

// rank ranks t's k best records and remembers them.
func (b *browse) rank(t *tabState, k int) ranking {
	r := rankTab(b.c.ds, b.filter.result, b.filter.matches, t.spec.kinds, k)
	if b.filter.ranks == nil {
		b.filter.ranks = map[int]ranking{}
	}
	b.filter.ranks[t.index] = r
	return r
}

// rankMore ranks further when the view nears the end of t's ranked rows,
// so that scrolling through a search's results stays best first. It ranks
// in a command (at a million records, the best 6,400 of 700,000 matches
// take up to a tenth of a second): two screens ahead, the rows are usually
// ranked before the view gets there. The rows already ranked keep their
// places (the best 2k begin with the best k).
func (b *browse) rankMore(t *tabState) tea.Cmd {
	if !b.ranked(t) || t.rankPending {
		return nil
	}
	r, ok := b.filter.ranks[t.index]
	if !ok || !r.full || r.k >= maxRankedRows || t.offset+2*t.bodyH < len(r.rows) {
		return nil
	}
	k := 2 * r.k
	for k < maxRankedRows && k <= t.offset+2*t.bodyH {
		k *= 2
	}
	k = min(k, maxRankedRows)
	t.rankPending = true
	seq, tab, kinds, ds, res := b.filter.seq, t.index, t.spec.kinds, b.c.ds, b.filter.result
	set := slices.Clone(b.filter.matches) // the filter's bits change under later results
	return func() tea.Msg {
		return rankedMsg{seq: seq, tab: tab, rank: rankTab(ds, res, set, kinds, k)}
	}
}

// rankedMsg carries more of a tab's best rows (rankMore) for the result
// the filter had as seq.
type rankedMsg struct {
	seq  uint64
	tab  int
	rank ranking
}

func (b *browse) applyRanked(msg rankedMsg) {
	if msg.tab < 0 || msg.tab >= len(b.tabs) {
		return
	}
	t := b.tabs[msg.tab]
	t.rankPending = false
	if msg.seq != b.filter.seq || !b.ranked(t) {
		return
	}
	if r, ok := b.filter.ranks[msg.tab]; ok && r.k >= msg.rank.k {
		return
	}
	b.filter.ranks[msg.tab] = msg.rank
	if t != b.cur() {
		t.stale = true
		return
	}
	cur, off := t.cursor, t.offset
	b.refreshRows(t, false)
	t.cursor, t.offset = cur, off
	t.ensureVisible()
}

// rankTab returns the best k records of a tab of kinds under res, whose
// matches are set (a bit per record, as the app keeps them) or, when set is
// nil, res's own (in the search's command): its bits when it kept them so,
// else its short list. A region's zones are listed
// under it, not ranked on their own: the tab ranks its regions and follows
// each with its matching zones, so that a zone never lands under another
// provider's region. It only reads its arguments, so it may run in a
// command.
func rankTab(ds *model.Dataset, res search.Result, set []uint64, kinds []model.Kind, k int) ranking {
	if set == nil {
		set = res.Set()
	}
	top := func(k int, kinds ...model.Kind) []int32 { return res.TopOf(k, kinds...) }
	matched := func(i int32) bool {
		_, ok := slices.BinarySearch(res.Matches(), i)
		return ok
	}
	if set != nil {
		top = func(k int, kinds ...model.Kind) []int32 { return res.TopOfSet(set, k, kinds...) }
		matched = func(i int32) bool { return set[i>>6]&(1<<(i&63)) != 0 }
	}
	if !slices.Contains(kinds, model.KindZone) {
		rows := top(k, kinds...)
		return ranking{rows: rows, k: k, full: len(rows) == k}
	}
	parents := slices.DeleteFunc(slices.Clone(kinds), func(k model.Kind) bool { return k == model.KindZone })
	best := top(k, parents...)
	var rows []int32
	for _, idx := range best {
		rows = append(rows, idx)
		r, ok := ds.Records()[idx].(*model.Region)
		if !ok {
			continue
		}
		for _, z := range r.ZoneIDs {
			if zi, ok := ds.Index(model.ZoneID(r.ID, z)); ok && matched(zi) {
				rows = append(rows, zi)
			}
		}
	}
	return ranking{rows: rows, k: k, full: len(best) == k}
}

// ranked reports whether t lists the current search's best rows first.
func (b *browse) ranked(t *tabState) bool {
	return b.filter.on && t.sortCol < 0 && !t.desc && b.filter.result.Ranked()
}
