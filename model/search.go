package model

import (
	"bytes"
	"math"
	"math/bits"
	"slices"
	"strings"
	"sync"
)

// Result is the outcome of one search. Matches are indices into
// Dataset.Records(), in dataset order; Counts counts them by kind. Matches
// may be shared with other results of the same session and with the engine:
// treat it as read-only.
type Result struct {
	Seq     uint64
	Query   Query
	Matches []int32
	Counts  map[Kind]int
	// Stale is set when a search with a higher Seq already ran on this
	// Searcher: the search was skipped and Matches is empty. Drop the result.
	Stale bool
	// Fuzzy lists the terms no record contains exactly, which were matched
	// approximately instead (see fuzzy.go), so a view can say so.
	Fuzzy []string

	e     *Engine
	exact []string // terms matched exactly, for ranking
	links []links  // the entities each exact term names, for ranking
	set   []uint64 // the matches as bits, when kept so (see Set)
}

// Set returns the matches as one bit per record (bit i of word i/64 for
// record i) when the search kept them so, which it does when they are
// many, and nil otherwise: a view that keeps a filter as bits copies them
// instead of setting a bit per match (a million, at a million records).
// Read-only, like Matches.
func (r Result) Set() []uint64 { return r.set }

// Len is the number of matches.
func (r Result) Len() int { return len(r.Matches) }

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

// matches lists h's matches, from its bits if need be.
func (h *searched) matches(e *Engine) []int32 {
	if h.bits == nil {
		return h.list
	}
	list, _ := e.gather(e.hitSetOf(h.bits))
	return list
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
	res := Result{Seq: seq, Query: q, Counts: map[Kind]int{}, e: s.e}
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
	got, matches := s.run(q, modes)
	if len(matches) == 0 {
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
			got, matches = s.run(q, modes)
		}
	}
	s.remember(got)

	res.Matches, res.set = matches, got.bits
	for k, c := range got.counts {
		if c > 0 {
			res.Counts[Kinds[k]] = c
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
// scan of every record. It returns the result to remember and its matches.
func (s *Searcher) run(q Query, modes []int) (*searched, []int32) {
	var base *searched
	for _, h := range s.history {
		if refines(q, modes, h.q, h.modes) && (base == nil || h.n < base.n) {
			base = h
		}
	}
	if base != nil && q.String() == base.q.String() && slices.Equal(modes, base.modes) {
		return base, base.matches(s.e)
	}
	if len(s.links) > linksMax {
		clear(s.links)
	}
	p := s.e.compile(q, modes, s.links)
	// Refining checks each remembered match on its own; when they are a
	// large share of all records, one memory-speed pass of the longest term
	// over whole segments is cheaper (typing "ul" after "u").
	if base != nil && len(p.exact) > 0 && base.n > len(s.e.recs)/4 {
		base = nil
	}
	var matches []int32
	var counts [8]int
	var set *hitSet
	if base == nil {
		matches, counts, set = s.e.scan(p)
	} else {
		matches, counts, set = s.e.refine(p, base)
	}
	out := &searched{q: q, modes: modes, n: len(matches), counts: counts, list: matches}
	if set != nil && len(matches) > len(s.e.recs)/32 {
		out.list, out.bits = nil, set.bits
	}
	return out, matches
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
	links
}

// links are the companies and places whose link text (entity.link) matches
// a term; a record linked to one of them matches too. Nil when none does.
type links struct {
	co, pl []bool
}

func (e *Engine) newTerm(t string, lk links) *term {
	b := []byte(t)
	return &term{b: b, mask: textMask(b), byMask: len(b) == 1 && ownClass(b[0]), links: lk}
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
	if m&t.mask == t.mask && (t.byMask || find(text, t.b) >= 0) {
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
			return p.kind == PlaceCountry
		case fieldArea:
			return p.kind == PlaceArea
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
			if set[o] && p.kind == PlaceArea {
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

// scan searches every record, one segment per task. With a term to find,
// each segment's text is searched as one buffer (find runs at close to
// memory speed over it) and only the records holding the longest term, or
// linked to a name that does, are examined.
//
// Each task leaves its matches as a bitset over its segment; once every
// count is known, one slice of the exact size is filled from them, on every
// core. A slice per segment merged into a final one held each match twice
// and copied it once: megabytes per keystroke at a million records, and as
// much more garbage for the collector, which shares the same two cores.
func (e *Engine) scan(p *plan) ([]int32, [8]int, *hitSet) {
	if p.all {
		var counts [8]int
		for _, k := range e.kind {
			counts[k]++
		}
		return e.all, counts, nil
	}
	hits := e.newHitSet()
	// A term in many records is found by a map of its pairs (eachHitDense),
	// a rarer one by jumping from hit to hit (eachHit), which reads no more
	// than it must. Below denseMin records either is quick, and sampling
	// would cost more than it saves.
	dense := len(p.exact) > 0 && len(p.exact[0].b) >= 2 && len(e.recs) >= denseMin && e.sampleShare(p.exact[0].b) >= denseShare
	var linked []uint64
	switch {
	case len(p.exact) > 0:
		linked = e.linkedBits(p.exact[0].links)
	case len(p.fuzzy) > 0 && p.fuzzy[0].share <= fuzzyScanMax:
		linked = e.linkedBits(p.fuzzy[0].links)
	}
	parallel(len(e.segs), func(s int) {
		seg := &e.segs[s]
		lo := s * segSize
		n := len(seg.off) - 1
		cand := hits.seg(s)
		// A typo whose pieces most records hold is checked record by
		// record: scanning for the pieces first would only add a pass.
		if len(p.exact) == 0 && (len(p.fuzzy) == 0 || p.fuzzy[0].share > fuzzyScanMax) {
			for j := 0; j < n; j++ {
				if p.match(e, lo+j, 0) {
					cand[j>>6] |= 1 << (j & 63)
				}
			}
			hits.count(s)
			return
		}
		// Candidates for the driver, the longest exact term: records whose
		// text holds it (by mask alone for a letter or digit, else one
		// search over the segment's text) and records linked to an entity
		// matching it. Without an exact term a typo drives: records holding
		// one of its pieces (see fuzzy.go) or linked to a close name. Each
		// candidate is then checked against the rest of the query.
		mark := func(j int) { cand[j>>6] |= 1 << (j & 63) }
		var d links
		skip := 0
		switch {
		case len(p.exact) > 0 && p.exact[0].byMask:
			d, skip = p.exact[0].links, 1
			for j, m := range e.mask[lo : lo+n] {
				if m&p.exact[0].mask != 0 {
					mark(j)
				}
			}
		case dense:
			d, skip = p.exact[0].links, 1
			e.eachHitDense(seg, p.exact[0].b, mark)
		case len(p.exact) > 0:
			d, skip = p.exact[0].links, 1
			e.eachHit(seg, p.exact[0].b, mark)
		default:
			f := p.fuzzy[0]
			d = f.links
			e.eachHitOf(seg, func(s []byte) int { return findAny(s, f.pieces) }, mark)
		}
		// Records linked to an entity matching the driver, among those
		// its text did not already bring in (nearly all, for a letter).
		markLinked := func(set []bool, pool []int32, off []uint32) {
			for j := 0; j < n; j++ {
				if w := cand[j>>6]; w == ^uint64(0) {
					j |= 63
					continue
				} else if w&(1<<(j&63)) != 0 {
					continue
				}
				for _, o := range pool[off[j]:off[j+1]] {
					if set[o] {
						cand[j>>6] |= 1 << (j & 63)
						break
					}
				}
			}
		}
		switch {
		case linked != nil:
			base := lo >> 6
			for w := range (n + 63) >> 6 {
				cand[w] |= linked[base+w]
			}
		default:
			if d.co != nil {
				markLinked(d.co, seg.co, seg.coOff)
			}
			if d.pl != nil {
				markLinked(d.pl, seg.pl, seg.plOff)
			}
		}
		// The common end of a first word: candidates are matches.
		if !p.trivial(skip) {
			for w, word := range cand {
				for word != 0 {
					j := w<<6 + bits.TrailingZeros64(word)
					word &= word - 1
					if !p.match(e, lo+j, skip) {
						cand[w] &^= 1 << (j & 63)
					}
				}
			}
		}
		hits.count(s)
	})
	out, counts := e.gather(hits)
	return out, counts, hits
}

// hitSet is a search's matches as a bit per record. Segment s owns the
// words [s*segWords, (s+1)*segWords), so each segment's task writes its own;
// n counts the matches of each segment.
type hitSet struct {
	bits []uint64
	n    []int
}

const segWords = segSize / 64

func (e *Engine) newHitSet() *hitSet {
	return &hitSet{bits: make([]uint64, (len(e.recs)+63)>>6), n: make([]int, len(e.segs))}
}

// hitSetOf wraps bits, counting them.
func (e *Engine) hitSetOf(bits []uint64) *hitSet {
	h := &hitSet{bits: bits, n: make([]int, len(e.segs))}
	for s := range h.n {
		h.count(s)
	}
	return h
}

// seg returns segment s's words.
func (h *hitSet) seg(s int) []uint64 {
	return h.bits[s*segWords : min((s+1)*segWords, len(h.bits))]
}

func (h *hitSet) count(s int) {
	h.n[s] = 0
	for _, w := range h.seg(s) {
		h.n[s] += bits.OnesCount64(w)
	}
}

// gather lists the matches of every segment in one slice, counting them by
// kind, each segment's share filled by one task.
func (e *Engine) gather(hits *hitSet) ([]int32, [8]int) {
	starts := make([]int, len(hits.n)+1)
	for s, n := range hits.n {
		starts[s+1] = starts[s] + n
	}
	out := make([]int32, starts[len(hits.n)])
	counts := make([][8]int, len(hits.n))
	parallel(len(hits.n), func(s int) {
		dst := out[starts[s]:starts[s+1]]
		k := 0
		lo := s * segSize
		for w, word := range hits.seg(s) {
			for word != 0 {
				i := lo + w<<6 + bits.TrailingZeros64(word)
				word &= word - 1
				dst[k] = int32(i)
				k++
				counts[s][e.kind[i]]++
			}
		}
	})
	var total [8]int
	for _, c := range counts {
		for k, v := range c {
			total[k] += v
		}
	}
	return out, total
}

// linkedBits marks the records linked to an entity of l, one bit per
// record, from the entities' lists of records (revLinks): for a term like
// "fr" (France, Frankfurt, every company named Fr...) testing each record's
// links took a third of a keystroke at a million records, the lists only
// the records they hold (a million links take about 2 ms). Nil when l is
// empty or its entities are linked to more links than there are records:
// then testing each record's links, on every core, is as quick.
func (e *Engine) linkedBits(l links) []uint64 {
	if l.co == nil && l.pl == nil {
		return nil
	}
	total := 0
	count := func(set []bool, rev *revLinks) {
		for o, in := range set {
			if in {
				total += int(rev.start[o+1] - rev.start[o])
			}
		}
	}
	count(l.co, &e.coRev)
	count(l.pl, &e.plRev)
	if total > len(e.recs) {
		return nil
	}
	bits := make([]uint64, (len(e.recs)+63)>>6)
	set := func(set []bool, rev *revLinks) {
		for o, in := range set {
			if in {
				for _, i := range rev.recs[rev.start[o]:rev.start[o+1]] {
					bits[i>>6] |= 1 << (i & 63)
				}
			}
		}
	}
	set(l.co, &e.coRev)
	set(l.pl, &e.plRev)
	return bits
}

// eachHit calls fn, in order, with the index within seg of every record
// whose text contains t.
func (e *Engine) eachHit(seg *segment, t []byte, fn func(j int)) {
	e.eachHitOf(seg, func(s []byte) int { return find(s, t) }, fn)
}

// eachHitOf is eachHit for any search function.
func (e *Engine) eachHitOf(seg *segment, find func([]byte) int, fn func(j int)) {
	j, pos := 0, 0
	for pos < len(seg.text) {
		k := find(seg.text[pos:])
		if k < 0 {
			return
		}
		hit := uint32(pos + k)
		// Find the record holding the hit: a few steps when hits are
		// dense, a binary search when they are far apart.
		if steps := 0; seg.off[j+1] <= hit {
			for seg.off[j+1] <= hit && steps < 8 {
				j++
				steps++
			}
			if seg.off[j+1] <= hit {
				j += sortSearch(seg.off[j+1:], hit)
			}
		}
		fn(j)
		pos = int(seg.off[j+1])
		j++
	}
}

// find is bytes.Index tuned for scanning a segment's text. bytes.Index
// looks for a term's first byte with IndexByte and checks what follows; it
// switches to its brute-force search only after more than one false start
// per 8 bytes, so on text where that byte is merely common (the "u" of
// "ul", every 30 bytes) it pays a call per occurrence and reads about
// 1.6 GB/s. find looks for the term's first and last bytes at their
// distance, 16 positions at a time (pairBlocks), and checks the rest only
// there: a rare pair, so it runs at close to memory speed whatever the
// letters.
func find(s, t []byte) int {
	if len(t) < 2 {
		return bytes.Index(s, t)
	}
	d := len(t) - 1
	fails := 0
	for i := 0; ; {
		k := indexPair(s[i:], t[0], t[d], d)
		if k < 0 {
			return -1
		}
		i += k
		if bytes.Equal(s[i:i+len(t)], t) {
			return i
		}
		// A pair common in this text ("e e" in "e ee") would cost a
		// call per occurrence; bytes.Index copes better then.
		if fails++; fails > 8+i>>6 {
			if k := bytes.Index(s[i+1:], t); k >= 0 {
				return i + 1 + k
			}
			return -1
		}
		i++
	}
}

// findAny returns the smallest position at which one of up to three
// pieces occurs in s, or -1: the pieces of a typo (fuzzy.go) in one pass,
// by their first and last bytes as find does, the rest checked there.
func findAny(s []byte, pieces [][]byte) int {
	var pairs [3]uint64
	maxd := 0
	for p := range pairs {
		piece := pieces[min(p, len(pieces)-1)] // unused slots repeat a piece
		d := len(piece) - 1
		pairs[p] = uint64(piece[0]) | uint64(piece[d])<<8 | uint64(d)<<16
		maxd = max(maxd, d)
	}
	fails := 0
	for i := 0; ; {
		k := indexAnyPair(s[i:], &pairs, maxd)
		if k < 0 {
			return -1
		}
		i += k
		for _, piece := range pieces {
			if i+len(piece) <= len(s) && bytes.Equal(s[i:i+len(piece)], piece) {
				return i
			}
		}
		// As in find: pairs this text is full of are left to bytes.Index.
		if fails++; fails > 8+i>>6 {
			best := -1
			for _, piece := range pieces {
				if k := bytes.Index(s[i+1:], piece); k >= 0 && (best < 0 || k < best) {
					best = k
				}
			}
			if best < 0 {
				return -1
			}
			return i + 1 + best
		}
		i++
	}
}

// indexAnyPair returns the smallest i at which one of the packed pairs
// (a | b<<8 | d<<16, d <= maxd) occurs in s, or -1.
func indexAnyPair(s []byte, pairs *[3]uint64, maxd int) int {
	n := len(s) - maxd // positions every pair can be checked at
	blocks := max(n, 0) / 16
	if blocks > 0 {
		if k := pairBlocks3(s, pairs, blocks); k >= 0 {
			return k
		}
	}
	for i := blocks * 16; i < len(s); i++ {
		for _, p := range pairs {
			if d := int(p >> 16); i+d < len(s) && s[i] == byte(p) && s[i+d] == byte(p>>8) {
				return i
			}
		}
	}
	return -1
}

// pairBits sets bit p of bits, and clears the others, for every p with
// s[p] == a and s[p+d] == b. bits holds at least len(s)/64+1 words.
func pairBits(s []byte, a, b byte, d int, bits []uint64) {
	n := len(s) - d // candidate positions
	words := max(n, 0) / 64
	if words > 0 {
		pairWords(s, a, b, d, &bits[0], words)
	}
	clear(bits[words:])
	for p := words * 64; p < n; p++ {
		if s[p] == a && s[p+d] == b {
			bits[p>>6] |= 1 << (p & 63)
		}
	}
}

// bitsPool holds the pair maps of eachHitDense, one segment's worth each.
var bitsPool = sync.Pool{New: func() any { return new([]uint64) }}

// eachHitDense is eachHit for a term of two bytes or more, by a map of
// every position of its first and last bytes (pairBits) rather than a
// search that stops at each. eachHit pays a call per record holding the
// pair, about 30 ns: a query like "st" or "an", which most of a million
// records contain, spent 20 ms of a keystroke there. The map costs one pass
// at memory speed whatever the text holds, then a few word operations per
// record.
func (e *Engine) eachHitDense(seg *segment, t []byte, fn func(j int)) {
	text := seg.text
	d := len(t) - 1
	bp := bitsPool.Get().(*[]uint64)
	defer bitsPool.Put(bp)
	if need := len(text)/64 + 1; cap(*bp) < need {
		*bp = make([]uint64, need)
	}
	pairs := (*bp)[:len(text)/64+1]
	pairBits(text, t[0], t[d], d, pairs)
	j := 0
	for w := 0; w < len(pairs); w++ {
		word := pairs[w]
		for word != 0 {
			p := w<<6 + bits.TrailingZeros64(word)
			word &= word - 1
			if steps := 0; seg.off[j+1] <= uint32(p) {
				for seg.off[j+1] <= uint32(p) && steps < 8 {
					j++
					steps++
				}
				if seg.off[j+1] <= uint32(p) {
					j += sortSearch(seg.off[j+1:], uint32(p))
				}
			}
			end := int(seg.off[j+1])
			if p+len(t) > end || (len(t) > 2 && !bytes.Equal(text[p+1:p+d], t[1:d])) {
				continue
			}
			fn(j)
			// The record matches: skip its other pairs.
			if end>>6 > w {
				w = end>>6 - 1
				if end&63 != 0 && w+1 < len(pairs) {
					pairs[w+1] &^= 1<<(end&63) - 1
				}
				break
			}
			word &^= 1<<(end&63) - 1
		}
	}
}

// indexPair returns the smallest i with s[i] == a and s[i+d] == b, or -1.
func indexPair(s []byte, a, b byte, d int) int {
	n := len(s) - d // candidate positions
	if n <= 0 {
		return -1
	}
	blocks := n / 16
	if blocks > 0 {
		if k := pairBlocks(s, a, b, d, blocks); k >= 0 {
			return k
		}
	}
	for i := blocks * 16; i < n; i++ {
		if s[i] == a && s[i+d] == b {
			return i
		}
	}
	return -1
}

// sortSearch returns how many leading offsets are <= hit.
func sortSearch(off []uint32, hit uint32) int {
	lo, hi := 0, len(off)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if off[m] <= hit {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// refine filters a remembered result, one segment per task, into a new
// hit set.
func (e *Engine) refine(p *plan, base *searched) ([]int32, [8]int, *hitSet) {
	hits := e.newHitSet()
	parallel(len(e.segs), func(s int) {
		lo, hi := s*segSize, min((s+1)*segSize, len(e.recs))
		out := hits.seg(s)
		keep := func(i int) {
			if p.match(e, i, 0) {
				out[(i-lo)>>6] |= 1 << (i & 63)
			}
		}
		if base.bits != nil {
			for w, word := range base.bits[lo>>6 : (hi+63)>>6] {
				for word != 0 {
					keep(lo + w<<6 + bits.TrailingZeros64(word))
					word &= word - 1
				}
			}
		} else {
			from, _ := slices.BinarySearch(base.list, int32(lo))
			to, _ := slices.BinarySearch(base.list, int32(hi))
			for _, i := range base.list[from:to] {
				keep(int(i))
			}
		}
		hits.count(s)
	})
	out, counts := e.gather(hits)
	return out, counts, hits
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

// Search is the one-shot form the CLI uses: parse, run, return the records
// in dataset order.
func (d *Dataset) Search(query string) ([]Record, error) {
	q, err := ParseQuery(query)
	if err != nil {
		return nil, err
	}
	res := NewEngine(d).NewSearcher().Search(0, q)
	out := make([]Record, len(res.Matches))
	for i, m := range res.Matches {
		out[i] = d.Records()[m]
	}
	return out, nil
}
