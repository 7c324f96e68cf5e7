package model

import (
	"bytes"
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
	k      int
	m      int
	peq    [256]uint64
	pieces [][]byte
	links  // entities whose text is within k edits
}

func newFuzzyTerm(t string, k int) *fuzzyTerm {
	f := &fuzzyTerm{k: k, m: len(t)}
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
	}
	return f
}

// match reports whether text has a substring within k edits of the term.
func (f *fuzzyTerm) match(text []byte) bool {
	candidate := false
	for _, p := range f.pieces {
		if bytes.Contains(text, p) {
			candidate = true
			break
		}
	}
	return candidate && f.distanceWithin(text)
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
