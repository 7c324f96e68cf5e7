package model

import (
	"fmt"
	"slices"
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
			fn(ev.Source, "source", "cited by")
		}
		for _, id := range ev.Cites {
			if id != "" {
				fn(id, "source", "cited by")
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
