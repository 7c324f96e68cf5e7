package data

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/dcx-explorer/dcx/model"
)

// The checks of each file section, in section order, as the two halves
// validate runs at once.
var (
	checksFirst  = []func(*checker, *model.Dataset){checkSources, checkCompanies, checkPlaces, checkRegions, checkFacilities, checkInvestments}
	checksSecond = []func(*checker, *model.Dataset){checkAnnouncements, checkRates}
)

// validate builds the dataset and checks every record. It returns whether
// the dataset was built (no duplicate ids).
func (l *loader) validate() bool {
	ds := l.ds
	get := ds.Get
	built := ds.Build() == nil
	if !built {
		get = l.duplicates()
	}
	var quotes map[string]quoteDoc
	if l.opts.CheckQuotes || l.opts.QuoteDir != "" {
		quotes = l.quoteDocs(get)
	}
	// The checks only read the built dataset, so the sections are split
	// between two goroutines, sources to investments and then announcements
	// and rates: about the same work each in a synthetic million-record file.
	first := &checker{get: get, quotes: quotes, records: l.ds.Len()}
	second := &checker{get: get, quotes: quotes, records: l.ds.Len()}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, check := range checksFirst {
			check(first, ds)
		}
	}()
	for _, check := range checksSecond {
		check(second, ds)
	}
	<-done
	l.pending = append(l.pending, first.pending...)
	l.pending = append(l.pending, second.pending...)
	l.dropped += first.dropped + second.dropped
	return built
}

func checkSources(c *checker, ds *model.Dataset) {
	c.sec = secSources
	for i := range ds.Sources {
		c.rec = i
		r := &ds.Sources[i]
		// A source is itself the document: evidence on it is optional.
		c.base(&r.Base, false)
		if r.Language != "" && !isLanguageTag(r.Language) {
			c.bad("language", r.Language, `want a BCP 47 language tag such as "it" or "en"`)
		}
		if r.URL != "" {
			if u, err := url.Parse(r.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				c.bad("url", r.URL, "want an absolute http or https URL")
			}
		}
		if r.Published != nil {
			c.date("published", *r.Published)
		}
		enum(c, "kind", r.Kind, sourceKinds, "source kind")
		if r.Quality != "" {
			enum(c, "quality", r.Quality, sourceQualities, "source quality")
		}
		for j, id := range r.Rewrites {
			if id == r.ID {
				c.bad(at("rewrites", j), id, "a source cannot rewrite itself")
				continue
			}
			c.ref(at("rewrites", j), id, aSource)
		}
		if r.File != "" && (strings.ContainsAny(r.File, `/\`) || r.File == "." || r.File == "..") {
			c.bad("file", r.File, "want a file name, not a path")
		}
	}

}

func checkCompanies(c *checker, ds *model.Dataset) {
	c.sec = secCompanies
	for i := range ds.Companies {
		c.rec = i
		r := &ds.Companies[i]
		c.base(&r.Base, true)
		enum(c, "kind", r.Kind, companyKinds, "company kind")
		c.ref("country", r.Country, aCountry)
		if r.Parent != "" && r.Parent == r.ID {
			c.bad("parent", r.Parent, "a company cannot be its own parent")
		} else if _, ok := c.ref("parent", r.Parent, aCompany); ok && parentLoops(c.get, r) {
			c.bad("parent", r.Parent, "the chain of parents loops back to this company")
		}
		for j, p := range r.People {
			c.evidence(join(at("people", j), "evidence"), p.Evidence, false)
		}
		for j, f := range r.Footprints {
			rel := at("footprints", j)
			c.date(join(rel, "as_of"), f.AsOf)
			c.nonNegative(join(rel, "regions"), float64(f.Regions))
			c.nonNegative(join(rel, "zones"), float64(f.Zones))
			c.evidence(join(rel, "evidence"), f.Evidence, true)
		}
	}

}

func checkPlaces(c *checker, ds *model.Dataset) {
	c.sec = secPlaces
	for i := range ds.Places {
		c.rec = i
		r := &ds.Places[i]
		c.base(&r.Base, true)
		enum(c, "kind", r.Kind, placeKinds, "place kind")
		switch r.Kind {
		case model.PlaceCountry:
			if !isCountryCode(r.Code) {
				c.bad("code", r.Code, "a country needs its ISO 3166-1 alpha-2 code (two upper-case letters)")
			}
		case model.PlaceCity, model.PlaceAdminArea:
			if r.Country == "" {
				c.bad("country", "", "a city or an admin area needs the id of its country")
			}
		}
		if r.Kind != model.PlaceCity && r.Kind != model.PlaceAdminArea && r.Country != "" {
			c.bad("country", r.Country, "only a city or an admin area names a country")
		} else {
			c.ref("country", r.Country, aCountry)
		}
		if r.Admin != "" {
			if r.Kind != model.PlaceCity && r.Kind != model.PlaceAdminArea {
				c.bad("admin", r.Admin, "only a city or an admin area lies in an admin area")
			} else if r.Admin == r.ID {
				c.bad("admin", r.Admin, "a place cannot lie in itself")
			} else if a, ok := c.ref("admin", r.Admin, anAdminArea); ok {
				c.sameCountryAs("admin", a, r.Country)
			}
		}
		if r.Kind != model.PlaceArea && len(r.Contains) > 0 {
			c.bad("contains", "", "only an area contains countries")
		} else {
			c.refs("contains", r.Contains, aCountry)
		}
		c.coords("coords", r.Coords)
	}

}

func checkRegions(c *checker, ds *model.Dataset) {
	c.sec = secRegions
	for i := range ds.Regions {
		c.rec = i
		r := &ds.Regions[i]
		c.base(&r.Base, true)
		c.ref("provider", r.Provider, aCompany)
		city, cityOK := c.ref("city", r.City, aCity)
		if _, ok := c.ref("country", r.Country, aCountry); ok && cityOK {
			c.sameCountry(city, r.Country)
		}
		c.coords("coords", r.Coords)
		if r.Zones != nil {
			c.nonNegative("zones", float64(*r.Zones))
			if *r.Zones >= 0 && len(r.ZoneIDs) > *r.Zones {
				c.bad("zone_ids", strconv.Itoa(len(r.ZoneIDs)), fmt.Sprintf("lists more zone ids than the region's %d zones", *r.Zones))
			}
		}
		for j, z := range r.ZoneIDs {
			if !isSlug(z) {
				c.bad(at("zone_ids", j), z, "a zone code must be a lower-case slug (it becomes part of the zone's id)")
			}
		}
		enum(c, "status", r.Status, regionStatuses, "region status")
		c.date("as_of", r.AsOf)
	}

}

func checkFacilities(c *checker, ds *model.Dataset) {
	c.sec = secFacilities
	for i := range ds.Facilities {
		c.rec = i
		r := &ds.Facilities[i]
		c.base(&r.Base, true)
		c.ref("operator", r.Operator, aCompany)
		c.refs("owners", r.Owners, aCompany)
		c.refs("partners", r.Partners, aCompany)
		c.refs("customers", r.Customers, aCompany)
		c.refs("developers", r.Developers, aCompany)
		c.refs("tenants", r.Tenants, aCompany)
		city, cityOK := c.ref("city", r.City, aCity)
		if _, ok := c.ref("country", r.Country, aCountry); ok && cityOK {
			c.sameCountry(city, r.Country)
		}
		if a, ok := c.ref("admin", r.Admin, anAdminArea); ok {
			c.sameCountryAs("admin", a, r.Country)
		}
		c.coords("coords", r.Coords)
		if r.CoordsFrom != "" {
			if !known(r.CoordsFrom, coordsFroms) {
				c.bad("coords_from", r.CoordsFrom, "unknown; want one of: "+listOf(coordsFroms))
			} else if r.Coords == nil {
				c.bad("coords_from", r.CoordsFrom, "says where coords come from, but there are no coords")
			}
		}
		if r.PowerBasis != "" {
			if !known(r.PowerBasis, powerBases) {
				c.bad("power_basis", r.PowerBasis, "unknown; want one of: "+listOf(powerBases))
			} else if r.PowerMW == nil {
				c.bad("power_basis", r.PowerBasis, "says what power_mw measures, but there is no power_mw")
			}
		}
		for j, h := range r.StatusHistory {
			rel := at("status_history", j)
			enum(c, join(rel, "status"), h.Status, facilityStatuses, "facility status")
			c.date(join(rel, "as_of"), h.AsOf)
			c.evidence(join(rel, "evidence"), h.Evidence, true)
		}
		if n := len(r.StatusHistory); n > 0 && r.StatusHistory[n-1].Status != r.Status {
			c.bad("status", string(r.Status), fmt.Sprintf("differs from the latest status reported, %q (status_history[%d])", r.StatusHistory[n-1].Status, n-1))
		}
		if r.PowerMW != nil {
			c.inRange("power_mw", *r.PowerMW, maxMW, "MW")
		}
		for j, p := range r.Phases {
			rel := at("phases", j)
			c.inRange(join(rel, "power_mw"), p.PowerMW, maxMW, "MW")
			if p.Target != nil {
				c.date(join(rel, "target"), *p.Target)
			}
			c.evidence(join(rel, "evidence"), p.Evidence, true)
		}
		if r.GPUs != nil {
			c.inRange("gpus", float64(*r.GPUs), maxGPUs, "GPUs")
		}
		enum(c, "status", r.Status, facilityStatuses, "facility status")
		for j, m := range r.Milestones {
			rel := at("milestones", j)
			enum(c, join(rel, "kind"), m.Kind, milestoneKinds, "milestone kind")
			c.date(join(rel, "date"), m.Date)
			c.evidence(join(rel, "evidence"), m.Evidence, true)
		}
		if r.Capex != nil {
			c.money("capex", *r.Capex)
		}
		c.ref("investment", r.Investment, anInvestmnt)
	}

}

func checkInvestments(c *checker, ds *model.Dataset) {
	c.sec = secInvestments
	for i := range ds.Investments {
		c.rec = i
		r := &ds.Investments[i]
		c.base(&r.Base, true)
		c.ref("investor", r.Investor, aCompany)
		c.refs("co_investors", r.CoInvestors, aCompany)
		c.refs("partners", r.Partners, aCompany)
		c.refs("facilities", r.Facilities, aFacility)
		if r.Amount != nil {
			c.money("amount", *r.Amount)
		} else if !slices.Contains(r.NotFound, "amount") {
			c.bad("amount", "", `missing: give the amount, or say "amount" in not_found when the sources give none`)
		}
		c.nonNegative("period_months", float64(r.PeriodMonths))
		c.refs("places", r.Places, aPlace)
		c.date("announced", r.Announced)
		for j, rep := range r.Reports {
			rel := at("reports", j)
			c.money(join(rel, "amount"), rep.Amount)
			c.evidence(join(rel, "evidence"), rep.Evidence, true)
		}
	}

}

func checkAnnouncements(c *checker, ds *model.Dataset) {
	c.sec = secAnnouncements
	for i := range ds.Announcements {
		c.rec = i
		r := &ds.Announcements[i]
		c.base(&r.Base, true)
		c.date("date", r.Date)
		enum(c, "kind", r.Kind, announcementKinds, "announcement kind")
		c.refs("companies", r.Companies, aCompany)
		c.refs("places", r.Places, aPlace)
		for j, id := range r.Records {
			if id == "" {
				c.bad(at("records", j), "", "must not be empty")
				continue
			}
			if id == r.ID {
				c.bad(at("records", j), id, "an announcement cannot concern itself")
				continue
			}
			c.ref(at("records", j), id, anyRecord)
		}
	}

}

func checkRates(c *checker, ds *model.Dataset) {
	c.sec = secRates
	for i := range ds.Rates {
		c.rec = i
		r := &ds.Rates[i]
		for _, leg := range []struct{ field, code string }{{"base", r.Base}, {"quote", r.Quote}} {
			if ok := model.KnownCurrency(leg.code); leg.code != "" && !ok {
				c.bad(leg.field, leg.code, "unknown currency; want an ISO 4217 code, one of "+strings.Join(model.CurrencyCodes(), ", "))
			}
		}
		if r.Base != "" && r.Base == r.Quote {
			c.bad("quote", r.Quote, "a rate needs two different currencies")
		}
		if r.Value <= 0 {
			c.bad("value", num(r.Value), "a rate must be positive")
		}
		c.date("date", r.Date)
		enum(c, "origin", r.Origin, rateOrigins, "rate origin")
		c.evidence("evidence", r.Evidence, true)
		if r.Disputed != "" {
			// Conversion drops a disputed rate; the mark must point at the
			// disagreement that justifies it.
			if r.Origin == model.RateReference {
				c.bad("disputed", r.Disputed, "a reference rate is published, not read off a figure; only an implied rate can be disputed")
			}
			if rec, ok := c.ref("disputed", r.Disputed, anyRecord); ok && len(rec.RecordBase().Conflicts) == 0 {
				c.bad("disputed", r.Disputed, "the record has no conflicts; name the record whose conflict questions the figure this rate is implied from")
			}
		}
	}
}

// parentLoops reports whether following parents from r comes back to r.
func parentLoops(get func(string) (model.Record, bool), r *model.Company) bool {
	seen := map[string]bool{r.ID: true}
	for id := r.Parent; id != ""; {
		if seen[id] {
			return id == r.ID
		}
		seen[id] = true
		next, ok := get(id)
		co, isCo := next.(*model.Company)
		if !ok || !isCo {
			return false
		}
		id = co.Parent
	}
	return false
}

// duplicates reports every id used twice, naming where it was first used,
// and returns a lookup that resolves each id to its first record (Build
// stops at the first duplicate, so its index cannot be used).
func (l *loader) duplicates() func(string) (model.Record, bool) {
	ds := l.ds
	type first struct {
		sec, rec int
		rel      string
		r        model.Record
	}
	index := map[string]first{}
	add := func(sec, rec int, rel, id, value string, r model.Record) {
		if id == "" {
			return
		}
		f, dup := index[id]
		if !dup {
			index[id] = first{sec, rec, rel, r}
			return
		}
		if sec == f.sec && rec == f.rec {
			l.report(sec, rec, rel, value, "zone code listed twice in this region")
			return
		}
		loc := l.locs[f.sec][f.rec]
		where := fmt.Sprintf("%s (%s:%d:%d)", l.recordPath(f.sec, f.rec), l.files[loc.file].name, loc.line, loc.col)
		l.report(sec, rec, rel, value, "duplicate id; first used by "+where)
	}
	for i := range ds.Sources {
		add(secSources, i, "id", ds.Sources[i].ID, ds.Sources[i].ID, &ds.Sources[i])
	}
	for i := range ds.Companies {
		add(secCompanies, i, "id", ds.Companies[i].ID, ds.Companies[i].ID, &ds.Companies[i])
	}
	for i := range ds.Places {
		add(secPlaces, i, "id", ds.Places[i].ID, ds.Places[i].ID, &ds.Places[i])
	}
	zone := 0
	for i := range ds.Regions {
		add(secRegions, i, "id", ds.Regions[i].ID, ds.Regions[i].ID, &ds.Regions[i])
		for j := range ds.Regions[i].ZoneIDs {
			// Build derived the zones, region by region, before it failed.
			if zone < len(ds.Zones) {
				add(secRegions, i, at("zone_ids", j), ds.Zones[zone].ID, ds.Zones[zone].Code, &ds.Zones[zone])
			}
			zone++
		}
	}
	for i := range ds.Facilities {
		add(secFacilities, i, "id", ds.Facilities[i].ID, ds.Facilities[i].ID, &ds.Facilities[i])
	}
	for i := range ds.Investments {
		add(secInvestments, i, "id", ds.Investments[i].ID, ds.Investments[i].ID, &ds.Investments[i])
	}
	for i := range ds.Announcements {
		add(secAnnouncements, i, "id", ds.Announcements[i].ID, ds.Announcements[i].ID, &ds.Announcements[i])
	}
	return func(id string) (model.Record, bool) {
		f, ok := index[id]
		return f.r, ok
	}
}

// quoteDocs reads the documents that sources name in "file", from
// Options.QuoteDir or else the built-in copies, reporting sources whose file
// is in neither.
func (l *loader) quoteDocs(get func(string) (model.Record, bool)) map[string]quoteDoc {
	docs := map[string]quoteDoc{}
	texts := map[string]string{}
	for i := range l.ds.Sources {
		s := &l.ds.Sources[i]
		if s.File == "" || strings.ContainsAny(s.File, `/\`) {
			continue
		}
		text, ok := texts[s.File]
		if !ok {
			b, err := l.readDocument(s.File)
			if err != nil {
				l.report(secSources, i, "file", s.File, err.Error())
				continue
			}
			text = string(b)
			texts[s.File] = text
		}
		docs[s.ID] = quoteDoc{file: s.File, text: text}
	}
	return docs
}

// readDocument finds a source's document: in QuoteDir first, so a user can
// check their own documents or a newer copy, then among the built-in ones.
func (l *loader) readDocument(name string) ([]byte, error) {
	if dir := l.opts.QuoteDir; dir != "" {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err == nil || !errors.Is(err, fs.ErrNotExist) {
			if err != nil {
				return nil, fmt.Errorf("cannot read the document in %s: %s", dir, errMsg(err))
			}
			return b, nil
		}
	}
	if b, err := fs.ReadFile(documents, "documents/"+name); err == nil {
		return b, nil
	}
	where := "among dcx's built-in documents"
	if l.opts.QuoteDir != "" {
		where = "in " + l.opts.QuoteDir + " or " + where
	}
	return nil, fmt.Errorf("document not found %s (give its folder with --quotes DIR)", where)
}

func errMsg(err error) string {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err.Error()
	}
	return err.Error()
}
