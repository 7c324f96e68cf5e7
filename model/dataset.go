package model

import (
	"fmt"
	"sort"
	"strings"
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

	records []Record
	byID    map[string]Record
	byKind  map[Kind][]Record
	related map[string][]Relation
	rates   *RateTable
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
	d.byID = make(map[string]Record, n)
	d.byKind = make(map[Kind][]Record, len(Kinds))
	for _, r := range d.records {
		id := r.RecordID()
		if prev, dup := d.byID[id]; dup {
			return fmt.Errorf("duplicate id %q (a %s and a %s)", id, prev.RecordKind(), r.RecordKind())
		}
		d.byID[id] = r
		d.byKind[r.RecordKind()] = append(d.byKind[r.RecordKind()], r)
	}
	d.rates = NewRateTable(d.Rates)
	d.buildRelations()
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
	r, ok := d.byID[id]
	return r, ok
}

// ByKind returns the records of one kind, in file order.
func (d *Dataset) ByKind(k Kind) []Record { return d.byKind[k] }

// Related returns the records linked to id, both the ones it names and the
// ones that name it, grouped by kind and then by title.
func (d *Dataset) Related(id string) []Relation { return d.related[id] }

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

// link is one reference from a record to another: role is what the target is
// to the source, inverse what the source is to the target.
type link struct {
	to, role, inverse string
}

func links(r Record) []link {
	var ls []link
	add := func(role, inverse string, ids ...string) {
		for _, id := range ids {
			if id != "" {
				ls = append(ls, link{id, role, inverse})
			}
		}
	}
	switch r := r.(type) {
	case *Company:
		add("parent", "subsidiary", r.Parent)
		add("country", "company", r.Country)
	case *Place:
		add("country", "city", r.Country)
		add("country in area", "area", r.Contains...)
	case *Region:
		add("provider", "region", r.Provider)
		add("city", "region", r.City)
		add("country", "region", r.Country)
	case *Zone:
		add("region", "zone", r.Region)
	case *Facility:
		add("operator", "operates", r.Operator)
		add("owner", "owns", r.Owners...)
		add("partner", "partner in", r.Partners...)
		add("customer", "customer of", r.Customers...)
		add("city", "facility", r.City)
		add("country", "facility", r.Country)
		add("investment", "facility", r.Investment)
	case *Investment:
		add("investor", "investment", r.Investor)
		add("place", "investment", r.Places...)
	case *Announcement:
		add("company", "announcement", r.Companies...)
		add("place", "announcement", r.Places...)
		add("concerns", "announcement", r.Records...)
	}
	for _, src := range EvidenceSources(r) {
		add("source", "cites it", src)
	}
	return ls
}

// EvidenceSources lists the distinct source ids a record's evidence uses,
// nested evidence (people, footprints, phases, milestones, reports,
// conflicts) included.
func EvidenceSources(r Record) []string {
	seen := map[string]bool{}
	var out []string
	for _, ev := range AllEvidence(r) {
		for _, id := range append([]string{ev.Source}, ev.Cites...) {
			if id != "" && !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	return out
}

// AllEvidence gathers a record's evidence, nested evidence included.
func AllEvidence(r Record) []Evidence {
	b := r.RecordBase()
	evs := append([]Evidence(nil), b.Evidence...)
	for _, c := range b.Conflicts {
		for _, v := range c.Values {
			evs = append(evs, v.Evidence...)
		}
	}
	switch r := r.(type) {
	case *Company:
		for _, p := range r.People {
			evs = append(evs, p.Evidence...)
		}
		for _, f := range r.Footprints {
			evs = append(evs, f.Evidence...)
		}
	case *Facility:
		for _, p := range r.Phases {
			evs = append(evs, p.Evidence...)
		}
		for _, m := range r.Milestones {
			evs = append(evs, m.Evidence...)
		}
	case *Investment:
		for _, rep := range r.Reports {
			evs = append(evs, rep.Evidence...)
		}
	}
	return evs
}

func (d *Dataset) buildRelations() {
	d.related = make(map[string][]Relation, len(d.records))
	type key struct{ from, to, role string }
	seen := map[key]bool{}
	addRel := func(from string, role string, to Record) {
		k := key{from, to.RecordID(), role}
		if seen[k] || from == to.RecordID() {
			return
		}
		seen[k] = true
		d.related[from] = append(d.related[from], Relation{Role: role, Record: to})
	}
	for _, r := range d.records {
		for _, l := range links(r) {
			target, ok := d.byID[l.to]
			if !ok {
				continue
			}
			addRel(r.RecordID(), l.role, target)
			// Sources list what cites them, but a source's own page need not
			// be repeated on every record it backs: the inverse is kept.
			addRel(l.to, l.inverse, r)
		}
	}
	// A place also relates to what lies in the countries it contains (an area)
	// or in its cities (a country), so "place → everything in it" holds.
	for _, p := range d.byKind[KindPlace] {
		place := p.(*Place)
		var inside []string
		if place.Kind == PlaceArea {
			inside = place.Contains
		}
		for _, c := range inside {
			for _, rel := range d.related[c] {
				if rel.Role == "source" || rel.Role == "area" {
					continue
				}
				addRel(place.ID, rel.Role, rel.Record)
			}
		}
	}
	// Sort keys are computed once per relation, not in the comparison: at a
	// million records lower-casing titles inside the sort dominated Build.
	for _, rels := range d.related {
		rs := relSorter{rels: rels, kinds: make([]int, len(rels)), titles: make([]string, len(rels))}
		for i, r := range rels {
			rs.kinds[i] = kindOrder(r.Record.RecordKind())
			rs.titles[i] = strings.ToLower(r.Record.RecordTitle())
		}
		sort.Stable(rs)
	}
}

// relSorter orders relations by kind, then by lower-cased title.
type relSorter struct {
	rels   []Relation
	kinds  []int
	titles []string
}

func (s relSorter) Len() int { return len(s.rels) }
func (s relSorter) Less(i, j int) bool {
	if s.kinds[i] != s.kinds[j] {
		return s.kinds[i] < s.kinds[j]
	}
	return s.titles[i] < s.titles[j]
}
func (s relSorter) Swap(i, j int) {
	s.rels[i], s.rels[j] = s.rels[j], s.rels[i]
	s.kinds[i], s.kinds[j] = s.kinds[j], s.kinds[i]
	s.titles[i], s.titles[j] = s.titles[j], s.titles[i]
}

func kindOrder(k Kind) int {
	for i, kk := range Kinds {
		if kk == k {
			return i
		}
	}
	return len(Kinds)
}
