package model

import (
	"bytes"
	"container/heap"
	"math"
	"math/bits"
	"slices"
	"sync/atomic"
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
func (r Result) TopOf(k int, kinds ...Kind) []int32 {
	if len(kinds) == 0 || r.e == nil {
		return r.Top(k)
	}
	sub := r
	sub.Matches = r.ofKinds(kinds)
	return sub.Top(k)
}

// TopOfSet is TopOf over the records whose bit is set in set (one bit per
// record, as an app keeps a filter) rather than over Matches, so that a view
// need not hold on to a result's list: at a million records it can be 4 MB
// per session.
func (r Result) TopOfSet(set []uint64, k int, kinds ...Kind) []int32 {
	if r.e == nil {
		return nil
	}
	var list []int32
	for o, kind := range Kinds {
		if len(kinds) > 0 && !slices.Contains(kinds, kind) {
			continue
		}
		lo, hi := r.e.kindRange(o)
		for i := lo; i < hi && i>>6 < len(set); {
			word := set[i>>6] >> (i & 63)
			if word == 0 {
				i = (i | 63) + 1
				continue
			}
			i += bits.TrailingZeros64(word)
			if i < hi {
				list = append(list, int32(i))
			}
			i++
		}
	}
	sub := r
	sub.Matches = list
	return sub.Top(k)
}

// kindRange is the run [lo, hi) of the records of the kind at position o
// of Kinds: Build lays records out kind by kind in that order.
func (e *Engine) kindRange(o int) (lo, hi int) {
	lo, _ = slices.BinarySearch(e.kind, uint8(o))
	hi, _ = slices.BinarySearch(e.kind, uint8(o+1))
	return lo, hi
}

// ofKinds returns the matches of kinds, in dataset order: each kind's
// matches are one run of Matches (see kindRange), found by binary search;
// one run is returned without a copy.
func (r Result) ofKinds(kinds []Kind) []int32 {
	var runs [][]int32
	for o, k := range Kinds {
		if !slices.Contains(kinds, k) {
			continue
		}
		first, last := r.e.kindRange(o)
		lo, _ := slices.BinarySearch(r.Matches, int32(first))
		hi, _ := slices.BinarySearch(r.Matches, int32(last))
		if hi > lo {
			runs = append(runs, r.Matches[lo:hi])
		}
	}
	if len(runs) == 1 {
		return runs[0]
	}
	return slices.Concat(runs...)
}

// Top returns the indices of the k best matches, best first. Without
// free-text terms the order is the dataset order. With terms, a record whose
// title contains the terms ranks first (more for a term at the start of a
// word, most for a title equal to a term), then shorter titles; ties keep
// dataset order. Top(k) with k >= Len sorts all matches.
func (r Result) Top(k int) []int32 {
	if k <= 0 || len(r.Matches) == 0 {
		return nil
	}
	if r.e == nil || len(r.exact) == 0 {
		return slices.Clone(r.Matches[:min(k, len(r.Matches))])
	}
	terms := make([][]byte, len(r.exact))
	for i, t := range r.exact {
		terms[i] = []byte(t)
	}
	bounds := r.e.newBounds(terms)
	const chunk = 1 << 15
	tasks := (len(r.Matches) + chunk - 1) / chunk
	heaps := make([]scoreHeap, tasks)
	// floor is the best worst-kept score of any full heap: k records score
	// at least that, so a record that cannot beat it is not in the top k
	// (strictly, since a full heap of a later chunk loses ties to earlier
	// records).
	var floor atomic.Int64
	floor.Store(math.MinInt64)
	parallel(tasks, func(t int) {
		h := make(scoreHeap, 0, min(k, chunk))
		for _, i := range r.Matches[t*chunk : min((t+1)*chunk, len(r.Matches))] {
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
