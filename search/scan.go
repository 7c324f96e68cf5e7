package search

import (
	"math/bits"
	"slices"
)

// Scanning: the records holding a query's driving term, found over whole
// segments of text at close to memory speed (find, findAny, eachHitDense),
// those linked to names it matches, each candidate checked against the rest
// of the query (plan.match), the matches gathered from per-segment bitsets;
// and refining, the same over a remembered result.

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
func (e *Engine) scan(p *plan) *hitSet {
	if p.all {
		return e.hitSetOf(e.allBits())
	}
	return e.scanHits(p)
}

// allBits is every record's bit set.
func (e *Engine) allBits() []uint64 {
	bits := make([]uint64, (len(e.recs)+63)>>6)
	for i := range bits {
		bits[i] = ^uint64(0)
	}
	if r := len(e.recs) & 63; r != 0 {
		bits[len(bits)-1] = 1<<r - 1
	}
	return bits
}

// scanHits is scan's search, its matches left as bits; p must not be all.
func (e *Engine) scanHits(p *plan) *hitSet {
	hits := e.newHitSet()
	// A term in many records is found by a map of its pairs (eachHitDense),
	// a rarer one by jumping from hit to hit (eachHit), which reads no more
	// than it must. Below e.denseMin records either is quick, and sampling
	// would cost more than it saves.
	dense := len(p.exact) > 0 && !p.exact[0].byPair && len(p.exact[0].b) >= 2 && len(e.recs) >= e.denseMin && e.sampleShare(p.exact[0].b) >= denseShare
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
		case len(p.exact) > 0 && p.exact[0].byPair:
			d, skip = p.exact[0].links, 1
			t := &p.exact[0].pairs
			for j := range e.pairs[lo : lo+n] {
				if e.pairs[lo+j].holds(t) {
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
	return hits
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

// gather lists the matches of every segment in one slice, each segment's
// share filled by one task.
func (e *Engine) gather(hits *hitSet) []int32 {
	starts := make([]int, len(hits.n)+1)
	for s, n := range hits.n {
		starts[s+1] = starts[s] + n
	}
	out := make([]int32, starts[len(hits.n)])
	parallel(len(hits.n), func(s int) {
		dst := out[starts[s]:starts[s+1]]
		k := 0
		lo := s * segSize
		for w, word := range hits.seg(s) {
			for word != 0 {
				dst[k] = int32(lo + w<<6 + bits.TrailingZeros64(word))
				word &= word - 1
				k++
			}
		}
	})
	return out
}

// countKinds counts the bits of each kind's run of records (see kindRange):
// counting match by match, a chain of increments of one counter, took most
// of listing "in"'s 970,000 matches at a million records.
func (e *Engine) countKinds(bits []uint64) [8]int {
	var counts [8]int
	for o := range counts {
		lo, hi := e.kindRange(o)
		counts[o] = countRange(bits, lo, hi)
	}
	return counts
}

// countRange counts the bits set in [lo, hi).
func countRange(set []uint64, lo, hi int) int {
	n := 0
	eachWord(set, lo, hi, func(_ int, word uint64) { n += bits.OnesCount64(word) })
	return n
}

// eachWord calls fn with each word w of set that holds bits of [lo, hi),
// its bits outside the range cleared.
func eachWord(set []uint64, lo, hi int, fn func(w int, word uint64)) {
	hi = min(hi, len(set)<<6)
	for w := lo >> 6; w<<6 < hi; w++ {
		word := set[w]
		if base := w << 6; base < lo {
			word &^= 1<<(lo-base) - 1
		}
		if (w+1)<<6 > hi {
			word &= 1<<(hi&63) - 1
		}
		fn(w, word)
	}
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
		j = seg.recordAt(j, uint32(pos+k))
		fn(j)
		pos = int(seg.off[j+1])
		j++
	}
}

// recordAt returns the record of the segment holding text position pos, at
// or after record j: a few steps when hits are dense, a binary search when
// they are far apart.
func (seg *segment) recordAt(j int, pos uint32) int {
	for steps := 0; seg.off[j+1] <= pos; steps++ {
		if steps == 8 {
			return j + sortSearch(seg.off[j+1:], pos)
		}
		j++
	}
	return j
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

// scanWithin is scan(p) kept to the records of base: the matches of a query
// base refines, p holding the constraints base does not already meet. base
// must hold its matches as bits, as every result of more than 1/32 of the
// records does (Searcher.run calls it from a quarter up).
func (e *Engine) scanWithin(p *plan, base *searched) *hitSet {
	hits := e.scanHits(p)
	within := base.bits
	parallel(len(e.segs), func(s int) {
		lo := s * segWords
		ws := hits.seg(s)
		for w := range ws {
			ws[w] &= within[lo+w]
		}
		hits.count(s)
	})
	return hits
}

// refine filters a remembered result, one segment per task, into a new
// hit set.
func (e *Engine) refine(p *plan, base *searched) *hitSet {
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
	return hits
}
