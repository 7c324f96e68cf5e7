package model

import (
	"cmp"
	"slices"
	"strings"
	"unsafe"
)

// idCache answers byID lookups of strings seen before by the address of
// their bytes: the loader interns references, so the hundreds of thousands
// of references to one company, place or source share one string, and a
// pointer comparison in a table that stays in the processor's cache replaces
// hashing the id into a million-entry map and reading the key back (two or
// three cache misses). Only found ids are cached; a nil cache just asks byID.
type idCache [1 << 16]struct {
	p   *byte
	n   int32
	idx int32
}

// lookup is byID[id] through the cache. Only ids the caller says are
// shared are kept: references to facilities, investments and the like are
// mostly one of a kind, and at a million of them they evicted the sources,
// companies and places that do repeat.
func (c *idCache) lookup(byID map[string]int32, id string, shared bool) (int32, bool) {
	if c == nil || id == "" {
		j, ok := byID[id]
		return j, ok
	}
	p := unsafe.StringData(id)
	e := &c[(uint64(uintptr(unsafe.Pointer(p)))*0x9E3779B97F4A7C15)>>48]
	if e.p == p && int(e.n) == len(id) {
		return e.idx, true
	}
	j, ok := byID[id]
	if ok && shared {
		e.p, e.n, e.idx = p, int32(len(id)), j
	}
	return j, ok
}

// sharedRole marks the link roles whose targets many records share
// (companies, places, sources): worth a slot of an idCache.
var sharedRole = map[string]bool{
	"parent": true, "country": true, "country in area": true, "provider": true, "city": true,
	"operator": true, "owner": true, "partner": true, "customer": true, "investor": true,
	"place": true, "company": true, "source": true,
}

// buildReverse indexes, for every record, the records that refer to it, as
// one compressed array (CSR): revStart[i]..revStart[i+1] index revList. At a
// million records a map of Relation slices took gigabytes and most of the load
// time; two int32 arrays take a few megabytes and Related works out roles and
// order on demand.
func (d *Dataset) buildReverse() {
	n := len(d.records)
	// One pass resolves every link to an index (a lookup per link is most of
	// Build's time); the temporary edge list, 8 bytes an edge, is dropped once
	// the reverse index is filled.
	type edge struct{ from, to int32 }
	// resolve lists the links of records [lo, hi) in record order and counts
	// them per target in counts.
	resolve := func(lo, hi int, counts []int32) []edge {
		edges := make([]edge, 0, 2*(hi-lo))
		var cache *idCache
		if hi-lo >= 1<<14 {
			cache = new(idCache)
		}
		for i := lo; i < hi; i++ {
			first := len(edges)
			EachLink(d.records[i], func(to, role, _ string) {
				j, ok := cache.lookup(d.byID, to, sharedRole[role])
				if !ok || int(j) == i {
					return
				}
				// Nested evidence names the same sources again and again.
				for _, e := range edges[first:] {
					if e.to == j {
						return
					}
				}
				edges = append(edges, edge{int32(i), j})
				counts[j+1]++
			})
		}
		return edges
	}
	counts := make([]int32, n+1)
	var parts [][]edge
	if n < 1<<14 {
		parts = [][]edge{resolve(0, n, counts)}
	} else {
		// The lookups only read byID: at a million records, the two halves
		// are resolved at once, on two cores. Filling from the first half's
		// edges and then the second's gives the same index as one pass.
		mid := n / 2
		counts2 := make([]int32, n+1)
		var second []edge
		done := make(chan struct{})
		go func() {
			defer close(done)
			second = resolve(mid, n, counts2)
		}()
		first := resolve(0, mid, counts)
		<-done
		for i, c := range counts2 {
			counts[i] += c
		}
		parts = [][]edge{first, second}
	}
	for i := 1; i <= n; i++ {
		counts[i] += counts[i-1]
	}
	fill := make([]int32, n)
	copy(fill, counts[:n])
	d.revStart = counts
	d.revList = make([]int32, counts[n])
	for _, edges := range parts {
		for _, e := range edges {
			d.revList[fill[e.to]] = e.from
			fill[e.to]++
		}
	}
}

// Related returns the records linked to id, both the ones it names and the
// ones that name it, grouped by kind and then by title. A macro-area also
// relates to what lies in the countries it contains, so "place → everything
// in it" holds. It is computed on each call; the dataset stays read-only.
func (d *Dataset) Related(id string) []Relation {
	rels := d.collectRelated(id)
	// Keys once per relation, then an unstable sort with the collection
	// order as the last criterion (the stable order, in O(n log n)): a
	// country of a million-record file has tens of thousands of relations.
	type keyed struct {
		kind  int
		title string
		pos   int
	}
	keys := make([]keyed, len(rels))
	for k, r := range rels {
		keys[k] = keyed{r.Record.RecordKind().Order(), strings.ToLower(r.Record.RecordTitle()), k}
	}
	slices.SortFunc(keys, func(a, b keyed) int {
		if a.kind != b.kind {
			return cmp.Compare(a.kind, b.kind)
		}
		if c := strings.Compare(a.title, b.title); c != 0 {
			return c
		}
		return cmp.Compare(a.pos, b.pos)
	})
	out := make([]Relation, len(rels))
	for k, key := range keys {
		out[k] = rels[key.pos]
	}
	return out
}

// RelatedCount counts what Related returns, of the given kinds (all kinds
// when none is given), without ordering it: list cells and previews only show
// the number. It computes the count each time (the dataset holds no mutable
// cache); callers that ask often remember it (ui's Catalog).
func (d *Dataset) RelatedCount(id string, kinds ...Kind) int {
	i, ok := d.byID[id]
	if !ok {
		return 0
	}
	var n int
	if p, ok := d.records[i].(*Place); ok && p.Kind == PlaceArea {
		// An area's relations are its countries'; rare enough to collect.
		for _, r := range d.collectRelated(id) {
			if len(kinds) == 0 || slices.Contains(kinds, r.Record.RecordKind()) {
				n++
			}
		}
	} else {
		n = d.countDirect(i, kinds)
	}
	return n
}

// countDirect counts what relCollector.direct would collect of the given
// kinds. Filtering before deduplicating counts the same (the key holds the
// target, whose kind is fixed), and referrers of other kinds are skipped
// without walking their links: counting a provider's facilities no longer
// visits its announcements.
func (d *Dataset) countDirect(i int32, kinds []Kind) int {
	want := func(r Record) bool { return len(kinds) == 0 || slices.Contains(kinds, r.RecordKind()) }
	self := d.records[i].RecordID()
	seen := map[relKey]bool{}
	add := func(role string, to Record) {
		k := relKey{to.RecordID(), role}
		if k.to != self {
			seen[k] = true
		}
	}
	EachLink(d.records[i], func(to, role, _ string) {
		if t, ok := d.Get(to); ok && want(t) {
			add(role, t)
		}
	})
	for _, j := range d.revList[d.revStart[i]:d.revStart[i+1]] {
		src := d.records[j]
		if !want(src) {
			continue
		}
		EachLink(src, func(to, _, inverse string) {
			if to == self {
				add(inverse, src)
			}
		})
	}
	return len(seen)
}

// collectRelated gathers Related's records, unordered.
func (d *Dataset) collectRelated(id string) []Relation {
	i, ok := d.byID[id]
	if !ok {
		return nil
	}
	// Sized for the links both ways (an area's through its countries), so
	// that a record with tens of thousands of relations does not rehash
	// its way there.
	n := d.RelatedEstimate(id)
	rc := relCollector{d: d, self: id, seen: make(map[relKey]bool, n+8), out: make([]Relation, 0, n+8)}
	rc.direct(i)
	if p, ok := d.records[i].(*Place); ok && p.Kind == PlaceArea {
		for _, c := range p.Contains {
			if j, ok := d.byID[c]; ok {
				inner := relCollector{d: d, self: c, seen: map[relKey]bool{}}
				inner.direct(j)
				for _, rel := range inner.out {
					if rel.Role != "source" && rel.Role != "area" {
						rc.add(rel.Role, rel.Record)
					}
				}
			}
		}
	}
	return rc.out
}

type relKey struct{ to, role string }

// relCollector gathers one record's relations without duplicates.
type relCollector struct {
	d    *Dataset
	self string
	seen map[relKey]bool
	out  []Relation
}

func (c *relCollector) add(role string, to Record) {
	k := relKey{to.RecordID(), role}
	if c.seen[k] || k.to == c.self {
		return
	}
	c.seen[k] = true
	c.out = append(c.out, Relation{Role: role, Record: to})
}

// direct adds what record i names and what names it.
func (c *relCollector) direct(i int32) {
	r := c.d.records[i]
	EachLink(r, func(to, role, _ string) {
		if t, ok := c.d.Get(to); ok {
			c.add(role, t)
		}
	})
	for _, j := range c.d.revList[c.d.revStart[i]:c.d.revStart[i+1]] {
		src := c.d.records[j]
		EachLink(src, func(to, _, inverse string) {
			if to == c.self {
				c.add(inverse, src)
			}
		})
	}
}
