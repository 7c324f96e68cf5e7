package notes

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/dcx-explorer/dcx/model"
)

// rowTables are the tables whose rows a map must name, by their prefix.
var rowTables = []struct{ title, prefix string }{
	{"Facilities", "F"}, {"Investments", "I"}, {"Announcements", "A"},
}

// assignRows checks that the maps of a document name each of its rows
// exactly once, and records the id each row becomes.
func (b *builder) assignRows(d *Doc, maps []Map) {
	type entry struct {
		id    string
		merge bool
		kind  model.Kind
	}
	named := map[string]entry{}
	note := func(row, id string, merge bool, kind model.Kind) {
		if _, dup := named[row]; dup {
			b.bad("%s: row %s is in the row maps twice", d.Name, row)
			return
		}
		named[row] = entry{id, merge, kind}
	}
	for _, m := range maps {
		for _, r := range m.Facilities {
			note(r.Row, r.ID, r.Merge, model.KindFacility)
		}
		for _, r := range m.Investments {
			note(r.Row, r.ID, r.Merge, model.KindInvestment)
		}
		for _, r := range m.Announcements {
			note(r.Row, r.ID, r.Merge, model.KindAnnouncement)
		}
	}
	rows := map[string]bool{}
	for _, t := range rowTables {
		tab := d.Tables[t.title]
		if tab == nil {
			b.bad("%s: no %s table", d.Name, t.title)
			continue
		}
		for _, r := range tab.Rows {
			rows[r.Key()] = true
			e, ok := named[r.Key()]
			if !ok {
				b.bad("%s:%d: row %s is in no row map", d.Name, r.Line, r.Key())
				continue
			}
			if !strings.HasPrefix(r.Key(), t.prefix) {
				b.bad("%s:%d: row %s of the %s table", d.Name, r.Line, r.Key(), t.title)
			}
			switch ex, exists := b.existing[e.id]; {
			case e.merge && !exists:
				b.bad("%s: row %s merges into %q, which the dataset does not hold", d.Name, r.Key(), e.id)
			case e.merge && ex.RecordKind() != e.kind:
				b.bad("%s: row %s merges into %q, %s, not %s", d.Name, r.Key(), e.id, ex.RecordKind(), e.kind)
			case !e.merge && exists:
				b.bad("%s: row %s: id %q is taken by the dataset (set merge if it is the same record)", d.Name, r.Key(), e.id)
			}
			b.out.Rows[d.Name][r.Key()] = e.id
		}
	}
	for row, e := range named {
		if !e.merge {
			if prev, dup := b.ids[e.id]; dup {
				b.bad("%s: row %s: id %q is also the id of %s", d.Name, row, e.id, prev)
			}
			b.ids[e.id] = d.Name + " " + row
		}
	}
	for row := range named {
		if !rows[row] {
			b.bad("%s: the row maps name %s, which is no row of the notes", d.Name, row)
		}
	}
}

func (b *builder) row(d *Doc, table, key string) (*Table, Row, bool) {
	t := d.Tables[table]
	if t != nil {
		for _, r := range t.Rows {
			if r.Key() == key {
				return t, r, true
			}
		}
	}
	return nil, Row{}, false
}

// rowAt finds a mapped row in its table: its cells, and where problems
// with it are reported ("americas.md:301 (F33)").
func (b *builder) rowAt(d *Doc, table, key string) (cells, string, bool) {
	t, r, ok := b.row(d, table, key)
	if !ok {
		return cells{}, "", false
	}
	return cells{t, r}, fmt.Sprintf("%s:%d (%s)", d.Name, r.Line, key), true
}

// cells reads a row's cells by header prefix.
type cells struct {
	t *Table
	r Row
}

func (c cells) get(prefix string) string {
	if i := c.t.Column(prefix); i >= 0 {
		return c.r.Cells[i]
	}
	return ""
}

func (b *builder) checkCompanies(where, field string, ids ...string) {
	for _, id := range ids {
		if id != "" && !b.companies[id] {
			b.bad("%s: %s %q: no company has this id (add it to extra_companies)", where, field, id)
		}
	}
}

// column is a cell of a row and the fields it can support.
type column struct {
	prefix string
	fields []string
}

var facilityColumns = []column{
	{"name", []string{"name"}}, {"aliases", []string{"aliases"}},
	{"operator", []string{"operator", "partners"}},
	{"owners", []string{"owners", "developers", "partners"}},
	{"tenants", []string{"tenants", "customers", "partners"}},
	{"city", []string{"city", "admin", "coords", "coords_from"}},
	{"country", []string{"country"}},
	{"status", []string{"status", "status_history"}},
	{"power", []string{"power_mw", "power_basis"}},
	{"GPUs", []string{"gpus", "gpu_model"}},
	{"capex", []string{"capex"}},
	{"key dates", []string{"milestones"}},
}

var investmentColumns = []column{
	{"investor", []string{"investor", "co_investors", "partners"}},
	{"what", []string{"title", "scope"}},
	{"amount", []string{"amount"}},
	{"period", []string{"period", "period_months"}},
	{"announced", []string{"announced"}},
	{"places", []string{"places"}},
	{"linked", []string{"facilities"}},
}

var announcementColumns = []column{
	{"date", []string{"date"}}, {"headline", []string{"headline", "summary"}}, {"companies", []string{"companies"}},
	{"places", []string{"places"}}, {"linked", []string{"records"}},
}

// evidence quotes each cell of the row that backs a field the record
// fills or marks as not found.
func (b *builder) evidence(d *Doc, c cells, cols []column, rec any, base *model.Base) []model.Evidence {
	filled := model.Filled(rec)
	var evs []model.Evidence
	for _, col := range cols {
		cell := c.get(col.prefix)
		if cell == "" {
			continue
		}
		var sup []string
		for _, f := range col.fields {
			if filled[f] || slices.Contains(base.NotFound, f) {
				sup = append(sup, f)
			}
		}
		if len(sup) == 0 {
			continue
		}
		ev := b.ev(d, cell, sup...)
		if notFound(cell) {
			ev.Note = "The notes found no value."
		}
		evs = append(evs, ev)
	}
	return evs
}

// autoNotFound marks the fields whose whole cell says NOT FOUND.
func autoNotFound(c cells, base *model.Base, pairs ...string) {
	for i := 0; i+1 < len(pairs); i += 2 {
		if cell := c.get(pairs[i]); strings.HasPrefix(cell, "NOT FOUND") && !slices.Contains(base.NotFound, pairs[i+1]) {
			base.NotFound = append(base.NotFound, pairs[i+1])
		}
	}
}

func aliases(cell string) []string {
	if notFound(cell) {
		return nil
	}
	var out []string
	for _, a := range splitTop(cell, ";") {
		a = strings.Trim(a, `" `)
		if a != "" && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

// merge keeps the evidence of a row whose record is hand-written.
func (b *builder) merge(d *Doc, table, key, id string, cols []column) {
	t, r, ok := b.row(d, table, key)
	rec, exists := b.existing[id]
	if !ok || !exists {
		return
	}
	base := *rec.RecordBase()
	b.out.Merges[id] = append(b.out.Merges[id], b.evidence(d, cells{t, r}, cols, rec, &base)...)
}

func (b *builder) facility(d *Doc, fr *FacilityRow) {
	if fr.Merge {
		b.merge(d, "Facilities", fr.Row, fr.ID, facilityColumns)
		return
	}
	c, where, ok := b.rowAt(d, "Facilities", fr.Row)
	if !ok {
		return // assignRows said so
	}
	b.checkCompanies(where, "operator", fr.Operator)
	b.checkCompanies(where, "owners", fr.Owners...)
	b.checkCompanies(where, "developers", fr.Developers...)
	b.checkCompanies(where, "tenants", fr.Tenants...)
	b.checkCompanies(where, "customers", fr.Customers...)
	b.checkCompanies(where, "partners", fr.Partners...)
	f := model.Facility{
		Base:       model.Base{ID: fr.ID, NotFound: fr.NotFound, ThirdParty: fr.ThirdParty, Notes: fr.Notes},
		Name:       fr.Name,
		Aliases:    aliases(c.get("aliases")),
		Operator:   fr.Operator,
		Owners:     fr.Owners,
		Developers: fr.Developers,
		Tenants:    fr.Tenants,
		Customers:  fr.Customers,
		Partners:   fr.Partners,
		PowerMW:    fr.PowerMW,
		PowerBasis: fr.PowerBasis,
		GPUs:       fr.GPUs,
		GPUModel:   fr.GPUModel,
		Capex:      fr.Capex,
	}
	if f.Name == "" {
		f.Name = c.get("name")
	}
	iso := strings.ToUpper(fr.Country)
	f.Country = b.country(d, iso, c.get("country"))
	if fr.Admin != "" && f.Country != "" {
		f.Admin = b.adminArea(d, fr.Admin, iso, f.Country, c.get("city"))
	}
	switch {
	case f.Country == "":
	case fr.City != "":
		f.City, f.Coords = b.city(d, fr.City, fr.Locate, iso, f.Country, f.Admin, fr.Admin, c.get("city"))
		if f.Coords != nil {
			f.CoordsFrom = "city"
		}
	case fr.Locate != "":
		if g, ok := b.in.Gazetteer.Lookup(fr.Locate, iso, fr.Admin); ok {
			f.Coords, f.CoordsFrom = &model.Coords{Lat: g.Lat, Lon: g.Lon}, "admin-area"
			ev := geoEvidence(g)
			ev.Supports = []string{"coords", "coords_from"}
			where := fr.Admin
			if where == "" {
				where = "the area the notes name"
			}
			ev.Note += fmt.Sprintf("; stands for %s, where the site is: the notes name no closer place", where)
			f.Evidence = append(f.Evidence, ev)
		} else {
			b.bad("%s: locate %q in %s: not in %s", where, fr.Locate, iso, GeoNamesFile)
		}
	default:
		if !slices.Contains(f.NotFound, "city") {
			f.NotFound = append(f.NotFound, "city")
		}
	}
	statusEv := b.ev(d, c.get("status"), "status_history")
	for i, s := range fr.Status {
		b.checkDate(where, fmt.Sprintf("status[%d].as_of", i), s.AsOf)
		f.StatusHistory = append(f.StatusHistory, model.StatusReport{Status: s.Status, AsOf: s.AsOf, Evidence: []model.Evidence{statusEv}})
	}
	if len(fr.Status) == 0 {
		b.bad("%s: no status: give at least one", where)
	} else {
		f.Status = fr.Status[len(fr.Status)-1].Status
	}
	datesEv := b.ev(d, c.get("key dates"), "milestones")
	for i, m := range fr.Milestones {
		b.checkDate(where, fmt.Sprintf("milestones[%d].date", i), m.Date)
		f.Milestones = append(f.Milestones, model.Milestone{Kind: m.Kind, Date: m.Date, Note: m.Note, Evidence: []model.Evidence{datesEv}})
	}
	autoNotFound(c, &f.Base, "power", "power_mw", "GPUs", "gpus", "capex", "capex", "operator", "operator")
	var single []model.Evidence
	f.Conflicts, single = b.conflicts(d, where, c.get("conflicts"), fr.ConflictFields, false)
	f.Evidence = append(b.evidence(d, c, facilityColumns, &f, &f.Base), append(f.Evidence, single...)...)
	b.out.Facilities = append(b.out.Facilities, f)
}

func (b *builder) checkDate(where, field string, dt model.Date) {
	if _, _, err := model.ParseDateValue(dt.Value); err != nil {
		b.bad("%s: %s: %v", where, field, err)
	}
}

var linkRe = regexp.MustCompile(`\b([FI][0-9]+)\b`)

// links resolves the F#/I# references of a cell to ids.
func (b *builder) links(d *Doc, where, cell string) []string {
	var ids []string
	for _, m := range linkRe.FindAllStringSubmatch(cell, -1) {
		id, ok := b.out.Rows[d.Name][m[1]]
		if !ok {
			b.bad("%s: linked row %s: no such row", where, m[1])
			continue
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

func (b *builder) investment(d *Doc, ir *InvestmentRow) {
	if ir.Merge {
		b.merge(d, "Investments", ir.Row, ir.ID, investmentColumns)
		return
	}
	c, where, ok := b.rowAt(d, "Investments", ir.Row)
	if !ok {
		return // assignRows said so
	}
	b.checkCompanies(where, "investor", ir.Investor)
	b.checkCompanies(where, "co_investors", ir.CoInvestors...)
	b.checkCompanies(where, "partners", ir.Partners...)
	b.checkDate(where, "announced", ir.Announced)
	if ir.Title == "" || ir.Investor == "" {
		b.bad("%s: an investment needs a title and an investor", where)
	}
	inv := model.Investment{
		Base:         model.Base{ID: ir.ID, NotFound: ir.NotFound, ThirdParty: ir.ThirdParty, Notes: ir.Notes},
		Title:        ir.Title,
		Investor:     ir.Investor,
		CoInvestors:  ir.CoInvestors,
		Partners:     ir.Partners,
		Period:       ir.Period,
		PeriodMonths: ir.PeriodMonths,
		Scope:        ir.Scope,
		Announced:    ir.Announced,
		Places:       b.placeRefs(d, where, ir.Places, c.get("places")),
		Facilities:   b.links(d, where, c.get("linked")),
	}
	inv.Amount = ir.Amount
	if ir.Amount == nil && !slices.Contains(inv.NotFound, "amount") {
		inv.NotFound = append(inv.NotFound, "amount")
	}
	var single []model.Evidence
	inv.Conflicts, single = b.conflicts(d, where, c.get("conflicts"), ir.ConflictFields, true)
	inv.Evidence = append(b.evidence(d, c, investmentColumns, &inv, &inv.Base), single...)
	b.out.Investments = append(b.out.Investments, inv)
}

func (b *builder) announcement(d *Doc, ar *AnnouncementRow) {
	if ar.Merge {
		b.merge(d, "Announcements", ar.Row, ar.ID, announcementColumns)
		return
	}
	c, where, ok := b.rowAt(d, "Announcements", ar.Row)
	if !ok {
		return // assignRows said so
	}
	b.checkCompanies(where, "companies", ar.Companies...)
	a := model.Announcement{
		Base:      model.Base{ID: ar.ID, Notes: ar.Notes},
		Headline:  c.get("headline"),
		Summary:   ar.Summary,
		Kind:      ar.Kind,
		Companies: ar.Companies,
		Places:    b.placeRefs(d, where, ar.Places, c.get("places")),
		Records:   b.links(d, where, c.get("linked")),
	}
	if ar.Date != nil {
		a.Date = *ar.Date
	} else if dt, err := ParseDateCell(c.get("date")); err != nil {
		b.bad("%s: date: %v (give the date in the row map)", where, err)
	} else {
		a.Date = dt
	}
	b.checkDate(where, "date", a.Date)
	a.Evidence = b.evidence(d, c, announcementColumns, &a, &a.Base)
	b.out.Announcements = append(b.out.Announcements, a)
}

var (
	arrowDateRe = regexp.MustCompile(`^(.*?)→\s*(?:reported\s+)?(\d{4}(?:-(?:Q[1-4]|H[12]|\d{2}(?:-\d{2})?))?)\b\s*(?:\(([^)]*)\))?`)
	bareDateRe  = regexp.MustCompile(`^(?:reported\s+)?(\d{4}(?:-(?:Q[1-4]|\d{2}(?:-\d{2})?))?)\b\s*(?:\(([^)]*)\))?`)
)

// ParseDateCell reads the notes' date form, `"Thursday" → 2024-04-25 (day)`:
// the phrase as stated, the absolute value, its precision and whether it
// was inferred. A half year ("2026-H2") keeps the year, the half stated.
func ParseDateCell(cell string) (model.Date, error) {
	var stated, value, paren string
	if m := arrowDateRe.FindStringSubmatch(cell); m != nil {
		stated, value, paren = strings.TrimSpace(m[1]), m[2], m[3]
	} else if m := bareDateRe.FindStringSubmatch(cell); m != nil {
		value, paren = m[1], m[2]
	} else {
		return model.Date{}, fmt.Errorf("%q: no date of the form \"as stated\" → YYYY-MM-DD (precision)", cell)
	}
	if len(value) == 7 && value[5] == 'H' {
		if stated == "" {
			stated = value
		}
		value = value[:4]
	}
	// `"Monday" May 20` stays as written; `interview "on Monday"` keeps
	// the quoted words, which are what the source said.
	if i := strings.Index(stated, `"`); i > 0 {
		if j := strings.Index(stated[i+1:], `"`); j >= 0 {
			stated = stated[i+1 : i+1+j]
		}
	}
	dt := model.Date{Value: value, AsStated: strings.Trim(stated, `" `)}
	if strings.Contains(paren, "inferred") {
		dt.Inferred = true
		dt.Basis = "Research notes: " + paren + "."
	}
	if _, _, err := model.ParseDateValue(value); err != nil {
		return model.Date{}, err
	}
	return dt, nil
}
