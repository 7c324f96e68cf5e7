package data

import (
	"testing"

	"github.com/dcx-explorer/dcx/model"
	"github.com/dcx-explorer/dcx/search"
)

// Spot checks of facts read off the research notes, one set per document:
// each would catch a converter or a row map that drops or bends a figure,
// a date's precision or a disagreement.
func TestResearchSpotChecks(t *testing.T) {
	t.Parallel()
	ds, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	get := func(id string) model.Record {
		t.Helper()
		r, ok := ds.Get(id)
		if !ok {
			t.Fatalf("no record %s", id)
		}
		return r
	}
	conflictOn := func(b *model.Base, field string, values int) bool {
		for _, c := range b.Conflicts {
			if c.Field == field && len(c.Values) == values {
				return true
			}
		}
		return false
	}

	t.Run("americas", func(t *testing.T) {
		f := get("stargate-abilene").(*model.Facility)
		if f.PowerMW == nil || *f.PowerMW != 1200 || f.PowerBasis != "facility" || f.GPUs == nil || *f.GPUs != 400000 {
			t.Errorf("Abilene: power %v (%s), GPUs %v", f.PowerMW, f.PowerBasis, f.GPUs)
		}
		if f.City != "abilene" || f.Admin != "texas-us" || f.CoordsFrom != "city" || f.Coords == nil {
			t.Errorf("Abilene: located %s / %s, coords %v from %q", f.City, f.Admin, f.Coords, f.CoordsFrom)
		}
		// 1.2 GW vs about 900 MW vs over 900 MW; and three chip counts.
		if !conflictOn(&f.Base, "power_mw", 3) || !conflictOn(&f.Base, "gpus", 3) {
			t.Errorf("Abilene conflicts: %+v", f.Conflicts)
		}
		if h := f.StatusHistory; len(h) < 2 || h[0].Status != model.FacilityConstruction || h[0].AsOf.Value != "2024-06" || f.Status != h[len(h)-1].Status {
			t.Errorf("Abilene status history %+v, status %s", h, f.Status)
		}
		inv := get("stargate-500bn").(*model.Investment)
		if inv.Amount == nil || inv.Amount.Amount != 500e9 || inv.Amount.Qualifier != "up to" || inv.Investor != "softbank" ||
			len(inv.CoInvestors) != 3 || len(inv.Facilities) != 7 || inv.Announced.Value != "2025-01-21" {
			t.Errorf("Stargate: %+v", inv)
		}
		if q := get("s-kdc-abilene-2607").(*model.Source).Quality; q != model.QualityThirdParty {
			t.Errorf("a tracker's quality: %s", q)
		}
		if q := get("s-mo-lordstown-25").(*model.Source).Quality; q != model.QualitySecondary {
			t.Errorf("a LOW-CONF outlet's quality: %s", q)
		}
	})

	t.Run("asia-pacific", func(t *testing.T) {
		f := get("bdc-my06-sedenak").(*model.Facility)
		if f.PowerMW == nil || *f.PowerMW != 110 || f.Capex == nil || f.Capex.Amount != 1.5e9 || f.Capex.Currency != "MYR" {
			t.Errorf("Sedenak: power %v, capex %+v", f.PowerMW, f.Capex)
		}
		a := get("ann-2024-06-alibaba-closes-sydney-mumbai").(*model.Announcement)
		if a.Kind != model.AnnCancellation || a.Date.Value != "2024-06" || !a.Date.Inferred || a.Date.Basis == "" {
			t.Errorf("Alibaba closures: %+v", a)
		}
		if s := get("alibaba-cloud-sydney-region").(*model.Facility).Status; s != model.FacilityCancelled {
			t.Errorf("Alibaba Sydney status %s", s)
		}
		// The Ulsan row of the notes merged into the hand-written record.
		u := get("skt-aws-ulsan-ai-dc")
		found := false
		for _, ev := range model.AllEvidence(u) {
			found = found || ev.Source == "notes-asia-pacific"
		}
		if !found {
			t.Error("Ulsan carries no evidence from the Asia-Pacific notes")
		}
	})

	t.Run("emea", func(t *testing.T) {
		f := get("stargate-norway-narvik").(*model.Facility)
		if f.PowerMW == nil || *f.PowerMW != 230 || f.GPUs == nil || *f.GPUs != 100000 || f.Operator != "aker-nscale" {
			t.Errorf("Stargate Norway: %v MW, %v GPUs, operator %s", f.PowerMW, f.GPUs, f.Operator)
		}
		// Located only to Narvik's area: a town stands for it, and says so.
		if f.City != "" || f.Admin != "narvik-no" || f.CoordsFrom != "admin-area" || f.Coords == nil {
			t.Errorf("Stargate Norway located %q / %q from %q", f.City, f.Admin, f.CoordsFrom)
		}
		if len(f.Milestones) < 3 || f.Milestones[2].Date.Value != "2026" || f.Milestones[2].Date.Qualifier != "from" {
			t.Errorf("Stargate Norway milestones %+v", f.Milestones)
		}
		if !conflictOn(&f.Base, "capex", 2) {
			t.Errorf("Stargate Norway conflicts %+v", f.Conflicts)
		}
	})
}

// The search language reaches the new fields: a source's quality (and the
// records citing one), admin areas, the new roles and statuses.
func TestResearchSearch(t *testing.T) {
	t.Parallel()
	ds, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	e := search.NewEngine(ds)
	s := e.NewSearcher()
	ids := func(query string) map[string]bool {
		t.Helper()
		q, err := search.ParseQuery(query)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for _, i := range s.Search(1, q).Matches() {
			out[ds.Records()[i].RecordID()] = true
		}
		return out
	}
	third := ids("kind:source quality:third-party")
	if !third["s-kdc-abilene-2607"] || third["s-inc-stargate-2501"] {
		t.Errorf("quality:third-party sources: %d, tracker in %v, Inc. in %v", len(third), third["s-kdc-abilene-2607"], third["s-inc-stargate-2501"])
	}
	// Abilene cites a tracker, so it is among the facilities backed by one.
	if !ids("kind:facility quality:third")["stargate-abilene"] {
		t.Error("Abilene cites a third-party source but quality:third does not find it")
	}
	if !ids("place:texas kind:facility")["stargate-abilene"] {
		t.Error("place:texas misses Abilene (city Abilene, admin area Texas)")
	}
	if !ids("company:crusoe kind:facility")["stargate-abilene"] {
		t.Error("company:crusoe misses the site Crusoe develops")
	}
	if !ids("status:cancel kind:facility")["alibaba-cloud-sydney-region"] {
		t.Error("status:cancel misses a cancelled site")
	}
	for _, word := range []string{"abilene", "hyperion", "fairwater", "colossus", `"project rainier"`} {
		if len(ids(word)) == 0 {
			t.Errorf("%s finds nothing", word)
		}
	}
}
