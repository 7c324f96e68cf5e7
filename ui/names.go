package ui

import (
	"math"
	"strconv"
	"strings"

	"github.com/dcx-explorer/dcx/model"
)

// namer turns ids into what the tables and documents show. It only reads
// the dataset and the catalog's counts, so one value serves every session;
// what depends on a session (the display currency) comes as an argument.
type namer struct {
	ds *model.Dataset
	// count is Catalog.relatedCount: related records of one kind (all when
	// the kind is empty), remembered for every session.
	count func(id string, k model.Kind) int
	// provided counts the dataset's regions per provider id; built with
	// the catalog, never written after.
	provided map[string]int
}

// money renders an amount for a table in currency cur, compact: ">CNY 380
// bn", ">≈USD 52.9 bn"; an empty cur keeps the original currency.
func (c namer) money(cur string, m model.Money, at model.Date) string {
	if cur == "" || cur == m.Currency {
		return qualifierMark(m.Qualifier) + m.Currency + " " + model.HumanAmount(m.Amount)
	}
	conv, err := c.ds.Convert(m, cur, at)
	if err != nil {
		return qualifierMark(m.Qualifier) + m.Currency + " " + model.HumanAmount(m.Amount)
	}
	// The source's hedge stays with the converted figure: "more than CNY
	// 380 bn" is ">≈USD 52.9 bn", not a plain estimate. "about" is
	// already said by the ≈.
	mark := qualifierMark(m.Qualifier)
	if mark == "~" {
		mark = ""
	}
	return mark + "≈" + cur + " " + model.HumanAmount(conv.To.Amount)
}

// name returns the display title of the record with the given id, or the id
// itself when the dataset does not hold it.
func (c namer) name(id string) string {
	if r, ok := c.ds.Get(id); ok {
		return clean(r.RecordTitle())
	}
	return clean(id)
}

func (c namer) names(ids []string) string {
	parts := make([]string, 0, len(ids))
	for _, id := range ids {
		parts = append(parts, c.name(id))
	}
	return strings.Join(parts, ", ")
}

// placeName is a short name for a place id: the country code keeps table
// columns narrow, the name is used where there is room.
func (c namer) placeName(id string) string {
	if id == "" {
		return ""
	}
	if r, ok := c.ds.Get(id); ok {
		if p, ok := r.(*model.Place); ok {
			return clean(p.Name)
		}
		return clean(r.RecordTitle())
	}
	return clean(id)
}

// usdValue is the amount in USD used to sort and compare money, NaN when no
// rate leads to USD.
func (c namer) usdValue(m model.Money, at model.Date) float64 {
	if m.Currency == "USD" {
		return m.Amount
	}
	conv, err := c.ds.Convert(m, "USD", at)
	if err != nil {
		return math.NaN()
	}
	return conv.To.Amount
}

// operator is who runs a facility: its operator, else its owners.
func (c namer) operator(f *model.Facility) string {
	if f.Operator != "" {
		return c.name(f.Operator)
	}
	return c.names(f.Owners)
}

func (c namer) nameOrEmpty(id string) string {
	if id == "" {
		return ""
	}
	return c.name(id)
}

func (c namer) placeNames(ids []string) string {
	parts := make([]string, 0, len(ids))
	for _, id := range ids {
		parts = append(parts, c.placeName(id))
	}
	return strings.Join(parts, ", ")
}

// regionOf is the region a row of the regions tab belongs to: itself, or a
// zone's region (zones show their region's provider, city and country).
func (c namer) regionOf(r model.Record) *model.Region {
	switch r := r.(type) {
	case *model.Region:
		return r
	case *model.Zone:
		if reg, ok := c.ds.Get(r.Region); ok {
			if reg, ok := reg.(*model.Region); ok {
				return reg
			}
		}
	}
	return &model.Region{}
}

// companyFootprint is the latest footprint a company reports, or -1 counts
// when it reports none.
func (c namer) companyFootprint(co *model.Company) model.Footprint {
	best := model.Footprint{Regions: -1, Zones: -1}
	latest := ""
	for _, f := range co.Footprints {
		if s := f.AsOf.Sortable(); s >= latest {
			best, latest = f, s
		}
	}
	return best
}

// footprintCell is a reported footprint: "29 reg · 87 AZ", "" for none.
func footprintCell(f model.Footprint) string {
	if f.Regions < 0 {
		return ""
	}
	return strconv.Itoa(f.Regions) + " reg · " + strconv.Itoa(f.Zones) + " AZ"
}

// countProvided counts the regions of the dataset whose provider is r
// (-1 for none, an empty cell), as the Regions tab lists them.
func (c namer) countProvided(r model.Record) int {
	if n := c.provided[r.RecordID()]; n > 0 {
		return n
	}
	return -1
}

// countRelated counts a record's related records of one kind; -1 for none so
// the cell stays empty.
func (c namer) countRelated(r model.Record, k model.Kind) int {
	if n := c.count(r.RecordID(), k); n > 0 {
		return n
	}
	return -1
}
