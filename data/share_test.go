package data

import (
	"bytes"
	"testing"

	"github.com/dcx-explorer/dcx/data/synth"
	"github.com/dcx-explorer/dcx/model"
)

// The loader shares repeated evidence lists, string lists and dates to keep
// a million records small. Sharing must be invisible: every shared slice
// has its length as capacity (an append copies instead of writing into
// another record), and an unrepeated value is never shared.
func TestLoadSharesRepeatsReadOnly(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := synth.Write(&buf, 3000, 3); err != nil {
		t.Fatal(err)
	}
	ds, err := Read(&buf, "synth.json")
	if err != nil {
		t.Fatal(err)
	}
	tight := func(what string, n, c int) {
		t.Helper()
		if n != c {
			t.Fatalf("%s: len %d, cap %d; shared slices must be full", what, n, c)
		}
	}
	sharedEv, sharedSupports := 0, 0
	var firstSupports *string
	for i := range ds.Facilities {
		f := &ds.Facilities[i]
		tight("facility evidence", len(f.Evidence), cap(f.Evidence))
		for _, m := range f.Milestones {
			tight("milestone evidence", len(m.Evidence), cap(m.Evidence))
			if len(m.Evidence) > 0 && len(f.Evidence) > 0 && &m.Evidence[0] == &f.Evidence[0] {
				sharedEv++
			}
			if len(m.Evidence) > 0 && len(f.Evidence) > 0 && &m.Evidence[0] != &f.Evidence[0] &&
				sameEvidence(m.Evidence[0], f.Evidence[0]) && len(m.Evidence) == len(f.Evidence) {
				t.Fatalf("%s: a milestone repeats the facility's evidence but holds a copy", f.ID)
			}
		}
		for _, ev := range f.Evidence {
			tight("supports", len(ev.Supports), cap(ev.Supports))
			if len(ev.Supports) == 0 {
				continue
			}
			if firstSupports == nil {
				firstSupports = &ev.Supports[0]
			} else if &ev.Supports[0] == firstSupports {
				sharedSupports++
			}
		}
	}
	if sharedEv == 0 || sharedSupports == 0 {
		t.Errorf("nothing shared (evidence %d, supports %d); the synthetic data repeats both", sharedEv, sharedSupports)
	}
	// Different values stay apart.
	seen := map[*model.Evidence]string{}
	for i := range ds.Announcements {
		a := &ds.Announcements[i]
		if len(a.Evidence) == 0 {
			continue
		}
		if other, dup := seen[&a.Evidence[0]]; dup {
			t.Fatalf("%s and %s share an evidence list", other, a.ID)
		}
		seen[&a.Evidence[0]] = a.ID
	}
	// Equal dates share one Date; a date's value is still its own.
	byValue := map[model.Date]*model.Date{}
	sharedDates := 0
	for i := range ds.Facilities {
		for _, p := range ds.Facilities[i].Phases {
			if p.Target == nil {
				continue
			}
			if q, ok := byValue[*p.Target]; ok && q == p.Target {
				sharedDates++
			}
			byValue[*p.Target] = p.Target
		}
	}
	if sharedDates == 0 {
		t.Error("no phase target date is shared; the synthetic data repeats them")
	}
}
