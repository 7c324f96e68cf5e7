package ui

import (
	"maps"
	"math/bits"
	"slices"

	"github.com/dcx-explorer/dcx/model"
	"github.com/dcx-explorer/dcx/search"
)

// filter is the search applied to every tab: the query, the records it
// matches as a bitset over Dataset.Records, their counts per kind, and the
// result behind them, kept to rank the tabs best first. A filter is a value:
// the search line saves one when it opens and esc puts it back.
type filter struct {
	query   search.Query
	on      bool
	matches []uint64
	counts  map[model.Kind]int
	// result is the search behind the filter, for its ranking; ranks holds
	// the best rows of the tabs ranked so far (rankTab), for the result
	// whose seq is seq.
	result search.Result
	ranks  map[int]ranking
	seq    uint64
	// approx says what the result's typos matched ("ulsna ≈ ulsan"), for
	// the status and search lines; "" when every word matched as typed.
	approx string
}

// clone copies what later results write into (the bitset and the ranks),
// so the copy stays as it is.
func (f filter) clone() filter {
	f.matches = slices.Clone(f.matches)
	f.ranks = maps.Clone(f.ranks)
	return f
}

// set makes res the filter over a dataset of n records, reusing the bitset.
func (f *filter) set(res search.Result, n int) {
	words := (n + 63) / 64
	if len(f.matches) != words {
		f.matches = make([]uint64, words)
	} else {
		clear(f.matches)
	}
	if set := res.Set(); len(set) == words {
		copy(f.matches, set)
	} else {
		for _, i := range res.Matches() {
			if i >= 0 && int(i) < n {
				f.matches[i>>6] |= 1 << (i & 63)
			}
		}
	}
	// The result is kept to rank tabs later: a result with many matches
	// never lists them (search.Result.Matches), and a short list costs little.
	f.query, f.on, f.counts, f.result = res.Query, true, res.Counts, res
	f.approx = search.ApproxSummary(res.Approx)
}

// clear shows everything again. The bitset is dropped, not cleared: a saved
// filter may share it.
func (f *filter) clear() {
	f.query, f.on, f.counts, f.result, f.matches, f.approx = search.Query{}, false, nil, search.Result{}, nil, ""
}

func (f *filter) has(idx int32) bool { return f.matches[idx>>6]&(1<<(idx&63)) != 0 }

// count is how many records of kinds the filter matches.
func (f *filter) count(kinds []model.Kind) int {
	n := 0
	for _, k := range kinds {
		n += f.counts[k]
	}
	return n
}

// highlight is the query's highlighter while the filter is on.
func (f *filter) highlight() func(string) [][2]int {
	if !f.on {
		return nil
	}
	return f.query.Highlight
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
