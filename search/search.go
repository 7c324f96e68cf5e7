// Package search is dcx's search engine over a model.Dataset: the query
// language (query.go), the per-record search text and attributes built once
// (engine.go), the scans that match terms against it (scan.go, with SSE2
// pair masks on amd64 in pair_amd64.s), typo tolerance (fuzzy.go), text
// folding (fold.go) and ranking (rank.go). One Engine is shared read-only by
// every session; each session searches through its own Searcher.
package search

import (
	"math"
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

// denseMin is the number of records from which a scan may map a term's
// pairs (see scan); a variable so that tests can lower it.
var denseMin = 1 << 16

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

// plan is a query compiled against an engine: filters resolved to sets of
// companies, places, statuses and years, terms to byte strings.
type plan struct {
	kinds uint16
	preds []func(i int) bool
	exact []*term // longest first: the longest is usually the rarest
	fuzzy []*fuzzyTerm
	excl  []*term
	all   bool // no constraint at all
}

// term is an exact term or exclusion compiled against an engine.
type term struct {
	b    []byte
	mask uint64 // classes every record containing b has
	// byMask: b is one byte alone in its class, so the mask decides.
	byMask bool
	// pairs are the engine's kept pairs b holds (Engine.pairs): a record
	// lacking one cannot hold b. byPair: b is one kept pair, which decides.
	pairs  pairSet
	byPair bool
	links
}

// links are the companies and places whose link text (entity.link) matches
// a term; a record linked to one of them matches too. Nil when none does.
type links struct {
	co, pl []bool
}

func (e *Engine) newTerm(t string, lk links) *term {
	b := []byte(t)
	pairs := pairMask(e.pairBit, b)
	return &term{b: b, mask: textMask(b), byMask: len(b) == 1 && ownClass(b[0]), pairs: pairs, byPair: len(b) == 2 && pairs != pairSet{}, links: lk}
}

// entityLinks finds the entities whose text match accepts.
func (e *Engine) entityLinks(match func(text string) bool) links {
	var l links
	mark := func(ents []entity) []bool {
		var set []bool
		for o, en := range ents {
			if match(en.link) {
				if set == nil {
					set = make([]bool, len(ents))
				}
				set[o] = true
			}
		}
		return set
	}
	l.co, l.pl = mark(e.companies), mark(e.places)
	return l
}

// linked reports whether record i links to an entity of l.
func (e *Engine) linked(i int, l links) bool {
	if l.co != nil {
		for _, o := range e.companyLinks(i) {
			if l.co[o] {
				return true
			}
		}
	}
	if l.pl != nil {
		for _, o := range e.placeLinks(i) {
			if l.pl[o] {
				return true
			}
		}
	}
	return false
}

// has reports whether record i (with text and mask m) matches t.
func (e *Engine) has(i int, m uint64, text []byte, t *term) bool {
	if m&t.mask == t.mask && e.pairs[i].holds(&t.pairs) && (t.byMask || t.byPair || find(text, t.b) >= 0) {
		return true
	}
	return e.linked(i, t.links)
}

// exactLinks returns the entities whose link text contains t, from (and
// into) cache when it is not nil.
func (e *Engine) exactLinks(t string, cache map[string]links) links {
	key := "=" + t
	if l, ok := cache[key]; ok {
		return l
	}
	l := e.entityLinks(func(text string) bool { return strings.Contains(text, t) })
	if cache != nil {
		cache[key] = l
	}
	return l
}

// compile resolves q for this engine. Entity sets are looked up in (and
// added to) cache, which may be nil: typing one term rarely changes the
// others, so a session need not rescan every company name per keystroke.
func (e *Engine) compile(q Query, modes []int, cache map[string]links) *plan {
	p := &plan{kinds: math.MaxUint16}
	exactLinks := func(t string) links { return e.exactLinks(t, cache) }
	for i, t := range q.terms {
		if modes[i] > 0 {
			f := e.newFuzzy(t, modes[i])
			key := string(rune('0'+modes[i])) + t
			l, ok := cache[key]
			if !ok {
				l = e.entityLinks(func(text string) bool { return f.match([]byte(text)) })
				if cache != nil {
					cache[key] = l
				}
			}
			f.links = l
			p.fuzzy = append(p.fuzzy, f)
		} else {
			p.exact = append(p.exact, e.newTerm(t, exactLinks(t)))
		}
	}
	slices.SortStableFunc(p.exact, func(a, b *term) int { return len(b.b) - len(a.b) })
	for _, x := range q.excl {
		p.excl = append(p.excl, e.newTerm(x, exactLinks(x)))
	}
	for _, f := range q.filters {
		if f.field == fieldKind {
			if f.neg {
				p.kinds &^= f.kinds
			} else {
				p.kinds &= f.kinds
			}
			continue
		}
		pred := e.predicate(f)
		if f.neg {
			inner := pred
			pred = func(i int) bool { return !inner(i) }
		}
		p.preds = append(p.preds, pred)
	}
	p.all = p.kinds == math.MaxUint16 && len(p.preds) == 0 && len(p.exact) == 0 && len(p.fuzzy) == 0 && len(p.excl) == 0
	return p
}

func (e *Engine) predicate(f filter) func(i int) bool {
	anyIn := func(set []bool, links func(int) []int32) func(i int) bool {
		return func(i int) bool {
			for _, o := range links(i) {
				if set[o] {
					return true
				}
			}
			return false
		}
	}
	switch f.field {
	case fieldCompany:
		return anyIn(e.companySet(f.values), e.companyLinks)
	case fieldProvider:
		set := e.companySet(f.values)
		return func(i int) bool { return e.provider[i] >= 0 && set[e.provider[i]] }
	case fieldCountry, fieldArea, fieldPlace:
		return anyIn(e.placeSet(f.field, f.values), e.placeLinks)
	case fieldStatus:
		set := make([]bool, len(e.statuses))
		for c := 1; c < len(e.statuses); c++ {
			for _, v := range f.values {
				if strings.HasPrefix(e.statuses[c], v) {
					set[c] = true
				}
			}
		}
		return func(i int) bool { return set[e.status[i]] }
	case fieldQuality:
		var mask uint8
		for q, name := range qualities {
			for _, v := range f.values {
				if strings.HasPrefix(string(name), v) {
					mask |= 1 << uint(q)
				}
			}
		}
		return func(i int) bool { return e.quality[i]&mask != 0 }
	case fieldYear:
		var mask uint64
		for b := 0; b < 64; b++ {
			if f.op.holds(float64(yearBase+b), f.num) {
				mask |= 1 << uint(b)
			}
		}
		return func(i int) bool { return e.years[i]&mask != 0 }
	}
	vals := e.nums[f.field-fieldMW]
	x := float64(float32(f.num))
	o := f.op
	return func(i int) bool {
		v := float64(vals[i])
		return !math.IsNaN(v) && o.holds(v, x)
	}
}

// companySet marks the companies whose name, alias or id contains one of
// values, and their subsidiaries (Alibaba Cloud under Alibaba Group).
func (e *Engine) companySet(values []string) []bool {
	direct := make([]bool, len(e.companies))
	for o, c := range e.companies {
		for _, v := range values {
			if strings.Contains(c.text, v) {
				direct[o] = true
			}
		}
	}
	set := make([]bool, len(e.companies))
	for o := range e.companies {
		// Parent chains are short; the bound guards against a cycle in bad data.
		for a, depth := int32(o), 0; a >= 0 && depth < 32; a, depth = e.companies[a].parent, depth+1 {
			if direct[a] {
				set[o] = true
				break
			}
		}
	}
	return set
}

// placeSet marks the places a country:, area: or place: filter accepts. A
// value equal to a code (KR, apac) selects by code only, so country:in is
// India, not every name containing "in"; otherwise names, aliases and ids
// are searched. An area brings in its countries.
func (e *Engine) placeSet(f field, values []string) []bool {
	set := make([]bool, len(e.places))
	want := func(p entity) bool {
		switch f {
		case fieldCountry:
			return p.kind == model.PlaceCountry
		case fieldArea:
			return p.kind == model.PlaceArea
		}
		return true
	}
	for _, v := range values {
		byCode := false
		for o, p := range e.places {
			if want(p) && p.code != "" && p.code == v {
				set[o], byCode = true, true
			}
		}
		if byCode {
			continue
		}
		for o, p := range e.places {
			if want(p) && strings.Contains(p.text, v) {
				set[o] = true
			}
		}
	}
	if f == fieldArea {
		for o, p := range e.places {
			if set[o] && p.kind == model.PlaceArea {
				for _, c := range p.contains {
					set[c] = true
				}
			}
		}
	}
	return set
}

// trivial reports whether every record holding the exact terms before skip
// matches: no other constraint to test.
func (p *plan) trivial(skip int) bool {
	return p.kinds == math.MaxUint16 && len(p.preds) == 0 && skip == len(p.exact) && len(p.fuzzy) == 0 && len(p.excl) == 0
}

// match tests every constraint but the exact terms before skip.
func (p *plan) match(e *Engine, i int, skip int) bool {
	if p.kinds&(1<<e.kind[i]) == 0 {
		return false
	}
	for _, pred := range p.preds {
		if !pred(i) {
			return false
		}
	}
	if skip == len(p.exact) && len(p.fuzzy) == 0 && len(p.excl) == 0 {
		return true // the common end of a one-word query: no text to read
	}
	text, m := e.text(i), e.mask[i]
	for _, t := range p.exact[skip:] {
		if !e.has(i, m, text, t) {
			return false
		}
	}
	for _, f := range p.fuzzy {
		if !f.match(text) && !e.linked(i, f.links) {
			return false
		}
	}
	for _, x := range p.excl {
		if e.has(i, m, text, x) {
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
// that match query, in dataset order.
func Run(d *model.Dataset, query string) ([]model.Record, error) {
	q, err := ParseQuery(query)
	if err != nil {
		return nil, err
	}
	res := NewEngine(d).NewSearcher().Search(0, q)
	out := make([]model.Record, res.Len())
	for i, m := range res.Matches() {
		out[i] = d.Records()[m]
	}
	return out, nil
}
