package search

import (
	"math"
	"slices"
	"strings"
)

// Fuzzy matching is the fallback for a free-text term that no record
// contains exactly (a typo: "ulsna", "frankfrut"). Such a term matches a
// record whose text has a substring within k edits of it (insertions,
// deletions, substitutions): k = 1 for terms of 4 to 7 bytes, 2 from 8 bytes,
// none below 4 (too many false hits) or above 64 (the bit-parallel limit),
// and none for a phrase: quotes ask for exactly those words.
//
// It stays cheap in two steps. First a filter by the pigeonhole principle:
// split the term into k+1 pieces; k edits cannot touch all of them, so a
// match contains at least one piece exactly, which bytes.Index finds at
// memory speed. Only records passing it run Myers' bit-parallel algorithm
// (one pass over the text, a few word operations per byte).

// fuzzyK is the number of edits allowed for a term that has no exact match.
func fuzzyK(t string) int {
	switch {
	case len(t) < 4 || len(t) > 64 || strings.Contains(t, " "):
		return 0
	case len(t) < 8:
		return 1
	}
	return 2
}

// fuzzyTerm is a compiled approximate term.
type fuzzyTerm struct {
	term   string
	k      int
	m      int
	peq    [256]uint64
	pieces [][]byte
	starts []int // offset of each piece in the term
	links        // entities whose text is within k edits
	// share estimates the fraction of records holding one of the pieces
	// (sum over the pieces, from a sample); 1 when not estimated.
	share float64
}

func newFuzzyTerm(t string, k int) *fuzzyTerm {
	f := &fuzzyTerm{term: t, k: k, m: len(t), share: 1}
	for i := 0; i < len(t); i++ {
		f.peq[t[i]] |= 1 << uint(i)
	}
	size := len(t) / (k + 1)
	for p := 0; p <= k; p++ {
		end := (p + 1) * size
		if p == k {
			end = len(t)
		}
		f.pieces = append(f.pieces, []byte(t[p*size:end]))
		f.starts = append(f.starts, p*size)
	}
	return f
}

// match reports whether text has a substring within k edits of the term.
//
// Myers runs only around each exact occurrence of a piece, not over the whole
// text: a substring u within k edits of the term holds some piece exactly,
// and if that piece (at offset s of the term) occurs at q inside u, u lies
// within [q-s-k, q-s+m+k). Every such window is searched, so the answer is
// the one a pass over the whole text gives, for a few dozen bytes a window.
func (f *fuzzyTerm) match(text []byte) bool {
	found := false
	f.eachWindow(text, func(lo, hi int) bool {
		found = true
		return false
	})
	return found
}

// eachWindow calls fn with the bounds of each window of text (see match)
// that holds a match of f, until fn returns false.
func (f *fuzzyTerm) eachWindow(text []byte, fn func(lo, hi int) bool) {
	for j, p := range f.pieces {
		for at := 0; at < len(text); {
			q := find(text[at:], p)
			if q < 0 {
				break
			}
			q += at
			lo := max(q-f.starts[j]-f.k, 0)
			hi := min(q-f.starts[j]+f.m+f.k, len(text))
			if f.distanceWithin(text[lo:hi]) && !fn(lo, hi) {
				return
			}
			at = q + 1
		}
	}
}

// distanceWithin is Myers' algorithm (as formulated by Hyyrö) for
// approximate substring search: pv/mv encode the vertical deltas of the
// edit-distance column, score is the distance of the whole term to the best
// substring ending at the current byte.
func (f *fuzzyTerm) distanceWithin(text []byte) bool {
	last := uint64(1) << uint(f.m-1)
	pv, mv := ^uint64(0), uint64(0)
	score := f.m
	for _, c := range text {
		eq := f.peq[c]
		xv := eq | mv
		xh := (((eq & pv) + pv) ^ pv) | eq
		ph := mv | ^(xh | pv)
		mh := pv & xh
		if ph&last != 0 {
			score++
		} else if mh&last != 0 {
			score--
		}
		ph <<= 1
		mh <<= 1
		pv = mh | ^(xv | ph)
		mv = ph & xv
		if score <= f.k {
			return true
		}
	}
	return false
}

// Any split of the term into k+1 pieces makes a correct filter, and the
// equal split is often a poor one: "frankfru" (two edits) splits into "fr",
// "an" and "kfru", and nearly every record holds "an". The engine picks the
// split whose pieces are rarest in a sample of its texts, and skips the
// candidate scan when even that one lets most records through.
const (
	fuzzySample   = 512 // records sampled for piece frequencies
	fuzzyMaxSplit = 24  // longer terms keep the equal split (cost of choosing)
)

// sampleShare estimates the fraction of records whose text holds piece,
// from fuzzySample records spread over the data (all of a smaller one).
func (e *Engine) sampleShare(piece []byte) float64 {
	n := min(len(e.recs), fuzzySample)
	if n == 0 {
		return 0
	}
	hits := 0
	for i := 0; i < n; i++ {
		if find(e.text(i*len(e.recs)/n), piece) >= 0 {
			hits++
		}
	}
	return float64(hits) / float64(n)
}

// newFuzzy is newFuzzyTerm with the rarest split for this engine's texts.
func (e *Engine) newFuzzy(t string, k int) *fuzzyTerm {
	f := newFuzzyTerm(t, k)
	n := min(len(e.recs), fuzzySample)
	if n < fuzzySample || len(t) > fuzzyMaxSplit {
		return f
	}
	// share[a][b] is the fraction of sampled records holding t[a:b].
	memo := map[[2]int]float64{}
	share := func(a, b int) float64 {
		if v, ok := memo[[2]int{a, b}]; ok {
			return v
		}
		v := e.sampleShare([]byte(t[a:b]))
		memo[[2]int{a, b}] = v
		return v
	}
	best, bestCuts := math.Inf(1), []int(nil)
	var try func(cuts []int, from, left int)
	try = func(cuts []int, from, left int) {
		if left == 0 {
			sum, a := 0.0, 0
			for _, c := range append(cuts, len(t)) {
				sum += share(a, c)
				a = c
			}
			if sum < best {
				best, bestCuts = sum, slices.Clone(cuts)
			}
			return
		}
		for c := from + 1; c <= len(t)-left; c++ {
			try(append(cuts, c), c, left-1)
		}
	}
	try(nil, 0, k)
	f.pieces, f.starts = f.pieces[:0], f.starts[:0]
	a := 0
	for _, c := range append(bestCuts, len(t)) {
		f.pieces = append(f.pieces, []byte(t[a:c]))
		f.starts = append(f.starts, a)
		a = c
	}
	f.share = best
	return f
}
