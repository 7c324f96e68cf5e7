package ui

import (
	"cmp"
	"math"
	"strings"

	"github.com/dcx-explorer/dcx/model"
)

// column is one column of a browse table.
type column struct {
	title string
	// min and max bound the width; flex shares out the remaining width by
	// weight (0 keeps the column at min).
	min, max, flex int
	right          bool
	// money columns depend on the display currency.
	money bool
	// text columns get their search matches highlighted.
	text bool
	// keep columns are never cut (dates, codes, numbers: a part of them is
	// no value at all); middle columns lose their middle rather than their
	// end when cut; inherit columns are blank on a row that follows one of
	// its group (a zone under its region), filled on a row shown alone.
	keep, middle, inherit bool
	// cell formats a record for the column in display currency cur ("" for
	// the original one): the currency is the only session choice a cell
	// depends on, so it is an argument, never read from a session.
	cell func(c namer, cur string, r model.Record) string
	// key orders rows. It depends on the dataset alone (amounts compare in
	// USD), so the catalog shares its orders between sessions.
	key func(c namer, r model.Record) sortKey
}

// sortKey orders rows: numbers compare as numbers with unknown (NaN) last,
// text compares case-insensitively.
type sortKey struct {
	num bool
	f   float64
	s   string
}

// compareKeys orders sort keys: numbers ascending with unknown (NaN) last,
// text ascending with empty last.
func compareKeys(a, b sortKey) int {
	if a.num {
		an, bn := math.IsNaN(a.f), math.IsNaN(b.f)
		switch {
		case an && bn:
			return 0
		case an:
			return 1
		case bn:
			return -1
		}
		return cmp.Compare(a.f, b.f)
	}
	if (a.s == "") != (b.s == "") {
		if a.s != "" {
			return -1
		}
		return 1
	}
	return strings.Compare(a.s, b.s)
}

// blankKey reports an unknown number or an empty text: what sorts last.
func blankKey(k sortKey) bool { return k.num && math.IsNaN(k.f) || !k.num && k.s == "" }

func textKey(s string) sortKey { return sortKey{s: strings.ToLower(s)} }
func numKey(f float64) sortKey { return sortKey{num: true, f: f} }

// tabSpec describes one tab: its kinds and its columns.
type tabSpec struct {
	name    string
	medium  string
	short   string
	aliases []string
	kinds   []model.Kind
	cols    []column
	// order is the column the tab's own order follows, with desc for
	// largest or newest first; none keeps the dataset's order.
	order *tabOrder
}

// tabOrder is a tab's default order: by a column's key, blanks last.
type tabOrder struct {
	col  int
	desc bool
}

// tabSpecs returns the six tabs. Built per session (no package state); it is
// cheap.
func tabSpecs() []tabSpec {
	return []tabSpec{
		{
			name: "Announcements", medium: "Announcements", short: "News", aliases: []string{"announcements", "announcement", "news"},
			kinds: []model.Kind{model.KindAnnouncement},
			// Newest first, as a news feed reads.
			order: &tabOrder{col: 0, desc: true},
			cols: []column{
				{title: "Date", min: 12, max: 20, keep: true,
					cell: func(c namer, _ string, r model.Record) string { return r.(*model.Announcement).Date.Display() },
					key:  func(c namer, r model.Record) sortKey { return sortKey{s: r.(*model.Announcement).Date.Sortable()} }},
				{title: "Headline", min: 16, max: 90, flex: 5, text: true,
					cell: func(c namer, _ string, r model.Record) string { return clean(r.(*model.Announcement).Headline) },
					key:  func(c namer, r model.Record) sortKey { return textKey(r.(*model.Announcement).Headline) }},
				{title: "Companies", min: 10, max: 40, flex: 2, text: true,
					cell: func(c namer, _ string, r model.Record) string { return c.names(r.(*model.Announcement).Companies) },
					key:  func(c namer, r model.Record) sortKey { return textKey(c.names(r.(*model.Announcement).Companies)) }},
				{title: "Places", min: 8, max: 30, flex: 1, text: true,
					cell: func(c namer, _ string, r model.Record) string { return c.placeNames(r.(*model.Announcement).Places) },
					key:  func(c namer, r model.Record) sortKey { return textKey(c.placeNames(r.(*model.Announcement).Places)) }},
			},
		},
		{
			name: "Companies", medium: "Companies", short: "Cos", aliases: []string{"companies", "company"},
			kinds: []model.Kind{model.KindCompany},
			order: &tabOrder{col: 0},
			cols: []column{
				{title: "Name", min: 14, max: 40, flex: 3, text: true,
					cell: func(c namer, _ string, r model.Record) string { return clean(r.(*model.Company).Name) },
					key:  func(c namer, r model.Record) sortKey { return textKey(r.(*model.Company).Name) }},
				{title: "Kind", min: 14, max: 16,
					cell: func(c namer, _ string, r model.Record) string { return string(r.(*model.Company).Kind) },
					key:  func(c namer, r model.Record) sortKey { return textKey(string(r.(*model.Company).Kind)) }},
				{title: "Country", min: 8, max: 24, flex: 1, text: true,
					cell: func(c namer, _ string, r model.Record) string { return c.placeName(r.(*model.Company).Country) },
					key:  func(c namer, r model.Record) sortKey { return textKey(c.placeName(r.(*model.Company).Country)) }},
				// Two figures that differ on purpose: the footprint the
				// company reports (all its regions, at a date) and the
				// regions this dataset lists, which the Regions tab shows.
				{title: "Reported", min: 10, max: 16, right: true, keep: true,
					cell: func(c namer, _ string, r model.Record) string {
						return footprintCell(c.companyFootprint(r.(*model.Company)))
					},
					key: func(c namer, r model.Record) sortKey { return intKey(c.companyFootprint(r.(*model.Company)).Regions) }},
				{title: "Regions", min: 7, max: 7, right: true, keep: true,
					cell: func(c namer, _ string, r model.Record) string { return intCell(c.countProvided(r)) },
					key:  func(c namer, r model.Record) sortKey { return intKey(c.countProvided(r)) }},
				{title: "Facilities", min: 10, max: 10, right: true, keep: true,
					cell: func(c namer, _ string, r model.Record) string { return intCell(c.countRelated(r, model.KindFacility)) },
					key:  func(c namer, r model.Record) sortKey { return intKey(c.countRelated(r, model.KindFacility)) }},
			},
		},
		{
			name: "Regions & zones", medium: "Regions", short: "Regions", aliases: []string{"regions", "region", "zones", "zone", "regions-zones"},
			kinds: []model.Kind{model.KindRegion, model.KindZone},
			cols: []column{
				{title: "Provider", min: 8, max: 24, flex: 1, text: true, inherit: true,
					cell: func(c namer, _ string, r model.Record) string { return c.name(c.regionOf(r).Provider) },
					key:  func(c namer, r model.Record) sortKey { return textKey(c.name(c.regionOf(r).Provider)) }},
				{title: "Code", min: 15, max: 30, text: true, keep: true,
					cell: func(c namer, _ string, r model.Record) string {
						if z, ok := r.(*model.Zone); ok {
							return " └ " + clean(z.Code)
						}
						return clean(r.(*model.Region).Code)
					},
					key: func(c namer, r model.Record) sortKey {
						if z, ok := r.(*model.Zone); ok {
							return textKey(c.regionOf(r).Code + "\x00" + z.Code)
						}
						return textKey(r.(*model.Region).Code)
					}},
				{title: "Name", min: 10, max: 30, flex: 2, text: true,
					cell: func(c namer, _ string, r model.Record) string {
						if _, ok := r.(*model.Zone); ok {
							return ""
						}
						return clean(r.(*model.Region).Name)
					},
					key: func(c namer, r model.Record) sortKey { return textKey(c.regionOf(r).Name) }},
				{title: "City", min: 8, max: 20, flex: 1, text: true, inherit: true,
					cell: func(c namer, _ string, r model.Record) string { return c.placeName(c.regionOf(r).City) },
					key:  func(c namer, r model.Record) sortKey { return textKey(c.placeName(c.regionOf(r).City)) }},
				{title: "Country", min: 8, max: 20, flex: 1, text: true, inherit: true,
					cell: func(c namer, _ string, r model.Record) string { return c.placeName(c.regionOf(r).Country) },
					key:  func(c namer, r model.Record) sortKey { return textKey(c.placeName(c.regionOf(r).Country)) }},
				{title: "Zones", min: 5, max: 5, right: true, keep: true,
					cell: func(c namer, _ string, r model.Record) string {
						if reg, ok := r.(*model.Region); ok && reg.Zones != nil {
							return fmtInt(*reg.Zones)
						}
						return ""
					},
					key: func(c namer, r model.Record) sortKey {
						if reg := c.regionOf(r); reg.Zones != nil {
							return numKey(float64(*reg.Zones))
						}
						return numKey(math.NaN())
					}},
				{title: "Status", min: 10, max: 14, inherit: true,
					cell: func(c namer, _ string, r model.Record) string { return string(c.regionOf(r).Status) },
					key:  func(c namer, r model.Record) sortKey { return textKey(string(c.regionOf(r).Status)) }},
			},
		},
		{
			name: "Facilities", medium: "Facilities", short: "Sites", aliases: []string{"facilities", "facility", "sites"},
			kinds: []model.Kind{model.KindFacility},
			// The largest sites first: the race at a glance.
			order: &tabOrder{col: 3, desc: true},
			cols: []column{
				{title: "Name", min: 14, max: 60, flex: 3, text: true, middle: true,
					cell: func(c namer, _ string, r model.Record) string { return clean(r.(*model.Facility).Name) },
					key:  func(c namer, r model.Record) sortKey { return textKey(r.(*model.Facility).Name) }},
				{title: "Operator", min: 10, max: 30, flex: 2, text: true,
					cell: func(c namer, _ string, r model.Record) string { return c.operator(r.(*model.Facility)) },
					key:  func(c namer, r model.Record) sortKey { return textKey(c.operator(r.(*model.Facility))) }},
				{title: "Country", min: 13, max: 20, flex: 1, text: true,
					cell: func(c namer, _ string, r model.Record) string { return c.placeName(r.(*model.Facility).Country) },
					key:  func(c namer, r model.Record) sortKey { return textKey(c.placeName(r.(*model.Facility).Country)) }},
				{title: "MW", min: 6, max: 8, right: true, keep: true,
					cell: func(c namer, _ string, r model.Record) string { return floatPtrCell(r.(*model.Facility).PowerMW) },
					key:  func(c namer, r model.Record) sortKey { return floatPtrKey(r.(*model.Facility).PowerMW) }},
				{title: "GPUs", min: 8, max: 9, right: true, keep: true,
					cell: func(c namer, _ string, r model.Record) string { return intPtrCell(r.(*model.Facility).GPUs) },
					key:  func(c namer, r model.Record) sortKey { return intPtrKey(r.(*model.Facility).GPUs) }},
				{title: "Status", min: 10, max: 14,
					cell: func(c namer, _ string, r model.Record) string { return string(r.(*model.Facility).Status) },
					key:  func(c namer, r model.Record) sortKey { return textKey(string(r.(*model.Facility).Status)) }},
			},
		},
		{
			name: "Investments", medium: "Investments", short: "Inv", aliases: []string{"investments", "investment"},
			kinds: []model.Kind{model.KindInvestment},
			// The largest amounts first, compared in USD.
			order: &tabOrder{col: 2, desc: true},
			cols: []column{
				{title: "Investor", min: 10, max: 28, flex: 2, text: true,
					cell: func(c namer, _ string, r model.Record) string { return c.name(r.(*model.Investment).Investor) },
					key:  func(c namer, r model.Record) sortKey { return textKey(c.name(r.(*model.Investment).Investor)) }},
				{title: "Investment", min: 14, max: 70, flex: 4, text: true,
					cell: func(c namer, _ string, r model.Record) string { return clean(r.(*model.Investment).Title) },
					key:  func(c namer, r model.Record) sortKey { return textKey(r.(*model.Investment).Title) }},
				{title: "Amount", min: 14, max: 18, right: true, money: true, keep: true,
					cell: func(c namer, cur string, r model.Record) string {
						inv := r.(*model.Investment)
						if inv.Amount == nil {
							return ""
						}
						return c.money(cur, *inv.Amount, inv.Announced)
					},
					key: func(c namer, r model.Record) sortKey {
						inv := r.(*model.Investment)
						if inv.Amount == nil {
							return numKey(math.NaN())
						}
						return numKey(c.usdValue(*inv.Amount, inv.Announced))
					}},
				{title: "Period", min: 8, max: 16, flex: 1,
					cell: func(c namer, _ string, r model.Record) string { return clean(r.(*model.Investment).Period) },
					key: func(c namer, r model.Record) sortKey {
						if m := r.(*model.Investment).PeriodMonths; m > 0 {
							return numKey(float64(m))
						}
						return numKey(math.NaN())
					}},
				{title: "Announced", min: 11, max: 20, keep: true,
					cell: func(c namer, _ string, r model.Record) string { return r.(*model.Investment).Announced.Display() },
					key:  func(c namer, r model.Record) sortKey { return sortKey{s: r.(*model.Investment).Announced.Sortable()} }},
			},
		},
		{
			name: "Sources", medium: "Sources", short: "Src", aliases: []string{"sources", "source"},
			kinds: []model.Kind{model.KindSource},
			// The latest publications first.
			order: &tabOrder{col: 3, desc: true},
			cols: []column{
				{title: "Title", min: 16, max: 90, flex: 5, text: true,
					cell: func(c namer, _ string, r model.Record) string { return clean(r.(*model.Source).Title) },
					key:  func(c namer, r model.Record) sortKey { return textKey(r.(*model.Source).Title) }},
				{title: "Publisher", min: 10, max: 30, flex: 2, text: true,
					cell: func(c namer, _ string, r model.Record) string { return clean(r.(*model.Source).Publisher) },
					key:  func(c namer, r model.Record) sortKey { return textKey(r.(*model.Source).Publisher) }},
				{title: "Lang", min: 4, max: 5,
					cell: func(c namer, _ string, r model.Record) string { return clean(r.(*model.Source).Language) },
					key:  func(c namer, r model.Record) sortKey { return textKey(r.(*model.Source).Language) }},
				{title: "Published", min: 11, max: 20, keep: true,
					cell: func(c namer, _ string, r model.Record) string {
						if p := r.(*model.Source).Published; p != nil {
							return p.Display()
						}
						return ""
					},
					key: func(c namer, r model.Record) sortKey {
						if p := r.(*model.Source).Published; p != nil {
							return sortKey{s: p.Sortable()}
						}
						return sortKey{}
					}},
				{title: "Kind", min: 12, max: 22, flex: 1,
					cell: func(c namer, _ string, r model.Record) string { return string(r.(*model.Source).Kind) },
					key:  func(c namer, r model.Record) sortKey { return textKey(string(r.(*model.Source).Kind)) }},
			},
		},
	}
}

func intCell(n int) string {
	if n < 0 {
		return ""
	}
	return fmtInt(n)
}

func intKey(n int) sortKey {
	if n < 0 {
		return numKey(math.NaN())
	}
	return numKey(float64(n))
}

func floatPtrCell(f *float64) string {
	if f == nil {
		return ""
	}
	return fmtFloat(*f)
}

func floatPtrKey(f *float64) sortKey {
	if f == nil {
		return numKey(math.NaN())
	}
	return numKey(*f)
}

func intPtrCell(n *int) string {
	if n == nil {
		return ""
	}
	return fmtInt(*n)
}

func intPtrKey(n *int) sortKey {
	if n == nil {
		return numKey(math.NaN())
	}
	return numKey(float64(*n))
}
