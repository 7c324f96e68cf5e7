package model

import (
	"slices"
	"testing"
)

func TestSuggestIDs(t *testing.T) {
	d := &Dataset{
		Facilities: []Facility{
			{Base: Base{ID: "skt-aws-ulsan-ai-dc"}, Name: "SK Telecom–AWS Ulsan AI data center"},
			{Base: Base{ID: "stargate-abilene"}, Name: "Stargate Abilene"},
			{Base: Base{ID: "stargate-norway-narvik"}, Name: "Stargate Norway"},
			{Base: Base{ID: "stargate-uae"}, Name: "Stargate UAE"},
			{Base: Base{ID: "stargate-korea"}, Name: "Stargate Korea"},
		},
		Investments: []Investment{{Base: Base{ID: "skt-aws-ulsan-5-1bn"}, Title: "SKT and AWS joint investment"}},
	}
	if err := d.Build(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		q    string
		want []string
	}{
		{"SKT-AWS-ULSAN-AI-DC", []string{"skt-aws-ulsan-ai-dc"}},                     // letter case
		{"skt-aws-ulsan-ai-cd", []string{"skt-aws-ulsan-ai-dc"}},                     // a typo
		{"stargate-abilen", []string{"stargate-abilene"}},                            // one letter short
		{"skt-aws-ulsan", []string{"skt-aws-ulsan-5-1bn", "skt-aws-ulsan-ai-dc"}},    // the start of two
		{"stargate", []string{"stargate-uae", "stargate-korea", "stargate-abilene"}}, // up to three, shortest first
		{"narvik", []string{"stargate-norway-narvik"}},                               // inside an id
		{"joint investment", []string{"skt-aws-ulsan-5-1bn"}},                        // inside a title
		{"stargate-abilene-tx", []string{"stargate-abilene"}},                        // several edits away
		{"zzzzzz", nil},
		{"", nil},
	}
	for _, tt := range tests {
		got := d.SuggestIDs(tt.q, 3)
		if !slices.Equal(got, tt.want) {
			t.Errorf("SuggestIDs(%q) = %q, want %q", tt.q, got, tt.want)
		}
	}
}

func TestBoundedDistance(t *testing.T) {
	for _, c := range []struct {
		a, b  string
		limit int
		want  int
	}{
		{"kitten", "sitting", 3, 3},
		{"kitten", "sitting", 2, 3},
		{"", "abc", 3, 3},
		{"abc", "abc", 0, 0},
		{"abc", "abcdefgh", 2, 3},
		{"ab", "ba", 2, 2},
	} {
		if got := boundedDistance(c.a, c.b, c.limit); got != c.want {
			t.Errorf("boundedDistance(%q, %q, %d) = %d, want %d", c.a, c.b, c.limit, got, c.want)
		}
	}
}

// A string of a letter or two is within two edits of every short id: it
// suggests only ids it begins.
func TestSuggestIDsShort(t *testing.T) {
	d := &Dataset{Places: []Place{{Base: Base{ID: "kr"}}, {Base: Base{ID: "mx"}}, {Base: Base{ID: "ae"}}}}
	if err := d.Build(); err != nil {
		t.Fatal(err)
	}
	if got := d.SuggestIDs("x", 3); len(got) != 0 {
		t.Errorf("SuggestIDs(x) = %q, want none", got)
	}
	if got := d.SuggestIDs("K", 3); !slices.Equal(got, []string{"kr"}) {
		t.Errorf("SuggestIDs(K) = %q, want kr", got)
	}
}
