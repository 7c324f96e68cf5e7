package search

import (
	"errors"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/dcx-explorer/dcx/model/modeltest"
)

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"ulsan aws", `"ai data center" -azure`, "kind:facility mw>=100", "company:alibaba country:KR",
		"usd>=5.1bn eur<1e9 cny!=3", "year:2025 status:constr", "Düsseldorf", "e\u0301", "ß", `place:"abu dhabi`, "-", `""`,
		"mw>=abc", "foo:bar", "\xff\xfe", "kind:", "ulsna", "gpus>10k zones>=3", "-kind:zone,region area:apac"} {
		f.Add(s, "SK-AWS Ulsan AI Data Center in Düsseldorf, Straße")
	}
	d := modeltest.Fixture(f)
	// The fixture is small: let scans map pairs too, so both ways of
	// finding a term are fuzzed against the reference.
	e := NewEngineDenseMin(d, 0)
	f.Fuzz(func(t *testing.T, s, text string) {
		q, err := ParseQuery(s)
		if err != nil {
			var qe *QueryError
			if !errors.As(err, &qe) {
				t.Fatalf("ParseQuery(%q): error %T, want *QueryError", s, err)
			}
			if qe.Pos < 0 || qe.Pos > len(s) || qe.Msg == "" {
				t.Fatalf("ParseQuery(%q): bad error %+v", s, qe)
			}
			return
		}
		for _, in := range []string{s, text} {
			prev := 0
			for _, r := range q.Highlight(in) {
				if r[0] < prev || r[0] >= r[1] || r[1] > len(in) {
					t.Fatalf("Highlight(%q) of query %q: bad range %v (after %d)", in, s, r, prev)
				}
				if utf8.ValidString(in) && (!utf8.RuneStart(in[r[0]]) || (r[1] < len(in) && !utf8.RuneStart(in[r[1]]))) {
					t.Fatalf("Highlight(%q) of query %q: range %v splits a rune", in, s, r)
				}
				prev = r[1]
			}
		}
		res := e.NewSearcher().Search(1, q)
		if want := e.SearchReference(q); !slices.Equal(res.Matches(), want) {
			t.Fatalf("query %q: %v, the reference finds %v", s, res.Matches(), want)
		}
		if top := res.Top(3); !slices.Equal(top, res.Top(res.Len())[:len(top)]) {
			t.Fatalf("query %q: Top(3) %v is not the head of the full ranking", s, top)
		}
	})
}
