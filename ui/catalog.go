package ui

import (
	"slices"
	"sync"

	"github.com/dcx-explorer/dcx/model"
	"github.com/dcx-explorer/dcx/search"
)

// Catalog is what every session over one dataset shows alike: the tabs, each
// tab's records in its own order, each tab's order by a column once someone
// sorted by it, and the related-record counts its cells show. At a million
// records a session would otherwise spend 100 ms and 4 MB on the first and
// half a second on each of the second; over SSH every visitor would pay
// again.
//
// cmd builds one per dataset (NewCatalog) and gives it to every New. Nothing
// in it depends on a session: cells and sort keys get the session's choices
// (the display currency) as arguments, and the name formatter only reads
// the dataset. Slices in it are never written once stored.
type Catalog struct {
	engine *search.Engine
	names  namer
	specs  []tabSpec
	// unsorted lists each tab's records in dataset order; bases holds each
	// tab's default order, sorted when the tab is first shown (base):
	// sorting all six held back the first frame.
	unsorted [][]int32
	bases    []tabBase
	limits   limits
	// currencies are the display currencies, "" (original) first: every
	// currency the dataset's rates reach (model.Dataset.DisplayCurrencies).
	currencies []string

	mu     sync.Mutex
	orders map[orderKey]sorted // base sorted ascending by a column
	counts map[countKey]int    // related records (relatedCount)
	widths map[widthKey][]int  // columns' content widths (contentWidths)
}

// limits are the sizes from which work moves into a command. Tests lower
// them on their own catalog (newCatalog), so they can run in parallel.
type limits struct {
	// asyncSortMin is the number of rows from which a tab sorts in the
	// background, and from which its default order is left to the file.
	asyncSortMin int
	// relatedSyncMax is the estimated number of relations
	// (model.Dataset.RelatedEstimate) above which an opened detail collects
	// them in a command: the United States in a million-record file have
	// 57,000, 100 ms to collect and sort, which the app would freeze for.
	relatedSyncMax int
	// asyncRankMin is the number of matching records from which a tab
	// shown after a search ranks its best rows in a command (rankFirst).
	asyncRankMin int
}

func defaultLimits() limits {
	return limits{asyncSortMin: 50_000, relatedSyncMax: 2000, asyncRankMin: 50_000}
}

// tabBase is a tab's records in its default order, made once (base).
type tabBase struct {
	once sync.Once
	rows []int32
	run  run // whether rows are one run of records
}

type orderKey struct{ tab, col int }

type widthKey struct {
	tab int
	cur string
}

type countKey struct {
	rec  string
	kind model.Kind
}

// NewCatalog prepares the tabs of engine's dataset. The engine may still be
// preparing its index (search.StartEngine): the catalog only reads records.
func NewCatalog(engine *search.Engine) *Catalog {
	return newCatalog(engine, defaultLimits())
}

func newCatalog(engine *search.Engine, lim limits) *Catalog {
	ds := engine.Dataset()
	cat := &Catalog{engine: engine, names: namer{ds: ds}, specs: tabSpecs(), limits: lim,
		orders: map[orderKey]sorted{}, counts: map[countKey]int{}, widths: map[widthKey][]int{}}
	cat.names.count = cat.relatedCount
	cat.names.provided = map[string]int{}
	for i := range ds.Regions {
		cat.names.provided[ds.Regions[i].Provider]++
	}
	cat.currencies = ds.DisplayCurrencies()
	cat.unsorted = tabBases(ds, cat.specs)
	cat.bases = make([]tabBase, len(cat.specs))
	return cat
}

// base is tab's records in its default order, shared by every session: the
// column order the tab opens in, or the file's for a tab without one and
// for a large tab (sorting it would hold back the frame that shows it; its
// table shows a run of records).
func (cat *Catalog) base(tab int) []int32 {
	b := &cat.bases[tab]
	b.once.Do(func() {
		b.rows = cat.unsorted[tab]
		if sp := &cat.specs[tab]; sp.order != nil && len(b.rows) < cat.limits.asyncSortMin {
			b.rows = sortOrderBy(cat.names, sp.cols[sp.order.col], b.rows, sp.order.desc)
		}
		lo, hi, ok := span(b.rows)
		b.run = run{lo, hi, ok}
	})
	return b.rows
}

// baseRun says whether tab's default order is one run of records.
func (cat *Catalog) baseRun(tab int) run {
	cat.base(tab)
	return cat.bases[tab].run
}

// baseLen is the number of records of tab, without sorting them.
func (cat *Catalog) baseLen(tab int) int { return len(cat.unsorted[tab]) }

// Engine is the search engine the catalog shows.
func (cat *Catalog) Engine() *search.Engine { return cat.engine }

func (cat *Catalog) order(tab, col int) (sorted, bool) {
	cat.mu.Lock()
	defer cat.mu.Unlock()
	o, ok := cat.orders[orderKey{tab, col}]
	return o, ok
}

func (cat *Catalog) setOrder(tab, col int, o sorted) {
	cat.mu.Lock()
	defer cat.mu.Unlock()
	cat.orders[orderKey{tab, col}] = o
}

// contentWidths is the widest cell of each of a tab's columns in display
// currency cur, measured once per dataset: every session lays its tables
// out from the same figures.
func (cat *Catalog) contentWidths(tab int, cur string) []int {
	return remembered(&cat.mu, cat.widths, widthKey{tab, cur}, func() []int {
		return contentWidths(cat.names, cat.specs[tab].cols, cat.base(tab), cur)
	})
}

// relatedCount is Dataset.RelatedCount of one kind, or of all when k is
// empty, remembered: a provider of a million-record file has hundreds of
// thousands of relations, and the Companies tab asks for the count on every
// sort and redraw.
func (cat *Catalog) relatedCount(id string, k model.Kind) int {
	return remembered(&cat.mu, cat.counts, countKey{id, k}, func() int {
		if k == "" {
			return cat.names.ds.RelatedCount(id)
		}
		return cat.names.ds.RelatedCount(id, k)
	})
}

// remembered is m[key], computed by compute the first time. mu guards m
// but not compute, so that sessions asking for other keys do not wait on
// it; two sessions asking for one key at once may both compute it, to the
// same value.
func remembered[K comparable, V any](mu *sync.Mutex, m map[K]V, key K, compute func() V) V {
	mu.Lock()
	v, ok := m[key]
	mu.Unlock()
	if ok {
		return v
	}
	v = compute()
	mu.Lock()
	m[key] = v
	mu.Unlock()
	return v
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
