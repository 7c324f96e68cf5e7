package search

import (
	"errors"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/dcx-explorer/dcx/model"
	"github.com/dcx-explorer/dcx/model/modeltest"
)

func search(t *testing.T, e *Engine, query string) Result {
	t.Helper()
	q, err := ParseQuery(query)
	if err != nil {
		t.Fatalf("ParseQuery(%q): %v", query, err)
	}
	return e.NewSearcher().Search(1, q)
}

func TestSearch(t *testing.T) {
	t.Parallel()
	d := modeltest.Fixture(t)
	e := NewEngine(d)
	tests := []struct {
		query string
		want  []string // exactly these ids, in any order
	}{
		// free text: any order, any case, ids, names, aliases, quotes, translations
		{"ulsan aws kind:facility", []string{"sk-aws-ulsan"}},
		{"AWS ULSAN kind:facility", []string{"sk-aws-ulsan"}},
		{"aliyun", []string{"alibaba-cloud"}},
		{"apne2-az2", []string{"aws-ap-northeast-2/apne2-az2"}},
		{"francoforte", []string{"frankfurt", "alibaba-eu-central-1", "ann-frankfurt"}},
		{"miliardi kind:investment", []string{"alibaba-380bn"}},
		{"eddie wu", []string{"alibaba-group"}},
		// places by name: the city and its country are in the record's text
		{"south korea kind:facility", []string{"sk-aws-ulsan"}},
		// diacritics both ways, and in the middle of a word
		{"dusseldorf", []string{"dusseldorf", "ali-dus"}},
		{"DÜSSELDORF kind:facility", []string{"ali-dus"}},
		{"düss kind:place", []string{"dusseldorf"}},
		// phrases and exclusions
		{`"ai data center"`, []string{"sk-aws-ulsan", "ann-ulsan"}},
		{`"data center ai"`, nil},
		{`ulsan -"ai data" kind:announcement,facility`, nil},
		{"ulsan -campus kind:facility,announcement", []string{"sk-aws-ulsan"}},
		{"vodafone -kind:company", []string{"alibaba-eu-central-1", "ann-frankfurt"}},
		// field filters
		{"kind:facility", []string{"sk-aws-ulsan", "ali-dus"}},
		{"kind:facilities", []string{"sk-aws-ulsan", "ali-dus"}},
		{"type:zones", []string{"aws-ap-northeast-2/apne2-az1", "aws-ap-northeast-2/apne2-az2"}},
		{"kind:fac", []string{"sk-aws-ulsan", "ali-dus"}},
		{"company:alibaba kind:facility,region,investment", []string{"ali-dus", "alibaba-eu-central-1", "alibaba-380bn"}},
		{"company:alibaba-group kind:region", []string{"alibaba-eu-central-1"}}, // through Alibaba Cloud, a subsidiary
		{"company:aliyun kind:investment", nil},                                 // the parent's plan is not the child's
		{"company:aws kind:facility", []string{"sk-aws-ulsan"}},
		{"company:amazon kind:zone", []string{"aws-ap-northeast-2/apne2-az1", "aws-ap-northeast-2/apne2-az2"}},
		{"provider:aws kind:region,zone,facility", []string{"aws-ap-northeast-2", "aws-ap-northeast-2/apne2-az1", "aws-ap-northeast-2/apne2-az2"}},
		{"country:KR kind:facility,region", []string{"sk-aws-ulsan", "aws-ap-northeast-2"}},
		{"country:korea kind:facility", []string{"sk-aws-ulsan"}},
		{"country:in", []string{"in"}}, // the code, not every name containing "in"
		{"country:de kind:announcement", []string{"ann-frankfurt"}},
		{"area:apac kind:facility,investment,place", []string{"sk-aws-ulsan", "alibaba-380bn", "kr", "cn", "in", "ulsan", "seoul", "area-apac"}},
		{"area:europe kind:facility", []string{"ali-dus"}},
		{"area:asia kind:region", []string{"aws-ap-northeast-2"}},
		{"place:seoul", []string{"seoul", "aws-ap-northeast-2", "aws-ap-northeast-2/apne2-az1", "aws-ap-northeast-2/apne2-az2"}},
		{"year:2016", []string{"alibaba-eu-central-1", "ann-frankfurt"}},
		{"year:2027", []string{"sk-aws-ulsan"}}, // a phase target
		{"year>=2025 kind:region", []string{"aws-ap-northeast-2"}},
		{"status:construction", []string{"sk-aws-ulsan"}},
		{"status:plan", []string{"ali-dus"}},
		{"status:active kind:region", []string{"aws-ap-northeast-2", "alibaba-eu-central-1"}},
		{"status!=active kind:region,facility", []string{"sk-aws-ulsan", "ali-dus"}},
		// numbers
		{"mw>=100", []string{"sk-aws-ulsan", "ann-ulsan"}}, // the announcement carries its facility's power
		{"mw>20 kind:facility", []string{"sk-aws-ulsan"}},
		{"mw>=20 kind:facility", []string{"sk-aws-ulsan", "ali-dus"}},
		{"mw<20", nil},
		{"mw<=20", []string{"ali-dus"}},
		{"mw=103 kind:facility", []string{"sk-aws-ulsan"}},
		{"mw:103 kind:facility", []string{"sk-aws-ulsan"}},
		{"mw!=103 kind:facility", []string{"ali-dus"}},
		{"gpus>10000", []string{"sk-aws-ulsan", "ann-ulsan"}},
		{"gpus>10k kind:facility", []string{"sk-aws-ulsan"}},
		{"zones>=90", []string{"alibaba-cloud"}}, // the latest footprint, 91
		{"zones>=3 kind:region", []string{"aws-ap-northeast-2", "alibaba-eu-central-1"}},
		{"zones>3", []string{"aws-ap-northeast-2", "alibaba-cloud"}},
		{"regions>20", []string{"alibaba-cloud"}},
		{"usd>=1e9 kind:investment", []string{"alibaba-380bn"}},
		{"usd>=52.9bn kind:investment", []string{"alibaba-380bn"}},   // 380/7.18 = 52.92
		{"usd>=53bn kind:investment", nil},                           // ...but not 53
		{"eur>=50bn kind:investment", []string{"alibaba-380bn"}},     // 52.92/1.05 = 50.4
		{"cny>=380bn kind:investment", []string{"alibaba-380bn"}},    // its own currency
		{"usd>=500m kind:facility", []string{"ali-dus"}},             // EUR 500m capex = USD 525m
		{"usd<1bn", []string{"ali-dus"}},                             // records without an amount never match
		{"-usd<1bn kind:facility", []string{"sk-aws-ulsan"}},         // ...but negation keeps them
		{"usd>=1e9 kind:announcement", []string{"ann-alibaba-plan"}}, // the plan's amount
	}
	for _, tt := range tests {
		res := search(t, e, tt.query)
		got := modeltest.IDs(d, res.Matches())
		sort.Strings(got)
		want := slices.Clone(tt.want)
		sort.Strings(want)
		if !slices.Equal(got, want) {
			t.Errorf("%q: got %q, want %q", tt.query, got, want)
		}
		if len(res.Fuzzy) > 0 {
			t.Errorf("%q: fuzzy %q, want exact matching only", tt.query, res.Fuzzy)
		}
	}
}

func TestSearchMatchesAreInDatasetOrderWithCounts(t *testing.T) {
	t.Parallel()
	d := modeltest.Fixture(t)
	res := search(t, NewEngine(d), "alibaba")
	if !slices.IsSorted(res.Matches()) || len(res.Matches()) == 0 {
		t.Fatalf("matches %v not in dataset order", res.Matches())
	}
	counts := map[model.Kind]int{}
	for _, m := range res.Matches() {
		counts[d.Records()[m].RecordKind()]++
	}
	if len(counts) != len(res.Counts) {
		t.Fatalf("Counts = %v, want %v", res.Counts, counts)
	}
	for k, c := range counts {
		if res.Counts[k] != c {
			t.Errorf("Counts[%s] = %d, want %d", k, res.Counts[k], c)
		}
	}
}

func TestEmptyQueryMatchesAll(t *testing.T) {
	t.Parallel()
	d := modeltest.Fixture(t)
	for _, s := range []string{"", "   ", "kind:", "mw>=", "-", `""`} {
		q, err := ParseQuery(s)
		if err != nil || !q.Empty() {
			t.Errorf("ParseQuery(%q) = %v, %v; want an empty query", s, q, err)
			continue
		}
		if got := NewEngine(d).NewSearcher().Search(1, q).Len(); got != d.Len() {
			t.Errorf("%q matched %d records, want all %d", s, got, d.Len())
		}
	}
}

func TestFuzzyFallback(t *testing.T) {
	t.Parallel()
	d := modeltest.Fixture(t)
	e := NewEngine(d)
	tests := []struct {
		query  string
		want   []string
		fuzzy  []string
		approx []string // Result.Approx as strings
	}{
		{"ulsna kind:facility", []string{"sk-aws-ulsan"}, []string{"ulsna"}, []string{"ulsna ≈ ulsan"}}, // transposition
		{"frankfrut kind:region", []string{"alibaba-eu-central-1"}, []string{"frankfrut"}, []string{"frankfrut ≈ frankfurt"}},
		{"vodafon kind:company", []string{"vodafone"}, nil, nil}, // a prefix is an exact substring
		{"alibabba kind:investment", []string{"alibaba-380bn"}, []string{"alibabba"}, []string{"alibabba ≈ alibaba"}},
		{"qzx", nil, nil, nil}, // too short to be fuzzy
		{"zzzzzzzzzz", nil, []string{"zzzzzzzzzz"}, []string{"zzzzzzzzzz ≈ nothing"}}, // fuzzy, still nothing
		// A match across words reports the words.
		{"datacentr", []string{"ann-frankfurt", "ann-ulsan", "s-it", "sk-aws-ulsan"}, []string{"datacentr"}, []string{"datacentr ≈ data center"}},
		// A word that exists exactly is never fuzzy, even when the other
		// constraints leave nothing.
		{"ulsan kind:company", nil, nil, nil},
		// Phrases are never fuzzy: the user asked for exactly these words.
		{`"data center ai"`, nil, nil, nil},
	}
	for _, tt := range tests {
		res := search(t, e, tt.query)
		got := modeltest.IDs(d, res.Matches())
		sort.Strings(got)
		var approx []string
		for _, a := range res.Approx {
			approx = append(approx, a.String())
		}
		if !slices.Equal(got, tt.want) || !slices.Equal(res.Fuzzy, tt.fuzzy) || !slices.Equal(approx, tt.approx) {
			t.Errorf("%q: got %q (fuzzy %q, approx %q), want %q (fuzzy %q, approx %q)", tt.query, got, res.Fuzzy, approx, tt.want, tt.fuzzy, tt.approx)
		}
	}
}

func TestFuzzyTermAgainstEditDistance(t *testing.T) {
	t.Parallel()
	words := []string{"ulsan", "frankfurt", "alibaba", "seoul", "aws", "dusseldorf", "data", "center", "abcd", "aaaa"}
	texts := []string{"sk aws ai zone ulsan", "frankfurt am main", "alibaba cloud", "ulasn", "fraknfurt", "alibab", "xx", "", "abdc", "aaa", "dusseldorff", "center data"}
	for _, w := range words {
		for k := 1; k <= 2; k++ {
			ft := newFuzzyTerm(w, k)
			for _, text := range texts {
				want := substringDistance(w, text) <= k
				if got := ft.distanceWithin([]byte(text)); got != want {
					t.Errorf("distanceWithin(%q in %q, k=%d) = %v, want %v", w, text, k, got, want)
				}
				// The pigeonhole filter and the windows around the pieces
				// must neither reject a true match nor invent one.
				if got := ft.match([]byte(text)); got != want {
					t.Errorf("match(%q in %q, k=%d) = %v, want %v", w, text, k, got, want)
				}
			}
		}
	}
}

// TestFuzzyMatchRandom checks match against the brute-force distance on
// random texts over a small alphabet, where near misses abound: matches at
// the text's edges, pieces occurring many times, windows overlapping.
func TestFuzzyMatchRandom(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 6))
	const alpha = "abc \n"
	for range 3000 {
		w := make([]byte, 4+rng.IntN(7))
		for i := range w {
			w[i] = "abc"[rng.IntN(3)]
		}
		text := make([]byte, rng.IntN(40))
		for i := range text {
			text[i] = alpha[rng.IntN(len(alpha))]
		}
		k := fuzzyK(string(w))
		want := substringDistance(string(w), string(text)) <= k
		if got := newFuzzyTerm(string(w), k).match(text); got != want {
			t.Fatalf("match(%q in %q, k=%d) = %v, want %v", w, text, k, got, want)
		}
	}
}

// substringDistance is the least edit distance between p and any substring of t.
func substringDistance(p, t string) int {
	prev := make([]int, len(t)+1) // row 0: a match may start anywhere
	for i := 1; i <= len(p); i++ {
		cur := make([]int, len(t)+1)
		cur[0] = i
		for j := 1; j <= len(t); j++ {
			c := prev[j-1]
			if p[i-1] != t[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev = cur
	}
	return slices.Min(prev)
}

func TestParseQueryErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		query string
		pos   int
		token string
		msg   string
	}{
		{"mw>=abc", 4, "mw>=abc", `mw>=abc: "abc" is not a number`},
		{"ulsan gpus>lots", 11, "gpus>lots", `gpus>lots: "lots" is not a number`},
		{"foo:bar", 0, "foo:bar", `foo:bar: unknown field "foo"`},
		{"aws -foo:bar", 5, "-foo:bar", `-foo:bar: unknown field "foo"`},
		{"kind:xyz", 5, "kind:xyz", `kind:xyz: no kind "xyz"`},
		{"year:20x5", 5, "year:20x5", `year:20x5: "20x5" is not a number`},
		{"year:2025.5", 5, "year:2025.5", `year:2025.5: "2025.5" is not a year`},
		{"x status>=3", 8, "status>=3", `status>=3: status takes ':' or '!='`},
		{"usd>=1e9e9", 5, "usd>=1e9e9", `is not a number`},
	}
	for _, tt := range tests {
		_, err := ParseQuery(tt.query)
		var qe *QueryError
		if !errors.As(err, &qe) {
			t.Errorf("ParseQuery(%q) = %v, want a *QueryError", tt.query, err)
			continue
		}
		if qe.Pos != tt.pos || qe.Token != tt.token || !strings.Contains(qe.Msg, tt.msg) || qe.Error() != qe.Msg {
			t.Errorf("ParseQuery(%q) = {Pos %d, Token %q, Msg %q}, want {%d, %q, containing %q}", tt.query, qe.Pos, qe.Token, qe.Msg, tt.pos, tt.token, tt.msg)
		}
	}
}

func TestParseNumbers(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]float64{"100": 100, "1e9": 1e9, "5.1bn": 5.1e9, "100k": 1e5, "2.5m": 2.5e6, "1_000": 1000, "1,000": 1000, "3trn": 3e12, "52.9B": 52.9e9, "7mn": 7e6} {
		got, err := parseNumber(s)
		if err != nil || !near(got, want) {
			t.Errorf("parseNumber(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"abc", "bn", "1e", "NaN", "inf", "0x10", "1.2.3"} {
		if v, err := parseNumber(s); err == nil {
			t.Errorf("parseNumber(%q) = %v, want an error", s, v)
		}
	}
}

func TestQueryString(t *testing.T) {
	t.Parallel()
	a, _ := ParseQuery(`Ulsan  "AI data"  -Azure kind:fac MW>=100`)
	b, _ := ParseQuery(`ulsan "ai   data" -azure type:facilities mw>=1e2`)
	if a.String() != b.String() {
		t.Errorf("canonical forms differ: %q vs %q", a.String(), b.String())
	}
	if !slices.Equal(a.Terms(), []string{"ulsan", "ai data"}) {
		t.Errorf("Terms = %q", a.Terms())
	}
}

func TestHighlight(t *testing.T) {
	t.Parallel()
	tests := []struct {
		query, s string
		want     []string
	}{
		{"ulsan aws", "SK-AWS Ulsan campus, ulsan", []string{"AWS", "Ulsan", "ulsan"}},
		{"dussel", "Rechenzentrum Düsseldorf", []string{"Düssel"}},
		{"strasse", "Königstraße 5", []string{"straße"}},
		{"e", "Cafe\u0301 e", []string{"e\u0301", "e"}}, // a decomposed accent stays with its letter
		{`"ai data"`, "AI  DATA center", []string{"AI  DATA"}},
		{"data center", "datacenter data center", []string{"datacenter", "data", "center"}}, // adjacent ranges merge
		{"aaa", "aaaa", []string{"aaaa"}},                                                   // overlapping matches merge
		{"kind:facility mw>=1", "facility", nil},
		{"ß", "Strasse", nil}, // "ss" is in the folded text, but not where...
	}
	for _, tt := range tests {
		q, err := ParseQuery(tt.query)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range q.Highlight(tt.s) {
			got = append(got, tt.s[r[0]:r[1]])
		}
		if tt.query == "ß" {
			// ß folds to "ss", which Strasse contains: one range over "ss".
			tt.want = []string{"ss"}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Highlight(%q, %q) = %q, want %q", tt.query, tt.s, got, tt.want)
		}
	}
}

func TestFold(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Düsseldorf": "dusseldorf", "São Paulo": "sao paulo", "Querétaro": "queretaro", "Łódź": "lodz",
		"STRAßE": "strasse", "Ærø": "aero", "Ñandú": "nandu", "e\u0301te\u0301": "ete", "  a \t b  ": "a b",
		"Ελληνικά": "ελληνικα", "阿里巴巴": "阿里巴巴", "Tiếng Việt": "tieng viet",
	} {
		if got := fold(in); got != want {
			t.Errorf("fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTop(t *testing.T) {
	t.Parallel()
	d := modeltest.Fixture(t)
	e := NewEngine(d)
	res := search(t, e, "ulsan")
	top := res.Top(res.Len())
	if got := modeltest.IDs(d, top[:1]); got[0] != "ulsan" {
		t.Errorf("Top(1) = %q, want the city whose title is the term", got)
	}
	// Every record with the term in its title ranks before every other.
	inTitle := func(i int32) bool { return strings.Contains(strings.ToLower(d.Records()[i].RecordTitle()), "ulsan") }
	for k := 1; k < len(top); k++ {
		if !inTitle(top[k-1]) && inTitle(top[k]) {
			t.Errorf("Top: %q ranks after %q", modeltest.IDs(d, top[k:k+1]), modeltest.IDs(d, top[k-1:k]))
		}
	}
	if got := res.Top(2); !slices.Equal(got, top[:2]) {
		t.Errorf("Top(2) = %v, want the first two of Top(all) %v", got, top[:2])
	}
	all := res.Top(100)
	if len(all) != res.Len() {
		t.Fatalf("Top(100) = %d, want all %d", len(all), res.Len())
	}
	sorted := slices.Clone(all)
	slices.Sort(sorted)
	if !slices.Equal(sorted, res.Matches()) {
		t.Errorf("Top(all) is not a permutation of Matches")
	}
	if got := search(t, e, "kind:facility").Top(1); len(got) != 1 || got[0] != res.e.kindFirst(model.KindFacility) {
		t.Errorf("Top without terms = %v, want the first facility in dataset order", got)
	}
	if got := res.Top(0); got != nil {
		t.Errorf("Top(0) = %v", got)
	}
}

func (e *Engine) kindFirst(k model.Kind) int32 {
	for i := range e.kind {
		if e.kind[i] == uint8(k.Order()) {
			return int32(i)
		}
	}
	return -1
}

func TestRun(t *testing.T) {
	t.Parallel()
	d := modeltest.Fixture(t)
	recs, approx, err := Run(d, "ulsan kind:facility")
	if err != nil || len(recs) != 1 || recs[0].RecordID() != "sk-aws-ulsan" || len(approx) != 0 {
		t.Errorf("Run = %v, %v, %v", recs, approx, err)
	}
	if recs, approx, _ := Run(d, "ulsna kind:facility"); len(recs) != 1 || ApproxSummary(approx) != "ulsna ≈ ulsan" {
		t.Errorf("Run with a typo = %v, %v", recs, approx)
	}
	if _, _, err := Run(d, "mw>=x"); err == nil {
		t.Error("Run with a bad query: no error")
	}
}

func TestStaleSeq(t *testing.T) {
	t.Parallel()
	d := modeltest.Fixture(t)
	s := NewEngine(d).NewSearcher()
	q := func(v string) Query { x, _ := ParseQuery(v); return x }
	r5 := s.Search(5, q("ulsan"))
	if r5.Stale || r5.Seq != 5 || r5.Len() == 0 {
		t.Fatalf("seq 5: %+v", r5)
	}
	r3 := s.Search(3, q("alibaba"))
	if !r3.Stale || r3.Seq != 3 || r3.Len() != 0 {
		t.Fatalf("seq 3 after 5: Stale %v, %d matches; want a stale, empty result", r3.Stale, r3.Len())
	}
	// The stale query did not become the base: extending "ulsan" still
	// refines the ulsan result correctly.
	r6 := s.Search(6, q("ulsan kind:facility"))
	if got := modeltest.IDs(d, r6.Matches()); r6.Stale || !slices.Equal(got, []string{"sk-aws-ulsan"}) {
		t.Fatalf("seq 6: %q (stale %v)", got, r6.Stale)
	}
	// The same seq again is not stale (a view re-running its query).
	if r := s.Search(6, q("seoul")); r.Stale || r.Len() == 0 {
		t.Errorf("repeated seq 6: stale %v, %d matches", r.Stale, r.Len())
	}
}

// TestBoundsHoldScores checks the ranking's bound (title length and
// word-start mask) against the score itself: the bound may be loose, never
// below, or Top would skip a record that belongs in it.
func TestBoundsHoldScores(t *testing.T) {
	t.Parallel()
	d := modeltest.Fixture(t)
	e := NewEngine(d)
	// Terms: pieces of the titles themselves, at word starts and inside
	// words, plus a few that are not there.
	var pool [][]byte
	for i := range d.Records() {
		title := e.text(i)[:e.tlen[i]]
		for p := 0; p+1 < len(title); p += 3 {
			pool = append(pool, slices.Clone(title[p:min(len(title), p+1+p%4)]))
		}
	}
	pool = append(pool, []byte("zq"), []byte("x"), []byte("é"), []byte(" s"))
	rng := rand.New(rand.NewPCG(5, 6))
	for range 3000 {
		terms := make([][]byte, 1+rng.IntN(3))
		for j := range terms {
			terms[j] = pool[rng.IntN(len(pool))]
		}
		b := e.newBounds(terms)
		lks := make([]links, len(terms))
		for j, term := range terms {
			lks[j] = e.exactLinks(string(term), nil)
		}
		for i := range d.Records() {
			if got, score := b.of(e, int32(i)), e.score(i, terms, lks); got < score {
				t.Fatalf("terms %q, record %s: bound %d below score %d", terms, d.Records()[i].RecordID(), got, score)
			}
		}
	}
}

// A refinement checks only what the base did not: the same term matched the
// same way, the same exclusion and a filter of the same key are dropped,
// whatever their spelling or order; a longer term, a new exclusion and a
// term matched another way are kept.
func TestNewConstraints(t *testing.T) {
	t.Parallel()
	parse := func(s string) Query {
		q, err := ParseQuery(s)
		if err != nil {
			t.Fatal(err)
		}
		return q
	}
	base := &searched{q: parse("data ce kind:fac -ulsan mw>=100"), modes: []int{0, 0}}
	got, modes := newConstraints(parse("cen -ulsan kind:facility data -aws mw>=50"), []int{0, 0}, base)
	if !slices.Equal(got.terms, []string{"cen"}) || !slices.Equal(modes, []int{0}) {
		t.Errorf("terms %q modes %v, want [cen] [0]", got.terms, modes)
	}
	if !slices.Equal(got.excl, []string{"aws"}) {
		t.Errorf("exclusions %q, want [aws]", got.excl)
	}
	if len(got.filters) != 1 || got.filters[0].key() != parse("mw>=50").filters[0].key() {
		t.Errorf("filters %v, want mw>=50 alone", got.filters)
	}
	// The same word, matched approximately in the base, is checked again.
	base = &searched{q: parse("frankfrut"), modes: []int{2}}
	if got, _ := newConstraints(parse("frankfrut"), []int{0}, base); !slices.Equal(got.terms, []string{"frankfrut"}) {
		t.Errorf("a term exact now and approximate before was dropped: %q", got.terms)
	}
}

// Ranking a small dataset's matches costs memory in proportion to them: an
// SSH server ranks for hundreds of sessions at once, and a buffer sized
// for a million records per ranking (128 KB) made its slowest keystrokes
// three times slower at 500 sessions.
//
// Not parallel: it reads the process's allocation counters, which other
// tests running at the same time would add to.
func TestRankingSmallAllocates(t *testing.T) {
	e := NewEngine(modeltest.Fixture(t))
	q, err := ParseQuery("a")
	if err != nil {
		t.Fatal(err)
	}
	res := e.NewSearcher().Search(1, q)
	set := res.Set()
	if set == nil {
		set = make([]uint64, (len(e.recs)+63)/64)
		for _, i := range res.Matches() {
			set[i>>6] |= 1 << (i & 63)
		}
	}
	// Two collections empty the buffer pool, as a busy server's do between
	// one session's keystrokes.
	const runs = 20
	var total uint64
	for range runs {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.GC()
		runtime.ReadMemStats(&before)
		res.TopOfSet(set, 10)
		runtime.ReadMemStats(&after)
		total += after.TotalAlloc - before.TotalAlloc
	}
	if per := total / runs; per > 16<<10 {
		t.Errorf("ranking %d records allocates %d bytes a time, want under 16 KB", res.Len(), per)
	}
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b)) }

// The help's description of the fields is the parser's: every name and
// alias parses, numeric ones with >=, text ones with :.
func TestFieldsHelpParses(t *testing.T) {
	fields := Fields()
	if len(fields) != len(FieldNames()) {
		t.Fatalf("%d fields described, %d names", len(fields), len(FieldNames()))
	}
	for _, f := range fields {
		for _, name := range append([]string{f.Name}, f.Aliases...) {
			q := name + ":x"
			if f.Name == "kind" {
				q = name + ":facility"
			}
			if f.Numeric {
				q = name + ">=1"
			}
			if _, err := ParseQuery(q); err != nil {
				t.Errorf("%s (from %s): %v", q, f.Name, err)
			}
		}
	}
	for _, op := range Operators() {
		if _, err := ParseQuery("mw" + op + "1"); err != nil {
			t.Errorf("operator %s: %v", op, err)
		}
	}
}
