package search_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dcx-explorer/dcx/data/synth"
	"github.com/dcx-explorer/dcx/model"
	"github.com/dcx-explorer/dcx/search"
)

// syntheticEngine is made once, when first asked for, and shared read-only
// by the tests (an Engine is safe for concurrent searches).
var syntheticEngine = sync.OnceValue(func() *search.Engine {
	ds := synth.Generate(20000, 7)
	if err := ds.Build(); err != nil {
		panic(err)
	}
	return search.NewEngine(ds)
})

// synthetic is an engine over a generated dataset spanning several engine
// segments, so scans run in parallel and merge.
func synthetic(t testing.TB) *search.Engine {
	t.Helper()
	return syntheticEngine()
}

// TestRefinementEqualsFreshSearch types random queries keystroke by
// keystroke, with backspaces, into one Searcher, and checks every result
// against the sequential reference: refinement from remembered results, the
// parallel scan and the fuzzy fallback must all agree with it.
func TestRefinementEqualsFreshSearch(t *testing.T) {
	t.Parallel()
	d := synthetic(t).Dataset()
	// Both ways of finding a common term: the pairs map and hit to hit.
	for _, min := range []int{0, 1 << 30} {
		t.Run(fmt.Sprintf("denseMin=%d", min), func(t *testing.T) {
			t.Parallel()
			typeRandomQueries(t, search.NewEngineDenseMin(d, min))
		})
	}
}

func typeRandomQueries(t *testing.T, e *search.Engine) {
	pieces := []string{"ulsan", "aws", "alibaba", "data", "center", "seoul", "frankfrut", "ulsna", "campus", "kind:facility",
		"kind:ann", "mw>=100", "mw<50", "-cloud", `"ai campus"`, "country:kr", "area:europe", "year:2020", "usd>=1bn",
		"status:op", "company:alibaba", "gpus>20000", "-kind:zone", "düsseldorf", "sk", "zones>=2", "provider:aws"}
	steps := 120
	if testing.Short() {
		steps = 40
	}
	rng := rand.New(rand.NewPCG(1, 2))
	s := e.NewSearcher()
	var seq uint64
	typed := ""
	for step := 0; step < steps; step++ {
		if rng.IntN(5) == 0 && typed != "" {
			typed = typed[:max(0, len(typed)-1-rng.IntN(3))]
			for len(typed) > 0 && typed[len(typed)-1]&0xC0 == 0x80 { // keep UTF-8 whole
				typed = typed[:len(typed)-1]
			}
		} else {
			if typed != "" {
				typed += " "
			}
			piece := pieces[rng.IntN(len(pieces))]
			// Type the piece one character at a time, checking each prefix.
			for _, r := range piece {
				typed += string(r)
				check(t, e, s, &seq, typed)
			}
			if len(typed) > 60 {
				typed = ""
			}
			continue
		}
		check(t, e, s, &seq, typed)
	}
}

func check(t *testing.T, e *search.Engine, s *search.Searcher, seq *uint64, typed string) {
	t.Helper()
	q, err := search.ParseQuery(typed)
	if err != nil {
		return // a half-typed token may be invalid; the UI shows the error
	}
	*seq++
	got := s.Search(*seq, q)
	want := e.SearchReference(q)
	if got.Stale || !slices.Equal(got.Matches(), want) {
		t.Fatalf("%q: %d matches (stale %v), reference %d; first diff at %d", typed, got.Len(), got.Stale, len(want), firstDiff(got.Matches(), want))
	}
	total := 0
	for _, c := range got.Counts {
		total += c
	}
	if total != len(want) {
		t.Fatalf("%q: Counts sum to %d, want %d", typed, total, len(want))
	}
}

func firstDiff(a, b []int32) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// TestConcurrentSessions runs searches of several sessions at once, each
// also racing its own searches, as SSH sessions and tea.Cmds do.
func TestConcurrentSessions(t *testing.T) {
	t.Parallel()
	e := synthetic(t)
	queries := []string{"u", "ul", "uls", "ulsa", "ulsan", "ulsan a", "ulsan aw", "ulsan aws"}
	want := make([][]int32, len(queries))
	for i, s := range queries {
		q, _ := search.ParseQuery(s)
		want[i] = e.SearchReference(q)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for session := 0; session < 4; session++ {
		s := e.NewSearcher()
		for i := range queries {
			wg.Add(1)
			go func() {
				defer wg.Done()
				q, _ := search.ParseQuery(queries[i])
				res := s.Search(uint64(i+1), q)
				if !res.Stale && !slices.Equal(res.Matches(), want[i]) {
					errs <- fmt.Sprintf("session %d %q: %d matches, want %d", session, queries[i], res.Len(), len(want[i]))
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestSyntheticSearchHasUlsanAWS(t *testing.T) {
	t.Parallel()
	e := synthetic(t)
	q, _ := search.ParseQuery("ulsan aws")
	res := e.NewSearcher().Search(1, q)
	if res.Len() == 0 || len(res.Fuzzy) > 0 {
		t.Fatalf("ulsan aws: %d matches, fuzzy %v", res.Len(), res.Fuzzy)
	}
	for _, i := range res.Top(10) {
		text := e.SearchText(int(i))
		if !strings.Contains(text, "ulsan") || !strings.Contains(text, "aws") {
			t.Errorf("match %d lacks a term: %q", i, text)
		}
	}
}

// TestStartEngine searches an engine still being prepared in the
// background, from several goroutines at once: every search waits for it
// and answers as a synchronously built engine does.
func TestStartEngine(t *testing.T) {
	t.Parallel()
	ref := synthetic(t)
	e := search.StartEngine(ref.Dataset())
	if e.Len() != ref.Len() || e.Dataset() != ref.Dataset() {
		t.Fatalf("Len %d, Dataset %p before the engine is ready; want %d, %p", e.Len(), e.Dataset(), ref.Len(), ref.Dataset())
	}
	queries := []string{"u", "ulsan aws", "kind:facility mw>=100", "frankfrut", "-cloud seoul"}
	var wg sync.WaitGroup
	for i, s := range queries {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q, _ := search.ParseQuery(s)
			got := e.NewSearcher().Search(uint64(i+1), q)
			want := ref.NewSearcher().Search(1, q)
			if !slices.Equal(got.Matches(), want.Matches()) || !slices.Equal(got.Top(20), want.Top(20)) {
				t.Errorf("%q: %d matches on the background engine, %d on the synchronous one", s, got.Len(), want.Len())
			}
		}()
	}
	wg.Wait()
	if !e.Ready() {
		t.Fatal("Ready is false after searches returned")
	}
	e.Wait() // returns at once now
}

// TestDeferEngine: a deferred engine is not prepared until Start or a
// search asks for it, Prepared does not ask, and either way it answers as a
// synchronously built engine does.
func TestDeferEngine(t *testing.T) {
	t.Parallel()
	ref := synthetic(t)
	q, _ := search.ParseQuery("kind:facility mw>=100")
	want := ref.NewSearcher().Search(1, q).Matches()

	idle := search.DeferEngine(ref.Dataset())
	select {
	case <-idle.Prepared():
		t.Fatal("Prepared is closed before anything started the engine")
	case <-time.After(50 * time.Millisecond):
	}
	if idle.Ready() {
		t.Fatal("a deferred engine is ready before it was started")
	}
	if got := idle.NewSearcher().Search(1, q).Matches(); !slices.Equal(got, want) {
		t.Errorf("a search on a deferred engine found %d records, want %d", len(got), len(want))
	}
	<-idle.Prepared()

	started := search.DeferEngine(ref.Dataset())
	started.Start()
	started.Start() // a second Start is a no-op
	select {
	case <-started.Prepared():
	case <-time.After(10 * time.Second):
		t.Fatal("Start did not prepare the engine within 10 s")
	}
	if got := started.NewSearcher().Search(1, q).Matches(); !slices.Equal(got, want) {
		t.Errorf("a started engine found %d records, want %d", len(got), len(want))
	}
}

// TestRelatedCountOnSynthetic checks RelatedCount's counting shortcut against
// Related on generated data, where providers have thousands of relations of
// every kind, including records linked in several roles.
func TestRelatedCountOnSynthetic(t *testing.T) {
	t.Parallel()
	d := synthetic(t).Dataset()
	recs := d.Records()
	for i := 0; i < len(recs); i += 37 {
		id := recs[i].RecordID()
		rels := d.Related(id)
		per := map[model.Kind]int{}
		for _, rel := range rels {
			per[rel.Record.RecordKind()]++
		}
		if got := d.RelatedCount(id); got != len(rels) {
			t.Fatalf("RelatedCount(%q) = %d, Related has %d", id, got, len(rels))
		}
		for _, k := range model.Kinds() {
			if got := d.RelatedCount(id, k); got != per[k] {
				t.Fatalf("RelatedCount(%q, %s) = %d, want %d", id, k, got, per[k])
			}
		}
	}
}

// TestTopEqualsFullRanking checks that the top k, which skips records on
// their title length and word starts, is the first k of the full ranking
// (Top with k >= Len scores every match), for queries matching from a few
// records to nearly all.
func TestTopEqualsFullRanking(t *testing.T) {
	t.Parallel()
	e := synthetic(t)
	// Words in most records (matches kept as bits) and in few (listed),
	// and filters alone (dataset order).
	for _, query := range []string{"st", "an", "fr", "a", "ulsan", "data center", "seoul aws", "s t", "re", "on cloud", "kind:facility", "mw>=100 country:kr"} {
		res := find(t, e, query)
		all := res.Top(res.Len())
		if len(all) != res.Len() {
			t.Fatalf("%q: Top(Len) = %d records, want %d", query, len(all), res.Len())
		}
		if sorted := slices.Sorted(slices.Values(all)); !slices.Equal(sorted, res.Matches()) {
			t.Fatalf("%q: Top(Len) is not the matches reordered", query)
		}
		for _, k := range []int{1, 7, 50} {
			if got, want := res.Top(k), all[:min(k, len(all))]; !slices.Equal(got, want) {
				t.Errorf("%q: Top(%d) = %v, want %v", query, k, got, want)
			}
		}
		// One tab's best: the full ranking's records of those kinds.
		recs := e.Dataset().Records()
		for _, kinds := range [][]model.Kind{{model.KindFacility}, {model.KindRegion, model.KindZone}, {model.KindAnnouncement, model.KindPlace}} {
			var want []int32
			for _, i := range all {
				if slices.Contains(kinds, recs[i].RecordKind()) && len(want) < 20 {
					want = append(want, i)
				}
			}
			if got := res.TopOf(20, kinds...); !slices.Equal(got, want) {
				t.Errorf("%q: TopOf(20, %v) = %v, want %v", query, kinds, got, want)
			}
			// The same from the matches as a bitset, as the app keeps them.
			set := make([]uint64, (len(recs)+63)/64)
			for _, i := range res.Matches() {
				set[i>>6] |= 1 << (i & 63)
			}
			if got := res.TopOfSet(set, 20, kinds...); !slices.Equal(got, want) {
				t.Errorf("%q: TopOfSet(20, %v) = %v, want %v", query, kinds, got, want)
			}
		}
	}
}

func find(t *testing.T, e *search.Engine, query string) search.Result {
	t.Helper()
	q, err := search.ParseQuery(query)
	if err != nil {
		t.Fatal(err)
	}
	return e.NewSearcher().Search(1, q)
}

// TestSetHoldsMatches: a result with many matches hands them out as bits
// too (Set), the same records as Matches; a result with few does not.
func TestSetHoldsMatches(t *testing.T) {
	t.Parallel()
	e := synthetic(t)
	for _, query := range []string{"a", "in", "data center", "ulsan", "kind:facility"} {
		res := find(t, e, query)
		set := res.Set()
		if res.Len() <= e.Len()/32 {
			if set != nil {
				t.Errorf("%q: %d matches kept as bits", query, res.Len())
			}
			continue
		}
		if len(set) != (e.Len()+63)/64 {
			t.Fatalf("%q: %d matches, Set has %d words", query, res.Len(), len(set))
		}
		var fromSet []int32
		for i := range e.Len() {
			if set[i>>6]&(1<<(i&63)) != 0 {
				fromSet = append(fromSet, int32(i))
			}
		}
		if !slices.Equal(fromSet, res.Matches()) {
			t.Errorf("%q: Set holds %d records, Matches %d", query, len(fromSet), res.Len())
		}
	}
}

// Two-letter terms among the pairs the engine keeps a mask of are answered
// from the masks, and longer terms skip records lacking one of their pairs:
// every result must still be the reference's, for the kept pairs alone, as
// a refinement of their first letter, in longer words, as exclusions, and
// for pairs not kept.
func TestPairMasksMatchReference(t *testing.T) {
	t.Parallel()
	e := synthetic(t)
	kept := e.KeptPairs()
	if len(kept) != 128 {
		t.Fatalf("%d pairs kept, want 128: %q", len(kept), kept)
	}
	if !slices.Contains(kept, "in") {
		t.Errorf("\"in\", in most synthetic records, is not among the kept pairs %q", kept)
	}
	// Each kept pair fresh (a reference search reads every record, so the
	// other forms take a few pairs and words).
	queries := []string{"ulsan -center", "zq", "xx"}
	for i, p := range kept {
		if strings.ContainsAny(p, " \t\n\r") {
			t.Errorf("kept pair %q holds white space, which no term can", p)
		}
		// Every other pair, and both ends of each word of a pairSet.
		if i%2 == 0 || i == 63 || i == 127 {
			queries = append(queries, p)
		}
		if i%32 == 0 {
			queries = append(queries, "ulsan "+p, "-"+p)
		}
	}
	seq := uint64(0)
	for _, typed := range queries {
		check(t, e, e.NewSearcher(), &seq, typed)
	}
	// Typed one character at a time: the second refines the first letter's
	// result through the masks, the rest skip records lacking a pair.
	for _, typed := range []string{"ing", "center", "ulsan -st"} {
		s := e.NewSearcher()
		for i := 1; i <= len(typed); i++ {
			check(t, e, s, &seq, typed[:i])
		}
	}
}
