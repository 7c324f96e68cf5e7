package model

import (
	"cmp"
	"slices"
	"strings"
)

// SuggestIDs proposes up to n ids of records a mistyped or partial id was
// probably meant to be, best first: the id in another letter case, ids
// within a typo or two of it, ids it begins, ids and then titles that
// contain it, and last ids a few more edits away. Nothing comes back for a
// string nothing resembles. It reads every record: meant for an error
// message, not for typing ahead.
func (d *Dataset) SuggestIDs(id string, n int) []string {
	q := strings.ToLower(strings.TrimSpace(id))
	if q == "" || n <= 0 {
		return nil
	}
	// An edit per three bytes counts as a typo, up to two (two edits turn
	// any two-letter id into any other); longer strings allow one more per
	// six bytes, to at most four.
	typo := min(2, len(q)/3)
	far := min(4, max(typo, len(q)/6))
	// A single letter or two is in half the ids: only edits and the id's
	// start count then.
	partial := len(q) >= 3
	type hit struct {
		tier, dist int
		id         string
	}
	var hits []hit
	for _, r := range d.records {
		rid := r.RecordID()
		lid := strings.ToLower(rid)
		h := hit{tier: -1, id: rid}
		dist := boundedDistance(q, lid, far)
		switch {
		case lid == q:
			h.tier = 0
		case dist <= typo:
			h.tier, h.dist = 1, dist
		case strings.HasPrefix(lid, q):
			h.tier, h.dist = 2, len(lid)-len(q)
		case partial && strings.Contains(lid, q):
			h.tier, h.dist = 3, len(lid)-len(q)
		case partial && strings.Contains(strings.ToLower(r.RecordTitle()), q):
			h.tier = 4
		case dist <= far:
			h.tier, h.dist = 5, dist
		}
		if h.tier >= 0 {
			hits = append(hits, h)
		}
	}
	slices.SortFunc(hits, func(a, b hit) int {
		return cmp.Or(cmp.Compare(a.tier, b.tier), cmp.Compare(a.dist, b.dist),
			cmp.Compare(len(a.id), len(b.id)), strings.Compare(a.id, b.id))
	})
	out := make([]string, 0, min(n, len(hits)))
	for _, h := range hits[:min(n, len(hits))] {
		out = append(out, h.id)
	}
	return out
}

// boundedDistance is the Levenshtein distance between a and b in bytes
// when it is at most limit, and limit+1 otherwise. Only a band of 2·limit+1
// cells per row is computed, and a row whose every cell is past the limit
// ends the work: a million ids are compared in well under a second.
func boundedDistance(a, b string, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	const inf = 1 << 30
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
		if j > limit {
			prev[j] = inf
		}
	}
	for i := 1; i <= len(a); i++ {
		lo, hi := max(1, i-limit), min(len(b), i+limit)
		for j := range cur {
			cur[j] = inf
		}
		if i <= limit {
			cur[0] = i
		}
		best := cur[0]
		for j := lo; j <= hi; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j-1]+cost, prev[j]+1, cur[j-1]+1)
			best = min(best, cur[j])
		}
		if best > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return min(prev[len(b)], limit+1)
}
