package ui

import (
	"slices"
	"sync"

	"github.com/dcx-explorer/dcx/model"
)

// tables are what every session over one dataset computes alike: each
// tab's records in dataset order, and each tab's order by a column once
// someone sorted by it. At a million records a session would otherwise
// spend 100 ms and 4 MB on the first and half a second on each of the
// second; over SSH every visitor would pay again. Slices in it are never
// written once stored.
type tables struct {
	bases [][]int32 // per tab
	runs  []run     // per tab: whether its base is one run of records

	mu     sync.Mutex
	orders map[[2]int][]int32 // (tab, column) → base sorted ascending
}

func (tb *tables) order(tab, col int) ([]int32, bool) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	o, ok := tb.orders[[2]int{tab, col}]
	return o, ok
}

func (tb *tables) setOrder(tab, col int, o []int32) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	tb.orders[[2]int{tab, col}] = o
}

// run is the records lo, lo+1, ..., hi-1 when ok.
type run struct {
	lo, hi int32
	ok     bool
}

// span reports whether o is the run of records lo, lo+1, ..., hi-1.
func span(o []int32) (lo, hi int32, ok bool) {
	if len(o) == 0 {
		return 0, 0, false
	}
	lo, hi = o[0], o[len(o)-1]+1
	return lo, hi, int(hi-lo) == len(o) && slices.IsSorted(o)
}

// sharedTables keeps the tables of the last few datasets: a process shows
// one, tests build many.
var sharedTables struct {
	mu   sync.Mutex
	list []sharedEntry // most recently made last
}

type sharedEntry struct {
	ds *model.Dataset
	tb *tables
}

const sharedTablesMax = 4

// tablesFor returns the tables of c's dataset, making them on first use.
// specs are the tab specs every session uses (tabSpecs).
func tablesFor(c *common, specs []tabSpec) *tables {
	sharedTables.mu.Lock()
	defer sharedTables.mu.Unlock()
	for _, e := range sharedTables.list {
		if e.ds == c.ds {
			return e.tb
		}
	}
	tb := &tables{bases: tabBases(c.ds, specs), orders: map[[2]int][]int32{}}
	for i, sp := range specs {
		// A large tab keeps the file's order: sorting it here would hold
		// back the first frame, and its table shows a run of records.
		if sp.order != nil && len(tb.bases[i]) < asyncSortMin {
			tb.bases[i] = sortOrderBy(c, sp.cols[sp.order.col], tb.bases[i], sp.order.desc)
		}
	}
	for _, base := range tb.bases {
		lo, hi, ok := span(base)
		tb.runs = append(tb.runs, run{lo, hi, ok})
	}
	sharedTables.list = append(sharedTables.list, sharedEntry{c.ds, tb})
	if len(sharedTables.list) > sharedTablesMax {
		sharedTables.list = slices.Delete(sharedTables.list, 0, 1)
	}
	return tb
}

// tabBases lists each tab's records in dataset order, a region's zones
// right after it.
func tabBases(ds *model.Dataset, specs []tabSpec) [][]int32 {
	kindTab := map[model.Kind]int{}
	for i, sp := range specs {
		for _, k := range sp.kinds {
			kindTab[k] = i
		}
	}
	bases := make([][]int32, len(specs))
	for _, k := range model.Kinds() {
		if t, ok := kindTab[k]; ok {
			bases[t] = slices.Grow(bases[t], len(ds.ByKind(k)))
		}
	}
	zonesOf := map[string][]int32{}
	recs := ds.Records()
	for i, r := range recs {
		if z, ok := r.(*model.Zone); ok {
			zonesOf[z.Region] = append(zonesOf[z.Region], int32(i))
		}
	}
	for i, r := range recs {
		k := r.RecordKind()
		t, ok := kindTab[k]
		if !ok || k == model.KindZone {
			continue
		}
		bases[t] = append(bases[t], int32(i))
		if k == model.KindRegion {
			bases[t] = append(bases[t], zonesOf[r.RecordID()]...)
		}
	}
	// Sessions show a base as their rows: clipped, an append to rows can
	// only copy it, never write into another session's view.
	for t := range bases {
		bases[t] = slices.Clip(bases[t])
	}
	return bases
}
