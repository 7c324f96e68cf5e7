// Package search is dcx's search engine over a model.Dataset. One Engine is
// shared read-only by every session; each session searches through its own
// Searcher. The files, by job:
//
//   - search.go: Result and Searcher, a session's searches (refining a
//     remembered result, falling back to approximate matching).
//   - query.go: the query language, parsed into a Query.
//   - plan.go: a Query compiled against an engine (plan): terms, entity
//     links, filter predicates, and the test of one record.
//   - engine.go: the Engine, its construction (NewEngine, StartEngine) and
//     per-record storage in segments, with the links reversed.
//   - record_text.go: each record's folded search text and attributes
//     (numbers, years, status, quality), built once.
//   - pairs.go: the per-record masks of byte classes, kept byte pairs and
//     word starts that let scans skip records unread.
//   - scan.go: the scans that match a plan against every record or refine a
//     result; their byte-pair search runs in assembly on amd64
//     (pair_amd64.go, pair_amd64.s: SSE2, AVX2) and in Go elsewhere
//     (pair_other.go).
//   - fuzzy.go: typo tolerance (approximate matching).
//   - approx.go: what each approximately matched term matched
//     (Result.Approx), for a view to show.
//   - rank.go: ranking the matches (Top).
//   - fold.go: text folding (case, accents).
//   - parallel.go: the helper that spreads segments over goroutines.
package search

import (
	"slices"
	"strings"
	"sync"

	"github.com/dcx-explorer/dcx/model"
)

// Result is the outcome of one search: its matches (Matches, Set, Len),
// Counts by kind, and what ranking them (Top) needs.
type Result struct {
	Seq    uint64
	Query  Query
	Counts map[model.Kind]int
	// Stale is set when a search with a higher Seq already ran on this
	// Searcher: the search was skipped and has no match. Drop the result.
	Stale bool
	// Fuzzy lists the terms no record contains exactly, which were matched
	// approximately instead (see fuzzy.go), so a view can say so.
	Fuzzy []string
	// Approx says what each term of Fuzzy, in the same order, matched:
	// {Term: "ulsna", Matched: ["ulsan"]}, shown by String as
	// "ulsna ≈ ulsan". Nil when no term was matched approximately.
	Approx []Approx

	e     *Engine
	exact []string // terms matched exactly, for ranking
	links []links  // the entities each exact term names, for ranking
	n     int      // the number of matches
	list  []int32  // the matches, when few (else nil)
	set   []uint64 // the matches as bits, when many (else nil)
	// listed is Matches made from set, once, when asked for.
	listed *listOnce
}

type listOnce struct {
	once sync.Once
	list []int32
}

// Matches returns the indices into Dataset.Records() of the matching
// records, in dataset order. A search with many matches keeps them as bits
// (Set) and lists them only when asked, once: at a million records the
// list of a common word is 2–4 MB a keystroke, which neither the app nor
// ranking needs. Shared with the session and the engine: read-only.
func (r Result) Matches() []int32 {
	if r.set == nil || r.listed == nil {
		return r.list
	}
	r.listed.once.Do(func() { r.listed.list = r.e.gather(r.e.hitSetOf(r.set)) })
	return r.listed.list
}

// Set returns the matches as one bit per record (bit i of word i/64 for
// record i) when the search kept them so, which it does when they are
// many, and nil otherwise: a view that keeps a filter as bits copies them
// instead of setting a bit per match (a million, at a million records).
// Read-only, like Matches.
func (r Result) Set() []uint64 { return r.set }

// Len is the number of matches.
func (r Result) Len() int { return r.n }

// Searcher is one session's search state: it remembers its recent results so
// that a query extending one of them (one more letter, one more term, one
// more filter) refines that result instead of rescanning every record, and
// going back (backspace) to a recent query costs nothing.
//
// Sequence numbers: the UI numbers its searches with an increasing Seq (one
// per change of the query) and runs Search in a tea.Cmd. Searches of one
// Searcher are serialized; one whose Seq is lower than a Seq already searched
// returns at once with Stale set and leaves the state alone, so an old query
// can neither overwrite the session's state nor cost a scan. The UI must
// still keep the Seq of the last query it issued and drop every result whose
// Seq differs: results may arrive in any order.
type Searcher struct {
	e  *Engine
	mu sync.Mutex

	started bool
	latest  uint64
	history []*searched     // most recent first
	exists  map[string]bool // whether any record contains a term exactly
	links   map[string]links
}

// searched is a remembered result with the term modes it was computed with.
// Its matches are kept in the smaller of two forms: a list, 4 bytes a
// match, or a bit per record. Each session keeps four, and at a million
// records the list of a query like "in" is 4 MB against 125 KB of bits:
// sixteen megabytes per SSH visitor, for results most of which are lists
// only for an instant.
type searched struct {
	q      Query
	modes  []int
	n      int      // number of matches
	list   []int32  // the matches, when few (nil when bits holds them)
	bits   []uint64 // else one bit per record
	counts [8]int
}

const (
	historyLen = 4
	existsMax  = 1024
	linksMax   = 64
	// fuzzyScanMax is the estimated share of records holding a typo's
	// pieces above which the scan skips its candidate pass.
	fuzzyScanMax = 0.6
	// denseShare is the estimated share of records holding a term from
	// which a scan maps its pairs rather than jumping from hit to hit.
	denseShare = 0.25
)

// NewSearcher starts a session's search state.
func (e *Engine) NewSearcher() *Searcher {
	return &Searcher{e: e, exists: map[string]bool{}, links: map[string]links{}}
}

// Search runs q and tags the result with seq. On an engine still being
// prepared (StartEngine) it waits for it.
func (s *Searcher) Search(seq uint64, q Query) Result {
	s.e.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	res := Result{Seq: seq, Query: q, Counts: map[model.Kind]int{}, e: s.e}
	if s.started && seq < s.latest {
		res.Stale = true
		return res
	}
	s.started, s.latest = true, seq

	// A term no record contains exactly is matched approximately. Whether a
	// term exists is remembered; it is only asked when a search comes back
	// empty, so typing ordinary words never pays for it.
	modes := make([]int, len(q.terms))
	for i, t := range q.terms {
		if known, ok := s.knownExists(t); ok && !known {
			modes[i] = fuzzyK(t)
		}
	}
	got := s.run(q, modes)
	if got.n == 0 {
		// A query of one exact term and nothing else that matches no record
		// says by itself that no text holds the term: no scan to ask.
		if len(q.terms) == 1 && modes[0] == 0 && len(q.excl) == 0 && len(q.filters) == 0 {
			s.learnExists(q.terms[0], false)
		}
		changed := false
		for i, t := range q.terms {
			if modes[i] == 0 && fuzzyK(t) > 0 && !s.termExists(t) {
				modes[i], changed = fuzzyK(t), true
			}
		}
		if changed {
			got = s.run(q, modes)
		}
	}
	s.remember(got)

	res.n, res.list, res.set = got.n, got.list, got.bits
	if got.bits != nil {
		res.listed = new(listOnce)
	}
	for k, c := range got.counts {
		if c > 0 {
			res.Counts[model.Kinds()[k]] = c
		}
	}
	for i, t := range q.terms {
		if modes[i] > 0 {
			res.Fuzzy = append(res.Fuzzy, t)
		} else {
			res.exact = append(res.exact, t)
			res.links = append(res.links, s.e.exactLinks(t, s.links))
		}
	}
	if len(res.Fuzzy) > 0 {
		res.Approx = s.approx(q, modes, got)
	}
	return res
}

// knownExists answers from memory: a term extending a term no record
// contains is not contained either.
func (s *Searcher) knownExists(t string) (exists, known bool) {
	if v, ok := s.exists[t]; ok {
		return v, true
	}
	for u, v := range s.exists {
		if !v && strings.Contains(t, u) {
			return false, true
		}
	}
	return false, false
}

func (s *Searcher) termExists(t string) bool {
	if v, ok := s.knownExists(t); ok {
		return v
	}
	v := s.e.exists(t)
	s.learnExists(t, v)
	return v
}

func (s *Searcher) learnExists(t string, v bool) {
	if len(s.exists) >= existsMax {
		clear(s.exists)
	}
	s.exists[t] = v
}

// run answers q from the smallest remembered result it refines, else by a
// scan of every record. It returns the result to remember.
func (s *Searcher) run(q Query, modes []int) *searched {
	var base *searched
	for _, h := range s.history {
		if refines(q, modes, h.q, h.modes) && (base == nil || h.n < base.n) {
			base = h
		}
	}
	if base != nil && q.String() == base.q.String() && slices.Equal(modes, base.modes) {
		return base
	}
	if len(s.links) > linksMax {
		clear(s.links)
	}
	var hits *hitSet
	switch {
	case base == nil:
		hits = s.e.scan(s.e.compile(q, modes, s.links))
	default:
		// The base's matches already meet every constraint the two
		// queries share ("data" of "data cen" after "data ce"): only the
		// others are checked. Refining checks each remembered match on
		// its own; when they are a large share of all records, one
		// memory-speed scan for a new term over whole segments, kept where
		// the base matched too, is cheaper (typing "ul" after "u", "data
		// cen" after "data ce", each in most records).
		dq, dmodes := newConstraints(q, modes, base)
		p := s.e.compile(dq, dmodes, s.links)
		if len(p.exact) > 0 && base.n > len(s.e.recs)/4 {
			hits = s.e.scanWithin(p, base)
		} else {
			hits = s.e.refine(p, base)
		}
	}
	out := &searched{q: q, modes: modes, counts: s.e.countKinds(hits.bits)}
	for _, n := range hits.n {
		out.n += n
	}
	// Many matches stay bits (see searched); few are listed.
	if out.n > len(s.e.recs)/32 {
		out.bits = hits.bits
	} else {
		out.list = s.e.gather(hits)
	}
	return out
}

func (s *Searcher) remember(h *searched) {
	for i, old := range s.history {
		if old == h {
			s.history = slices.Delete(s.history, i, i+1)
			break
		}
	}
	s.history = slices.Insert(s.history, 0, h)
	if len(s.history) > historyLen {
		s.history = s.history[:historyLen]
	}
}

// newConstraints is q without the constraints base's query has too (the
// same term matched the same way, the same exclusion, a filter of the same
// key): base's matches meet those already, so a refinement of base checks
// only the rest.
func newConstraints(q Query, modes []int, base *searched) (Query, []int) {
	out := Query{Raw: q.Raw}
	var outModes []int
	for i, t := range q.terms {
		same := false
		for j, u := range base.q.terms {
			if u == t && base.modes[j] == modes[i] {
				same = true
				break
			}
		}
		if !same {
			out.terms = append(out.terms, t)
			outModes = append(outModes, modes[i])
		}
	}
	for _, x := range q.excl {
		if !slices.Contains(base.q.excl, x) {
			out.excl = append(out.excl, x)
		}
	}
	for _, f := range q.filters {
		if !slices.ContainsFunc(base.q.filters, func(g filter) bool { return g.key() == f.key() }) {
			out.filters = append(out.filters, f)
		}
	}
	return out, outModes
}

// refines reports whether every record matching q (with modes) also matches
// prev (with prevModes), so prev's matches can be filtered instead of all
// records. Each constraint of prev must be implied by one of q: a term by a
// term containing it (an exact match implies any match of a substring; an
// approximate match only an approximate one with as many edits allowed), an
// exclusion by an exclusion contained in it, a filter by a stricter one.
func refines(q Query, modes []int, prev Query, prevModes []int) bool {
	for i, t := range prev.terms {
		ok := false
		for j, u := range q.terms {
			if strings.Contains(u, t) && (modes[j] == 0 || (prevModes[i] > 0 && modes[j] <= prevModes[i])) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	for _, x := range prev.excl {
		ok := false
		for _, y := range q.excl {
			if strings.Contains(x, y) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	for _, g := range prev.filters {
		ok := false
		for _, f := range q.filters {
			if f.implies(g) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// exists reports whether any record contains t exactly.
func (e *Engine) exists(t string) bool {
	found := make([]bool, len(e.segs))
	tb := []byte(t)
	parallel(len(e.segs), func(s int) {
		found[s] = find(e.segs[s].text, tb) >= 0
	})
	return slices.Contains(found, true)
}

// Run is the one-shot form the CLI uses: parse, run, return the records of d
// that match query, in dataset order, and what its typos matched
// (Result.Approx).
func Run(d *model.Dataset, query string) ([]model.Record, []Approx, error) {
	q, err := ParseQuery(query)
	if err != nil {
		return nil, nil, err
	}
	res := NewEngine(d).NewSearcher().Search(0, q)
	out := make([]model.Record, res.Len())
	for i, m := range res.Matches() {
		out[i] = d.Records()[m]
	}
	return out, res.Approx, nil
}
