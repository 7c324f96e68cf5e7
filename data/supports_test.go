package data

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/dcx-explorer/dcx/model"
)

// derived are fields no evidence has to support: the record's identity and
// bookkeeping, values worked out from other fields, and the fields whose
// own items carry their evidence (milestones, phases, status history,
// footprints, people, reports).
var derived = map[string]bool{
	"id": true, "evidence": true, "conflicts": true, "notes": true, "not_found": true, "third_party_fields": true,
	"kind": true, "language": true, "file": true, "quality": true, "status_history": true,
	"milestones": true, "phases": true, "footprints": true, "people": true, "reports": true,
}

// documentFields are what a source held in data/documents is read from
// itself: its title, publisher, address and date.
var documentFields = map[string]bool{"title": true, "publisher": true, "url": true, "published": true}

// Every field a record fills is backed by some evidence that says it
// supports it, or is derived: no value of the embedded dataset rests on
// nothing. The hand-written records of the first releases predate the rule;
// their gaps are listed in testdata/unsupported.txt, which may only shrink.
func TestEveryFieldIsSupported(t *testing.T) {
	t.Parallel()
	ds, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile("testdata/unsupported.txt")
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, line := range strings.Split(string(raw), "\n") {
		if line != "" && !strings.HasPrefix(line, "#") {
			known[line] = true
		}
	}
	seen := map[string]bool{}
	for _, r := range ds.Records() {
		if r.RecordKind() == model.KindZone {
			continue
		}
		var supported []string
		for _, ev := range model.AllEvidence(r) {
			supported = append(supported, ev.Supports...)
		}
		filled := model.Filled(r)
		fields := make([]string, 0, len(filled))
		for f := range filled {
			fields = append(fields, f)
		}
		slices.Sort(fields)
		for _, f := range fields {
			if derived[f] || slices.Contains(supported, f) {
				continue
			}
			// A source held in data/documents is itself the document its
			// title, publisher and date are read from.
			if src, ok := r.(*model.Source); ok && src.File != "" && documentFields[f] {
				continue
			}
			// A country's code is the ISO 3166-1 code of its name; an area's
			// is dcx's own.
			if f == "code" && r.RecordKind() == model.KindPlace {
				continue
			}
			// "coords" of a facility come from its city's record.
			if f == "coords" || f == "coords_from" {
				if fc, ok := r.(*model.Facility); ok && fc.CoordsFrom == "city" {
					continue
				}
			}
			gap := string(r.RecordKind()) + " " + r.RecordID() + " " + f
			seen[gap] = true
			if !known[gap] {
				t.Errorf("%s %s: %s is filled but no evidence supports it", r.RecordKind(), r.RecordID(), f)
			}
		}
	}
	for gap := range known {
		if !seen[gap] {
			t.Errorf("%s: supported now; remove it from testdata/unsupported.txt", gap)
		}
	}
}
