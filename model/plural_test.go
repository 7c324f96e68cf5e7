package model

import "testing"

func TestPlural(t *testing.T) {
	for _, c := range []struct {
		n    int
		noun string
		want string
	}{
		{1, "source", "1 source"},
		{0, "source", "0 sources"},
		{2, "source", "2 sources"},
		{1, "facility", "1 facility"},
		{3, "facility", "3 facilities"},
		{5, "company", "5 companies"},
		{2, "day", "2 days"},
		{2, "exchange rate", "2 exchange rates"},
		{1, "problem", "1 problem"},
		{4, "box", "4 boxes"},
		{2, "match", "2 matches"},
		{2, "status", "2 statuses"},
	} {
		if got := Plural(c.n, c.noun); got != c.want {
			t.Errorf("Plural(%d, %q) = %q, want %q", c.n, c.noun, got, c.want)
		}
	}
	for _, k := range Kinds() {
		if got := PluralOf(string(k)); got == string(k) || got[len(got)-1] != 's' {
			t.Errorf("PluralOf(%q) = %q", k, got)
		}
	}
}
