package model_test

import (
	"math"
	"strings"
	"testing"

	"github.com/dcx-explorer/dcx/model"
	"github.com/dcx-explorer/dcx/model/modeltest"
)

// relatedRoles maps the ids related to id to their roles.
func relatedRoles(d *model.Dataset, id string) map[string]string {
	m := map[string]string{}
	for _, r := range d.Related(id) {
		m[r.Record.RecordID()] = r.Role
	}
	return m
}

func TestRelationsBothWays(t *testing.T) {
	d := modeltest.Fixture(t)
	tests := []struct {
		from string
		want map[string]string // related id → role
		not  []string
	}{
		// company → facilities, regions, announcements, subsidiaries
		{"aws", map[string]string{"sk-aws-ulsan": "partner in", "aws-ap-northeast-2": "region", "ann-ulsan": "announcement", "amazon": "parent"}, []string{"ali-dus"}},
		{"sk-group", map[string]string{"sk-aws-ulsan": "operates", "ann-ulsan": "announcement", "kr": "country"}, nil},
		// company → investments, subsidiary
		{"alibaba-group", map[string]string{"alibaba-380bn": "investment", "alibaba-cloud": "subsidiary", "ann-alibaba-plan": "announcement"}, nil},
		{"alibaba-cloud", map[string]string{"alibaba-eu-central-1": "region", "ali-dus": "operates", "alibaba-group": "parent"}, nil},
		// and back: facility → its companies and places
		{"sk-aws-ulsan", map[string]string{"sk-group": "operator", "aws": "partner", "ulsan": "city", "kr": "country", "ann-ulsan": "announcement"}, nil},
		// region → zones, and zone → region
		{"aws-ap-northeast-2", map[string]string{"aws-ap-northeast-2/apne2-az1": "zone", "aws-ap-northeast-2/apne2-az2": "zone", "aws": "provider", "seoul": "city"}, nil},
		{"aws-ap-northeast-2/apne2-az1", map[string]string{"aws-ap-northeast-2": "region"}, nil},
		// place → everything in it: a city, a country, an area
		{"ulsan", map[string]string{"sk-aws-ulsan": "facility", "ann-ulsan": "announcement", "kr": "country"}, nil},
		{"kr", map[string]string{"sk-aws-ulsan": "facility", "aws-ap-northeast-2": "region", "ulsan": "city", "seoul": "city", "sk-group": "company", "area-apac": "area"}, []string{"ali-dus"}},
		{"area-apac", map[string]string{"kr": "country in area", "sk-aws-ulsan": "facility", "aws-ap-northeast-2": "region", "alibaba-380bn": "investment"}, []string{"ali-dus", "alibaba-eu-central-1"}},
		{"area-europe", map[string]string{"ali-dus": "facility", "alibaba-eu-central-1": "region"}, []string{"sk-aws-ulsan"}},
		// source → what cites it, and records → their sources
		{"s-it", map[string]string{"ali-dus": "cited by", "alibaba-380bn": "cited by", "alibaba-cloud": "cited by"}, []string{"sk-aws-ulsan"}},
		{"alibaba-380bn", map[string]string{"s-it": "source", "s-en": "source", "alibaba-group": "investor", "cn": "place"}, nil},
	}
	for _, tt := range tests {
		got := relatedRoles(d, tt.from)
		for id, role := range tt.want {
			if got[id] != role {
				t.Errorf("Related(%q)[%q] = %q, want %q", tt.from, id, got[id], role)
			}
		}
		for _, id := range tt.not {
			if _, ok := got[id]; ok {
				t.Errorf("Related(%q) includes %q (role %q), want it absent", tt.from, id, got[id])
			}
		}
	}
}

func TestRelatedSortedByKindThenTitle(t *testing.T) {
	d := modeltest.Fixture(t)
	for _, r := range d.Records() {
		rels := d.Related(r.RecordID())
		for i := 1; i < len(rels); i++ {
			a, b := rels[i-1].Record, rels[i].Record
			ka, kb := a.RecordKind().Order(), b.RecordKind().Order()
			if ka > kb || (ka == kb && strings.ToLower(a.RecordTitle()) > strings.ToLower(b.RecordTitle())) {
				t.Errorf("Related(%q): %q before %q", r.RecordID(), a.RecordID(), b.RecordID())
			}
		}
	}
}

// RelatedCount counts exactly what Related lists, in total and per kind.
// Each count is asked twice, the second answered by the cache, and for two
// kinds at once (never cached).
func TestRelatedCountMatchesRelated(t *testing.T) {
	d := modeltest.Fixture(t)
	for pass := 0; pass < 2; pass++ {
		for _, r := range d.Records() {
			id := r.RecordID()
			rels := d.Related(id)
			if got := d.RelatedCount(id); got != len(rels) {
				t.Errorf("pass %d: RelatedCount(%q) = %d, Related has %d", pass, id, got, len(rels))
			}
			per := map[model.Kind]int{}
			for _, rel := range rels {
				per[rel.Record.RecordKind()]++
			}
			for _, k := range model.Kinds() {
				if got := d.RelatedCount(id, k); got != per[k] {
					t.Errorf("pass %d: RelatedCount(%q, %s) = %d, want %d", pass, id, k, got, per[k])
				}
			}
			if got, want := d.RelatedCount(id, model.KindFacility, model.KindCompany), per[model.KindFacility]+per[model.KindCompany]; got != want {
				t.Errorf("RelatedCount(%q, facility, company) = %d, want %d", id, got, want)
			}
		}
	}
	if d.RelatedCount("no-such-id") != 0 {
		t.Error("an unknown id has related records")
	}
}

func TestZonesDerived(t *testing.T) {
	d := modeltest.Fixture(t)
	if got := len(d.ByKind(model.KindZone)); got != 2 {
		t.Fatalf("zones = %d, want 2", got)
	}
	z, ok := d.Get("aws-ap-northeast-2/apne2-az2")
	if !ok || z.(*model.Zone).Region != "aws-ap-northeast-2" || z.RecordTitle() != "apne2-az2" {
		t.Fatalf("zone = %#v, %v", z, ok)
	}
	// Build twice must not duplicate zones (the data package may rebuild).
	if err := d.Build(); err != nil {
		t.Fatal(err)
	}
	if got := len(d.ByKind(model.KindZone)); got != 2 {
		t.Errorf("after a second Build, zones = %d, want 2", got)
	}
}

func TestBuildDuplicateID(t *testing.T) {
	d := &model.Dataset{Companies: []model.Company{{Base: model.Base{ID: "x"}, Name: "X"}}, Places: []model.Place{{Base: model.Base{ID: "x"}, Name: "X"}}}
	err := d.Build()
	if err == nil || !strings.Contains(err.Error(), `"x"`) {
		t.Fatalf("Build = %v, want a duplicate id error naming x", err)
	}
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b)) }

func TestConvert(t *testing.T) {
	d := modeltest.Fixture(t)
	feb := model.Date{Value: "2025-02-24"}
	tests := []struct {
		name     string
		m        model.Money
		to       string
		at       model.Date
		want     float64
		legs     int
		legValue float64 // value of the first leg as used (from → next)
	}{
		{"direct", model.Money{Amount: 100, Currency: "USD"}, "CNY", feb, 718, 1, 7.18},
		{"inverse", model.Money{Amount: 718, Currency: "CNY"}, "USD", feb, 100, 1, 1 / 7.18},
		{"direct EUR base", model.Money{Amount: 10, Currency: "EUR"}, "USD", feb, 10.5, 1, 1.05},
		{"via USD", model.Money{Amount: 380e9, Currency: "CNY"}, "EUR", feb, 380e9 / 7.18 / 1.05, 2, 1 / 7.18},
		{"closest date: 2024", model.Money{Amount: 1, Currency: "USD"}, "CNY", model.Date{Value: "2024-03"}, 7.30, 1, 7.30},
		{"closest date: year 2025 mid-point", model.Money{Amount: 1, Currency: "USD"}, "CNY", model.Date{Value: "2025"}, 7.18, 1, 7.18},
	}
	for _, tt := range tests {
		c, err := d.Convert(tt.m, tt.to, tt.at)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if !near(c.To.Amount, tt.want) || c.To.Currency != tt.to || len(c.Legs) != tt.legs || !near(c.Legs[0].Value, tt.legValue) || c.Legs[0].Base != tt.m.Currency {
			t.Errorf("%s: got %v via %+v, want %g %s in %d legs (first %g)", tt.name, c.To, c.Legs, tt.want, tt.to, tt.legs, tt.legValue)
		}
		// Each rate is written the way round that reads best: 1 CNY = 0.139 USD
		// reads as 1 USD = 7.18 CNY.
		readable := "1 " + c.Legs[0].Base + " = "
		if c.Legs[0].Value < 1 {
			readable = "1 " + c.Legs[0].Quote + " = "
		}
		if c.Exact || !strings.HasPrefix(c.Describe(), readable) {
			t.Errorf("%s: Describe = %q, Exact = %v", tt.name, c.Describe(), c.Exact)
		}
	}

	c, err := d.Convert(model.Money{Amount: 5, Currency: "EUR"}, "EUR", feb)
	if err != nil || !c.Exact || c.To.Amount != 5 || c.Describe() != "original currency" {
		t.Errorf("same currency: %+v, %v", c, err)
	}
	if _, err := d.Convert(model.Money{Amount: 5, Currency: "KRW"}, "USD", feb); err == nil || !strings.Contains(err.Error(), "KRW") {
		t.Errorf("no path: err = %v, want an error naming KRW", err)
	}
}

func TestImpliedRate(t *testing.T) {
	d := modeltest.Fixture(t)
	inv, _ := d.Get("alibaba-380bn")
	in := inv.(*model.Investment)
	r, ok := model.ImpliedRate(*in.Amount, in.Reports[0].Amount)
	if !ok || !near(r, 380e9/52.9e9) {
		t.Errorf("implied CNY per USD = %v, %v", r, ok)
	}
	if _, ok := model.ImpliedRate(*in.Amount, *in.Amount); ok {
		t.Error("same currency must imply no rate")
	}
}

// TestRelatedEstimate: the estimate follows the relations the other way
// (records naming the record), areas included, and costs no collection.
func TestRelatedEstimate(t *testing.T) {
	d := modeltest.Fixture(t)
	for _, r := range d.Records() {
		id := r.RecordID()
		inbound := 0
		for _, rel := range d.Related(id) {
			named := false
			model.EachLink(rel.Record, func(to, _, _ string) { named = named || to == id })
			if named {
				inbound++
			}
		}
		est := d.RelatedEstimate(id)
		if p, ok := r.(*model.Place); ok && p.Kind == model.PlaceArea {
			if est < inbound {
				t.Errorf("%s: estimate %d below the %d records naming it", id, est, inbound)
			}
			continue
		}
		if est == 0 && inbound > 0 || est > 0 && inbound == 0 {
			t.Errorf("%s: estimate %d, %d related records name it", id, est, inbound)
		}
	}
	if got := d.RelatedEstimate("no-such-id"); got != 0 {
		t.Errorf("estimate of an unknown id = %d", got)
	}
}

func TestFilled(t *testing.T) {
	mw := 0.0
	f := &model.Facility{Base: model.Base{ID: "x", Notes: "n"}, Name: "a", PowerMW: &mw, Owners: []string{}}
	got := model.Filled(f)
	for _, want := range []string{"id", "notes", "name", "power_mw"} {
		if !got[want] {
			t.Errorf("%s not filled in %v", want, got)
		}
	}
	// An empty list and a zero value hold nothing; a pointer to zero does.
	for _, not := range []string{"owners", "status", "evidence", "country"} {
		if got[not] {
			t.Errorf("%s reported filled", not)
		}
	}
	if len(model.Filled(3)) != 0 {
		t.Error("a non-struct has no fields")
	}
}
