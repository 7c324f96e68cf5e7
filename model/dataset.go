package model

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unsafe"
)

// Record is any record of the dataset. The methods are named so they do not
// collide with the records' fields.
type Record interface {
	RecordID() string
	RecordKind() Kind
	// RecordTitle is the one-line name a list shows.
	RecordTitle() string
	RecordBase() *Base
}

func (r *Source) RecordID() string       { return r.ID }
func (r *Company) RecordID() string      { return r.ID }
func (r *Place) RecordID() string        { return r.ID }
func (r *Region) RecordID() string       { return r.ID }
func (r *Zone) RecordID() string         { return r.ID }
func (r *Facility) RecordID() string     { return r.ID }
func (r *Investment) RecordID() string   { return r.ID }
func (r *Announcement) RecordID() string { return r.ID }

func (r *Source) RecordKind() Kind       { return KindSource }
func (r *Company) RecordKind() Kind      { return KindCompany }
func (r *Place) RecordKind() Kind        { return KindPlace }
func (r *Region) RecordKind() Kind       { return KindRegion }
func (r *Zone) RecordKind() Kind         { return KindZone }
func (r *Facility) RecordKind() Kind     { return KindFacility }
func (r *Investment) RecordKind() Kind   { return KindInvestment }
func (r *Announcement) RecordKind() Kind { return KindAnnouncement }

func (r *Source) RecordTitle() string       { return r.Title }
func (r *Company) RecordTitle() string      { return r.Name }
func (r *Place) RecordTitle() string        { return r.Name }
func (r *Region) RecordTitle() string       { return r.Name + " (" + r.Code + ")" }
func (r *Zone) RecordTitle() string         { return r.Code }
func (r *Facility) RecordTitle() string     { return r.Name }
func (r *Investment) RecordTitle() string   { return r.Title }
func (r *Announcement) RecordTitle() string { return r.Headline }

func (r *Source) RecordBase() *Base       { return &r.Base }
func (r *Company) RecordBase() *Base      { return &r.Base }
func (r *Place) RecordBase() *Base        { return &r.Base }
func (r *Region) RecordBase() *Base       { return &r.Base }
func (r *Zone) RecordBase() *Base         { return &r.Base }
func (r *Facility) RecordBase() *Base     { return &r.Base }
func (r *Investment) RecordBase() *Base   { return &r.Base }
func (r *Announcement) RecordBase() *Base { return &r.Base }

// Dataset is the whole set of records. The exported slices are what the files
// hold; Build derives zones, the id index and the relations. After Build a
// Dataset is read-only and safe to share between goroutines (SSH sessions).
type Dataset struct {
	Sources       []Source       `json:"sources,omitempty"`
	Companies     []Company      `json:"companies,omitempty"`
	Places        []Place        `json:"places,omitempty"`
	Regions       []Region       `json:"regions,omitempty"`
	Facilities    []Facility     `json:"facilities,omitempty"`
	Investments   []Investment   `json:"investments,omitempty"`
	Announcements []Announcement `json:"announcements,omitempty"`
	Rates         []Rate         `json:"rates,omitempty"`

	// Zones are derived from Regions by Build; they are not stored.
	Zones []Zone `json:"-"`

	records  []Record
	byID     map[string]int32  // index into records
	byKind   map[Kind][]Record // sub-slices of records, one per kind
	revStart []int32           // see buildReverse
	revList  []int32
	rates    *RateTable
}

// Relation is a link from one record to another, named by the role the other
// record plays ("operator", "facility", "zone", "cited by").
type Relation struct {
	Role   string
	Record Record
}

// Build derives zones, indexes ids and computes relations both ways. It
// returns an error for a duplicate id; dangling references are skipped here
// (data's validation reports them with their location).
func (d *Dataset) Build() error {
	d.Zones = d.Zones[:0]
	for i := range d.Regions {
		r := &d.Regions[i]
		for _, z := range r.ZoneIDs {
			d.Zones = append(d.Zones, Zone{Base: Base{ID: ZoneID(r.ID, z), Evidence: r.Evidence}, Region: r.ID, Code: z})
		}
	}
	n := len(d.Sources) + len(d.Companies) + len(d.Places) + len(d.Regions) + len(d.Zones) +
		len(d.Facilities) + len(d.Investments) + len(d.Announcements)
	d.records = make([]Record, 0, n)
	for i := range d.Announcements {
		d.records = append(d.records, &d.Announcements[i])
	}
	for i := range d.Companies {
		d.records = append(d.records, &d.Companies[i])
	}
	for i := range d.Regions {
		d.records = append(d.records, &d.Regions[i])
	}
	for i := range d.Zones {
		d.records = append(d.records, &d.Zones[i])
	}
	for i := range d.Facilities {
		d.records = append(d.records, &d.Facilities[i])
	}
	for i := range d.Investments {
		d.records = append(d.records, &d.Investments[i])
	}
	for i := range d.Sources {
		d.records = append(d.records, &d.Sources[i])
	}
	for i := range d.Places {
		d.records = append(d.records, &d.Places[i])
	}
	// A map rather than a compact hash table of indices: the table saved 22
	// MB at a million records but read every candidate's id through its
	// record, a cache miss per lookup, and lookups dominate Build.
	d.byID = make(map[string]int32, n)
	for i, r := range d.records {
		id := r.RecordID()
		if prev, dup := d.byID[id]; dup {
			return fmt.Errorf("duplicate id %q (a %s and a %s)", id, d.records[prev].RecordKind(), r.RecordKind())
		}
		d.byID[id] = int32(i)
	}
	// records holds each kind in one run (see above): ByKind hands out those
	// runs rather than a second copy of a million interface values. The
	// capacity is cut at the run's end so an append by a caller cannot write
	// into the next kind's records.
	d.byKind = make(map[Kind][]Record, len(kinds))
	for lo := 0; lo < len(d.records); {
		k := d.records[lo].RecordKind()
		hi := lo + 1
		for hi < len(d.records) && d.records[hi].RecordKind() == k {
			hi++
		}
		d.byKind[k] = d.records[lo:hi:hi]
		lo = hi
	}
	d.rates = NewRateTable(d.Rates)
	d.buildReverse()
	return nil
}

// ZoneID is the record id of zone code z in region regionID.
func ZoneID(regionID, z string) string { return regionID + "/" + z }

// Records returns every record, in tab order (announcements first).
func (d *Dataset) Records() []Record { return d.records }

// Len is the number of records.
func (d *Dataset) Len() int { return len(d.records) }

// Get returns the record with the given id.
func (d *Dataset) Get(id string) (Record, bool) {
	i, ok := d.byID[id]
	if !ok {
		return nil, false
	}
	return d.records[i], true
}

// RelatedEstimate says, without collecting anything, about how many
// relations Related finds for id beyond id's own links: the number of
// records that name it (a record naming it in two roles gives two
// relations), and for a macro-area of those that name its countries. A view
// uses it to tell a record whose relations take a while to collect (a
// country of a million-record file: tens of thousands) from the common case.
func (d *Dataset) RelatedEstimate(id string) int {
	i, ok := d.byID[id]
	if !ok {
		return 0
	}
	n := int(d.revStart[i+1] - d.revStart[i])
	if p, ok := d.records[i].(*Place); ok && p.Kind == PlaceArea {
		for _, c := range p.Contains {
			if j, ok := d.byID[c]; ok {
				n += int(d.revStart[j+1] - d.revStart[j])
			}
		}
	}
	return n
}

// Index returns the position in Records of the record with the given id.
func (d *Dataset) Index(id string) (int32, bool) {
	i, ok := d.byID[id]
	return i, ok
}

// ByKind returns the records of one kind, in file order.
func (d *Dataset) ByKind(k Kind) []Record { return d.byKind[k] }

// Rates returns the dataset's exchange-rate table.
func (d *Dataset) RateTable() *RateTable {
	if d.rates == nil {
		d.rates = NewRateTable(d.Rates)
	}
	return d.rates
}

// Convert converts money to a currency with the rate closest to the date.
func (d *Dataset) Convert(m Money, to string, at Date) (Conversion, error) {
	return d.RateTable().Convert(m, to, at)
}

// EachLink calls fn for every reference from r to another record, its
// evidence's sources included: role is what the target is to r, inverse what
// r is to the target. A visitor rather than a returned slice: Build walks
// every link of a million records twice.
func EachLink(r Record, fn func(to, role, inverse string)) {
	EachRef(r, func(ref Ref) {
		if ref.ID != "" {
			fn(ref.ID, ref.Role, ref.Inverse)
		}
	})
	EachEvidence(r, func(ev *Evidence) {
		if ev.Source != "" {
			fn(ev.Source, "source", "cites it")
		}
		for _, id := range ev.Cites {
			if id != "" {
				fn(id, "source", "cites it")
			}
		}
	})
}

// EvidenceSources lists the distinct source ids a record's evidence uses,
// nested evidence (people, footprints, phases, milestones, reports,
// conflicts) included.
func EvidenceSources(r Record) []string {
	var out []string
	EachEvidence(r, func(ev *Evidence) {
		for _, id := range append([]string{ev.Source}, ev.Cites...) {
			if id != "" && !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	})
	return out
}

// AllEvidence gathers a record's evidence, nested evidence included.
func AllEvidence(r Record) []Evidence {
	var evs []Evidence
	EachEvidence(r, func(ev *Evidence) { evs = append(evs, *ev) })
	return evs
}

// EachEvidence visits a record's evidence, nested evidence included, without
// copying it.
func EachEvidence(r Record, fn func(*Evidence)) {
	each := func(evs []Evidence) {
		for i := range evs {
			fn(&evs[i])
		}
	}
	b := r.RecordBase()
	each(b.Evidence)
	for _, c := range b.Conflicts {
		for _, v := range c.Values {
			each(v.Evidence)
		}
	}
	switch r := r.(type) {
	case *Company:
		for _, p := range r.People {
			each(p.Evidence)
		}
		for _, f := range r.Footprints {
			each(f.Evidence)
		}
	case *Facility:
		for _, p := range r.Phases {
			each(p.Evidence)
		}
		for _, m := range r.Milestones {
			each(m.Evidence)
		}
		for _, h := range r.StatusHistory {
			each(h.Evidence)
		}
	case *Investment:
		for _, rep := range r.Reports {
			each(rep.Evidence)
		}
	}
}

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

// Order is k's position in Kinds (len(kinds) for an unknown kind): the order
// tabs, ids and search results list kinds in.
func (k Kind) Order() int {
	for i, kk := range kinds {
		if kk == k {
			return i
		}
	}
	return len(kinds)
}
