package search_test

import (
	"strings"
	"testing"

	"github.com/dcx-explorer/dcx/data"
	"github.com/dcx-explorer/dcx/model"
	"github.com/dcx-explorer/dcx/search"
)

// TestEmbeddedUlsan searches the real embedded dataset: the SK-AWS Ulsan
// data center of the seed articles must be found by its city.
func TestEmbeddedUlsan(t *testing.T) {
	t.Parallel()
	ds, e, res := searchEmbedded(t, "ulsan")
	if res.Counts[model.KindFacility] == 0 {
		t.Fatalf("ulsan: %d matches (%v), want at least one facility", res.Len(), res.Counts)
	}
	for _, i := range res.Matches() {
		if !strings.Contains(e.SearchText(int(i)), "ulsan") {
			t.Errorf("%s matched without containing ulsan", ds.Records()[i].RecordID())
		}
	}
	top := ds.Records()[res.Top(1)[0]]
	if !strings.Contains(strings.ToLower(top.RecordTitle()), "ulsan") {
		t.Errorf("best match %q does not name Ulsan in its title", top.RecordTitle())
	}
}

// TestRankingPrefersLinks: among regions whose title lacks the word, one in
// the city the word names ranks before one whose text merely mentions it
// (the real dataset: "frankfurt" and Azure's Germany West Central, in
// Frankfurt, against Google's Berlin region, whose evidence names Frankfurt).
func TestRankingPrefersLinks(t *testing.T) {
	t.Parallel()
	ds, _, res := searchEmbedded(t, "frankfurt")
	rank := map[string]int{}
	for k, i := range res.TopOf(res.Len(), model.KindRegion) {
		rank[ds.Records()[i].RecordID()] = k + 1
	}
	var inCity, mentioning string
	for id, k := range rank {
		r, _ := ds.Get(id)
		reg := r.(*model.Region)
		if strings.Contains(strings.ToLower(reg.RecordTitle()), "frankfurt") {
			continue
		}
		if reg.City == "frankfurt" && (inCity == "" || k < rank[inCity]) {
			inCity = id
		}
		if reg.City != "frankfurt" && (mentioning == "" || k < rank[mentioning]) {
			mentioning = id
		}
	}
	if inCity == "" || mentioning == "" {
		t.Fatalf("the dataset no longer has both cases: ranks %v", rank)
	}
	if rank[inCity] > rank[mentioning] {
		t.Errorf("%s (in Frankfurt) ranks %d, after %s (mentions it) at %d", inCity, rank[inCity], mentioning, rank[mentioning])
	}
}

// searchEmbedded searches the embedded dataset with a new engine.
func searchEmbedded(t *testing.T, query string) (*model.Dataset, *search.Engine, search.Result) {
	t.Helper()
	ds, err := data.Embedded()
	if err != nil {
		t.Fatalf("embedded dataset: %v", err)
	}
	e := search.NewEngine(ds)
	return ds, e, find(t, e, query)
}
