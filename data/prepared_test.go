//go:build !nosnapshot

package data

import (
	"reflect"
	"testing"
	"unsafe"
)

// TestSnapshotCurrent: the snapshot built in is made from the embedded JSON
// as it is now and decodes to exactly what loading the JSON gives.
func TestSnapshotCurrent(t *testing.T) {
	t.Parallel()
	fromSnap, err := fromSnapshot()
	if err != nil {
		t.Fatalf("the built-in snapshot cannot be used: %v", err)
	}
	fromJSON, err := Options{}.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fromSnap, fromJSON) {
		t.Fatal("the snapshot and the JSON give different datasets: run go generate ./data")
	}
}

// TestEmbeddedFromSnapshot: Embedded reads the snapshot (its strings lie in
// the snapshot's bytes) rather than the JSON.
func TestEmbeddedFromSnapshot(t *testing.T) {
	t.Parallel()
	ds, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	lo := uintptr(unsafe.Pointer(unsafe.StringData(snapshotBlob)))
	hi := lo + uintptr(len(snapshotBlob))
	for _, r := range []string{ds.Sources[0].ID, ds.Facilities[0].Name, ds.Announcements[len(ds.Announcements)-1].Headline} {
		if p := uintptr(unsafe.Pointer(unsafe.StringData(r))); p < lo || p >= hi {
			t.Errorf("%q does not come from the snapshot: Embedded read the JSON", r)
		}
	}
}
