package model_test

import (
	"strings"
	"testing"

	"github.com/dcx-explorer/dcx/data"
	"github.com/dcx-explorer/dcx/model"
)

// TestEmbeddedUlsan searches the real embedded dataset: the SK-AWS Ulsan
// data center of the seed articles must be found by its city.
func TestEmbeddedUlsan(t *testing.T) {
	ds, err := data.Embedded()
	if err != nil {
		t.Fatalf("embedded dataset: %v", err)
	}
	e := model.NewEngine(ds)
	q, _ := model.ParseQuery("ulsan")
	res := e.NewSearcher().Search(1, q)
	if res.Counts[model.KindFacility] == 0 {
		t.Fatalf("ulsan: %d matches (%v), want at least one facility", res.Len(), res.Counts)
	}
	for _, i := range res.Matches {
		if !strings.Contains(e.SearchText(int(i)), "ulsan") {
			t.Errorf("%s matched without containing ulsan", ds.Records()[i].RecordID())
		}
	}
	top := ds.Records()[res.Top(1)[0]]
	if !strings.Contains(strings.ToLower(top.RecordTitle()), "ulsan") {
		t.Errorf("best match %q does not name Ulsan in its title", top.RecordTitle())
	}
}
