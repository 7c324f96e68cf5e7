package search

import (
	"bytes"
	"container/heap"
	"math"
	"math/bits"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/dcx-explorer/dcx/model"
)

// Ranking is done only for what is shown: Top(k) keeps a k-sized heap per
// core over the matches instead of sorting them all. The score looks at the
// record's title only (the first field of its search text, tens of bytes),
// so it is cheap enough to compute for every match of a keystroke.

// Ranked reports whether Top orders by relevance: the query has free-text
// terms matched exactly. Otherwise Top keeps dataset order.
func (r Result) Ranked() bool { return r.e != nil && len(r.exact) > 0 }

// TopOf is Top among the matches of the given kinds (all when none is
// given): the best rows of one tab.
func (r Result) TopOf(k int, kinds ...model.Kind) []int32 {
	if len(kinds) == 0 || r.e == nil {
		return r.Top(k)
	}
	if r.set != nil {
		return r.top(k, source{set: r.set, ranges: r.e.kindRanges(kinds)})
	}
	return r.top(k, source{list: r.ofKinds(kinds)})
}

// TopOfSet is TopOf over the records whose bit is set in set (one bit per
// record, as an app keeps a filter) rather than over the result's matches,
// so that a view need not hold on to a result.
func (r Result) TopOfSet(set []uint64, k int, kinds ...model.Kind) []int32 {
	if r.e == nil {
		return nil
	}
	if len(kinds) == 0 {
		kinds = model.Kinds()
	}
	return r.top(k, source{set: set, ranges: r.e.kindRanges(kinds)})
}

// kindRange is the run [lo, hi) of the records of the kind at position o
// of Kinds: Build lays records out kind by kind in that order.
func (e *Engine) kindRange(o int) (lo, hi int) {
	lo, _ = slices.BinarySearch(e.kind, uint8(o))
	hi, _ = slices.BinarySearch(e.kind, uint8(o+1))
	return lo, hi
}

// kindRanges are the runs of kinds, in dataset order.
func (e *Engine) kindRanges(kinds []model.Kind) [][2]int {
	var out [][2]int
	for o, k := range model.Kinds() {
		if slices.Contains(kinds, k) {
			if lo, hi := e.kindRange(o); hi > lo {
				out = append(out, [2]int{lo, hi})
			}
		}
	}
	return out
}

// ofKinds returns the listed matches of kinds, in dataset order: each
// kind's matches are one run of the list (see kindRange), found by binary
// search; one run is returned without a copy.
func (r Result) ofKinds(kinds []model.Kind) []int32 {
	var runs [][]int32
	for _, kr := range r.e.kindRanges(kinds) {
		lo, _ := slices.BinarySearch(r.list, int32(kr[0]))
		hi, _ := slices.BinarySearch(r.list, int32(kr[1]))
		if hi > lo {
			runs = append(runs, r.list[lo:hi])
		}
	}
	if len(runs) == 1 {
		return runs[0]
	}
	return slices.Concat(runs...)
}

// source is what a ranking walks, in dataset order: a list of records, or
// the set bits of ranges of a bitset (a result kept as bits, an app's
// filter), which are never listed.
type source struct {
	list   []int32
	set    []uint64
	ranges [][2]int
}

// rankChunk is the number of listed matches, or of records of a bitset, a
// ranking task walks.
const rankChunk = 1 << 15

// part is what one ranking task walks: a run of a list, or the records
// [lo, hi) of a bitset.
type part struct {
	list   []int32
	set    []uint64
	lo, hi int
}

// parts splits src into parts a task each.
func (src source) parts() []part {
	var parts []part
	if src.set == nil {
		for lo := 0; lo < len(src.list); lo += rankChunk {
			parts = append(parts, part{list: src.list[lo:min(lo+rankChunk, len(src.list))]})
		}
		return parts
	}
	for _, r := range src.ranges {
		for lo := r[0]; lo < r[1]; lo += rankChunk {
			parts = append(parts, part{set: src.set, lo: lo, hi: min(lo+rankChunk, r[1])})
		}
	}
	return parts
}

// rankBufs are the buffers parts of a bitset are listed into, one per task
// at a time, reused from keystroke to keystroke.
// Each grows to what it is asked to hold: a small dataset's ranking must not
// cost a chunk-sized buffer per session. A sync.Pool is safe for
// concurrent use; a buffer belongs to one task between Get and Put.
var rankBufs = sync.Pool{New: func() any { return new([]int32) }}

// records lists the part's records in dataset order: a list part as it is,
// a bitset part into buf (a word at a time). The ranking loop then walks a
// plain slice, quicker than an iterator's call per record.
func (p part) records(buf []int32) []int32 {
	if p.set == nil {
		return p.list
	}
	eachWord(p.set, p.lo, p.hi, func(w int, word uint64) {
		for word != 0 {
			buf = append(buf, int32(w<<6+bits.TrailingZeros64(word)))
			word &= word - 1
		}
	})
	return buf
}

// Top returns the indices of the k best matches, best first. Without
// free-text terms the order is the dataset order. With terms, a record whose
// title contains the terms ranks first (more for a term at the start of a
// word, most for a title equal to a term), then shorter titles; ties keep
// dataset order. Top(k) with k >= Len sorts all matches.
func (r Result) Top(k int) []int32 {
	if r.set != nil {
		return r.top(k, source{set: r.set, ranges: [][2]int{{0, len(r.e.recs)}}})
	}
	return r.top(k, source{list: r.list})
}

// top is Top over src.
func (r Result) top(k int, src source) []int32 {
	if k <= 0 {
		return nil
	}
	parts := src.parts()
	if r.e == nil || len(r.exact) == 0 {
		// Dataset order: the first k.
		out := make([]int32, 0, min(k, 64))
		for _, p := range parts {
			if len(out) == k {
				break
			}
			recs := p.records(nil)
			out = append(out, recs[:min(k-len(out), len(recs))]...)
		}
		return out
	}
	terms := make([][]byte, len(r.exact))
	for i, t := range r.exact {
		terms[i] = []byte(t)
	}
	bounds := r.e.newBounds(terms)
	heaps := make([]scoreHeap, len(parts))
	// floor is the best worst-kept score of any full heap: k records score
	// at least that, so a record that cannot beat it is not in the top k
	// (strictly, since a full heap of a later part loses ties to earlier
	// records).
	var floor atomic.Int64
	floor.Store(math.MinInt64)
	parallel(len(parts), func(t int) {
		h := make(scoreHeap, 0, min(k, rankChunk))
		buf := rankBufs.Get().(*[]int32)
		defer rankBufs.Put(buf)
		recs := parts[t].records((*buf)[:0])
		if parts[t].set != nil {
			*buf = recs // keep it if it grew; a list part is the result's own
		}
		for _, i := range recs {
			// A record that cannot beat the worst kept match is skipped
			// on its title length alone: a one-letter query matches
			// nearly every record, and scoring them all took longer than
			// the search.
			if b := bounds.of(r.e, i); int64(b) < floor.Load() || len(h) == k && b <= h[0].score {
				continue
			}
			s := scored{score: r.e.score(int(i), terms, r.links), idx: i}
			if len(h) < k {
				heap.Push(&h, s)
			} else if h[0].worse(s) {
				h[0] = s
				heap.Fix(&h, 0)
			} else {
				continue
			}
			if len(h) == k {
				for f := floor.Load(); int64(h[0].score) > f && !floor.CompareAndSwap(f, int64(h[0].score)); f = floor.Load() {
				}
			}
		}
		heaps[t] = h
	})
	var all []scored
	for _, h := range heaps {
		all = append(all, h...)
	}
	slices.SortFunc(all, func(a, b scored) int {
		switch {
		case b.worse(a):
			return -1
		case a.worse(b):
			return 1
		}
		return 0
	})
	out := make([]int32, 0, min(k, len(all)))
	for _, s := range all[:min(k, len(all))] {
		out = append(out, s.idx)
	}
	return out
}

// bounds gives the best score a record could get for terms from what the
// engine keeps per record, without reading its title: the title's length
// (tlen) and a Bloom filter of how its words begin (starts, see
// wordStarts). A term whose first two bytes begin no word of the title
// scores at most 4 there (contained), not 6 or 10: a query like "st"
// matches most records, but few of their titles have a word starting with
// it, and once the top k hold such titles, every other match is skipped on
// these two numbers.
// Matches arrive in dataset order, so a record whose bound only ties the
// worst kept match loses the tie and can be skipped too.
type bounds struct {
	terms []termBound
	all   uint64     // the start masks of every term
	best  [256]int32 // by tlen, every term at a word's start
}

type termBound struct {
	start uint64 // what a title must have for the term to start a word (wordStarts)
	n     int    // the term's length
}

func (e *Engine) newBounds(terms [][]byte) *bounds {
	b := &bounds{terms: make([]termBound, len(terms))}
	for i, t := range terms {
		// A one-byte term can start any word: only longer ones are told
		// apart by the mask.
		var start uint64
		if len(t) > 1 {
			start = startPair(t[0], t[1])
		}
		b.terms[i] = termBound{start: start, n: len(t)}
		b.all |= b.terms[i].start
	}
	for n := range b.best {
		b.best[n] = int32(b.score(n, ^uint64(0)))
	}
	return b
}

// score is the bound for a title of tlen n and word-start mask starts.
func (b *bounds) score(n int, starts uint64) int {
	s := 0
	for _, t := range b.terms {
		if starts&t.start != t.start {
			s += 4 // contained at best (a link gives 2)
			continue
		}
		s += 6
		if t.n == n || n == 255 {
			s += 4
		}
	}
	return s<<8 - n
}

// of is the bound for record i.
func (b *bounds) of(e *Engine, i int32) int {
	n, st := int(e.tlen[i]), e.starts[i]
	if st&b.all == b.all {
		return int(b.best[n])
	}
	return b.score(n, st)
}

// score rates record i for terms; higher is better. A term in the title
// counts most (more at the start of a word, most for the whole title); a
// term the title lacks still counts a little when the record is linked to a
// company or place it names (links, aligned with terms; may be nil): a
// region in Frankfurt ranks above one whose text only mentions Frankfurt.
func (e *Engine) score(i int, terms [][]byte, links []links) int {
	text := e.text(i)
	title := text[:e.tlen[i]]
	if len(title) == 255 {
		if n := bytes.IndexByte(text, fieldSep); n >= 0 {
			title = text[:n]
		}
	}
	s := 0
	for j, t := range terms {
		p := bytes.Index(title, t)
		if p < 0 {
			if j < len(links) && e.linked(i, links[j]) {
				s += 2
			}
			continue
		}
		s += 4
		if p == 0 || !isWordByte(title[p-1]) {
			s += 2
		}
		if len(t) == len(title) {
			s += 4
		}
	}
	return s<<8 - min(len(title), 255)
}

func isWordByte(c byte) bool {
	return c >= 0x80 || ('a' <= c && c <= 'z') || ('0' <= c && c <= '9')
}

type scored struct {
	score int
	idx   int32
}

// worse orders by score, then later records first out.
func (a scored) worse(b scored) bool {
	if a.score != b.score {
		return a.score < b.score
	}
	return a.idx > b.idx
}

// scoreHeap is a min-heap: the worst kept match on top, ready to be replaced.
type scoreHeap []scored

func (h scoreHeap) Len() int           { return len(h) }
func (h scoreHeap) Less(i, j int) bool { return h[i].worse(h[j]) }
func (h scoreHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *scoreHeap) Push(x any)        { *h = append(*h, x.(scored)) }
func (h *scoreHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
