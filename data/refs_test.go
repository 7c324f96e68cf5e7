package data

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/dcx-explorer/dcx/model"
)

// TestValidatorChecksEveryRef proves the validator knows every reference
// field model.EachRef describes: for each (kind, field) the embedded dataset
// uses, pointing one record's reference at a missing id must be reported at
// that field. A reference added to EachRef but not to validate.go fails here.
// The test changes records, so it loads its own copy of the dataset, not the
// one Embedded shares with the other tests.
func TestValidatorChecksEveryRef(t *testing.T) {
	t.Parallel()
	ds, err := Options{}.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	const missing = "zz-no-such-record"
	seen := map[string]bool{}
	for _, r := range ds.Records() {
		if r.RecordKind() == model.KindZone {
			continue // derived from its region at Build: no file holds it
		}
		var refs []model.Ref
		model.EachRef(r, func(ref model.Ref) { refs = append(refs, ref) })
		for _, ref := range refs {
			key := string(r.RecordKind()) + "." + ref.Field
			if seen[key] || ref.ID == "" {
				continue
			}
			seen[key] = true
			rel := ref.Field
			if ref.Index >= 0 {
				rel = at(ref.Field, ref.Index)
			}
			restore := setRef(t, r, ref, missing)
			c := &checker{get: ds.Get, records: ds.Len()}
			for _, check := range slices.Concat(checksFirst, checksSecond) {
				check(c, ds)
			}
			restore()
			found := false
			for _, p := range c.pending {
				if p.rel == rel && p.value == missing {
					found = true
				}
			}
			if !found {
				t.Errorf("%s %s: %s = %q is not reported by the validator", r.RecordKind(), r.RecordID(), rel, missing)
			}
		}
	}
	// The embedded dataset must exercise the reference fields, or this test
	// proves little: at least the facility and investment roles.
	for _, k := range []string{"facility.operator", "facility.owners", "facility.city", "investment.investor", "announcement.companies", "region.provider"} {
		if !seen[k] {
			t.Errorf("no record of the embedded dataset has %s", k)
		}
	}
}

// setRef points ref at id in r (by the field's JSON name) and returns what
// puts it back.
func setRef(t *testing.T, r model.Record, ref model.Ref, id string) func() {
	t.Helper()
	v := reflect.ValueOf(r).Elem()
	for i := 0; i < v.NumField(); i++ {
		name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
		if name != ref.Field {
			continue
		}
		f := v.Field(i)
		if ref.Index >= 0 {
			f = f.Index(ref.Index)
		}
		old := f.String()
		f.SetString(id)
		return func() { f.SetString(old) }
	}
	t.Fatalf("%T has no field %q", r, ref.Field)
	return nil
}
