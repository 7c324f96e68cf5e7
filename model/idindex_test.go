package model_test

import (
	"testing"

	"github.com/dcx-explorer/dcx/model"
)

// Get must find every record by its id (the index is a hash table of its
// own, not a map) and nothing else; ByKind's runs must not let an append
// spill into the next kind.
func TestGetAndByKindAfterBuild(t *testing.T) {
	ds := synthetic(t).Dataset()
	for i, r := range ds.Records() {
		got, ok := ds.Get(r.RecordID())
		if !ok || got != r {
			t.Fatalf("Get(%q) = %v, %v; want record %d", r.RecordID(), got, ok, i)
		}
		if _, ok := ds.Get(r.RecordID() + "-missing"); ok {
			t.Fatalf("Get(%q) found a record that does not exist", r.RecordID()+"-missing")
		}
	}
	if _, ok := (&model.Dataset{}).Get("x"); ok {
		t.Error("Get on an empty dataset found a record")
	}
	total := 0
	for _, k := range model.Kinds {
		rs := ds.ByKind(k)
		total += len(rs)
		if len(rs) != cap(rs) {
			t.Errorf("ByKind(%s): len %d, cap %d; an append would overwrite the next kind", k, len(rs), cap(rs))
		}
		for _, r := range rs {
			if r.RecordKind() != k {
				t.Fatalf("ByKind(%s) holds a %s", k, r.RecordKind())
			}
		}
	}
	if total != ds.Len() {
		t.Errorf("ByKind covers %d records, want %d", total, ds.Len())
	}
}
