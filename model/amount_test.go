package model_test

import (
	"testing"

	"github.com/dcx-explorer/dcx/model"
)

func amountDataset(t *testing.T) *model.Dataset {
	t.Helper()
	day := func(v string) model.Date { return model.Date{Value: v} }
	money := func(v float64, cur string) *model.Money { return &model.Money{Amount: v, Currency: cur} }
	announced := func(v string) []model.Milestone {
		return []model.Milestone{{Kind: model.MilestoneAnnounced, Date: day(v)}}
	}
	ds := &model.Dataset{
		Facilities: []model.Facility{
			{Base: model.Base{ID: "own"}, Name: "Own capex", Capex: money(2e9, "EUR"), Milestones: announced("2025-03-10")},
			{Base: model.Base{ID: "named"}, Name: "Names its investment", Investment: "site-deal", Milestones: announced("2025-05")},
			{Base: model.Base{ID: "listed"}, Name: "Listed by two investments"},
			{Base: model.Base{ID: "unfunded"}, Name: "No money anywhere"},
		},
		Investments: []model.Investment{
			{Base: model.Base{ID: "site-deal"}, Title: "Site deal", Amount: &model.Money{Amount: 3e9, Currency: "USD", Qualifier: "up to"}, Announced: day("2025-04-01"),
				Facilities: []string{"listed"}},
			{Base: model.Base{ID: "capex-plan"}, Title: "Company capex", Amount: money(100e9, "USD"), Announced: day("2025-01"),
				Facilities: []string{"listed", "named", "own"}},
			{Base: model.Base{ID: "no-figure"}, Title: "No figure", Announced: day("2025")},
		},
		Announcements: []model.Announcement{
			{Base: model.Base{ID: "ann-two"}, Headline: "Two records", Date: day("2025-06-01"), Records: []string{"own", "named", "no-figure"}},
			{Base: model.Base{ID: "ann-none"}, Headline: "Nothing with money", Date: day("2025-06-02"), Records: []string{"unfunded", "ann-two"}},
		},
		Rates: []model.Rate{{Base: "EUR", Quote: "USD", Value: 1.1, Date: day("2025-03-01"), Origin: model.RateReference}},
	}
	if err := ds.Build(); err != nil {
		t.Fatal(err)
	}
	return ds
}

func TestAmountOf(t *testing.T) {
	ds := amountDataset(t)
	tests := []struct {
		id     string
		ok     bool
		amount float64
		cur    string
		at     string
		from   string
	}{
		{id: "capex-plan", ok: true, amount: 100e9, cur: "USD", at: "2025-01"},
		{id: "no-figure"},
		// Its own capex, dated by its announced milestone.
		{id: "own", ok: true, amount: 2e9, cur: "EUR", at: "2025-03-10"},
		// The investment its field names, at that investment's date.
		{id: "named", ok: true, amount: 3e9, cur: "USD", at: "2025-04-01", from: "site-deal"},
		// Two investments list it: the one paying for fewer sites.
		{id: "listed", ok: true, amount: 3e9, cur: "USD", at: "2025-04-01", from: "site-deal"},
		{id: "unfunded"},
		// The larger in USD of EUR 2 bn (own) and USD 3 bn (named, via
		// site-deal): the figure is site-deal's, so From names it.
		{id: "ann-two", ok: true, amount: 3e9, cur: "USD", at: "2025-04-01", from: "site-deal"},
		// Announcements it concerns are not followed.
		{id: "ann-none"},
	}
	for _, tt := range tests {
		r, _ := ds.Get(tt.id)
		got, ok := ds.AmountOf(r)
		if ok != tt.ok {
			t.Errorf("%s: ok = %v, want %v (%+v)", tt.id, ok, tt.ok, got)
			continue
		}
		if !ok {
			continue
		}
		if got.Money.Amount != tt.amount || got.Money.Currency != tt.cur || got.At.Value != tt.at || got.From != tt.from {
			t.Errorf("%s: %+v, want %g %s at %s from %q", tt.id, got, tt.amount, tt.cur, tt.at, tt.from)
		}
	}
	// The qualifier comes along with the figure.
	r, _ := ds.Get("named")
	if a, _ := ds.AmountOf(r); a.Money.Qualifier != "up to" {
		t.Errorf("qualifier = %q, want the investment's %q", a.Money.Qualifier, "up to")
	}
	for _, r := range []model.Record{&model.Company{}, &model.Source{}, &model.Place{}, &model.Region{}} {
		if _, ok := ds.AmountOf(r); ok {
			t.Errorf("a %s has an amount", r.RecordKind())
		}
	}
}

// The announcement picks the largest figure in USD, not the largest number:
// EUR 2 bn beats USD 1.5 bn.
func TestAmountOfAnnouncementComparesInUSD(t *testing.T) {
	ds := &model.Dataset{
		Facilities: []model.Facility{{Base: model.Base{ID: "eur"}, Capex: &model.Money{Amount: 2e9, Currency: "EUR"},
			Milestones: []model.Milestone{{Kind: model.MilestoneAnnounced, Date: model.Date{Value: "2025-03"}}}}},
		Investments:   []model.Investment{{Base: model.Base{ID: "usd"}, Amount: &model.Money{Amount: 1.5e9, Currency: "USD"}, Announced: model.Date{Value: "2025-03"}}},
		Announcements: []model.Announcement{{Base: model.Base{ID: "a"}, Records: []string{"usd", "eur"}}},
		Rates:         []model.Rate{{Base: "EUR", Quote: "USD", Value: 1.1, Date: model.Date{Value: "2025-03-01"}, Origin: model.RateReference}},
	}
	if err := ds.Build(); err != nil {
		t.Fatal(err)
	}
	r, _ := ds.Get("a")
	if a, ok := ds.AmountOf(r); !ok || a.From != "eur" || a.Money.Currency != "EUR" {
		t.Errorf("AmountOf = %+v, %v; want the EUR 2 bn of eur", a, ok)
	}
}
