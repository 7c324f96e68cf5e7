package model

import (
	"bytes"
	"container/heap"
	"slices"
)

// Ranking is done only for what is shown: Top(k) keeps a k-sized heap per
// core over the matches instead of sorting them all. The score looks at the
// record's title only (the first field of its search text, tens of bytes),
// so it is cheap enough to compute for every match of a keystroke.

// Top returns the indices of the k best matches, best first. Without
// free-text terms the order is the dataset order. With terms, a record whose
// title contains the terms ranks first (more for a term at the start of a
// word, most for a title equal to a term), then shorter titles; ties keep
// dataset order. Top(k) with k >= Len sorts all matches.
func (r Result) Top(k int) []int32 {
	if k <= 0 || len(r.Matches) == 0 {
		return nil
	}
	if r.e == nil || len(r.exact) == 0 {
		return slices.Clone(r.Matches[:min(k, len(r.Matches))])
	}
	terms := make([][]byte, len(r.exact))
	for i, t := range r.exact {
		terms[i] = []byte(t)
	}
	const chunk = 1 << 15
	tasks := (len(r.Matches) + chunk - 1) / chunk
	heaps := make([]scoreHeap, tasks)
	parallel(tasks, func(t int) {
		h := make(scoreHeap, 0, min(k, chunk))
		for _, i := range r.Matches[t*chunk : min((t+1)*chunk, len(r.Matches))] {
			s := scored{score: r.e.score(int(i), terms), idx: i}
			if len(h) < k {
				heap.Push(&h, s)
			} else if h[0].worse(s) {
				h[0] = s
				heap.Fix(&h, 0)
			}
		}
		heaps[t] = h
	})
	var all []scored
	for _, h := range heaps {
		all = append(all, h...)
	}
	slices.SortFunc(all, func(a, b scored) int {
		switch {
		case b.worse(a):
			return -1
		case a.worse(b):
			return 1
		}
		return 0
	})
	out := make([]int32, 0, min(k, len(all)))
	for _, s := range all[:min(k, len(all))] {
		out = append(out, s.idx)
	}
	return out
}

// score rates record i for terms; higher is better.
func (e *Engine) score(i int, terms [][]byte) int {
	text := e.text(i)
	title := text
	if n := bytes.IndexByte(text, fieldSep); n >= 0 {
		title = text[:n]
	}
	s := 0
	for _, t := range terms {
		p := bytes.Index(title, t)
		if p < 0 {
			continue
		}
		s += 4
		if p == 0 || !isWordByte(title[p-1]) {
			s += 2
		}
		if len(t) == len(title) {
			s += 4
		}
	}
	return s<<8 - min(len(title), 255)
}

func isWordByte(c byte) bool {
	return c >= 0x80 || ('a' <= c && c <= 'z') || ('0' <= c && c <= '9')
}

type scored struct {
	score int
	idx   int32
}

// worse orders by score, then later records first out.
func (a scored) worse(b scored) bool {
	if a.score != b.score {
		return a.score < b.score
	}
	return a.idx > b.idx
}

// scoreHeap is a min-heap: the worst kept match on top, ready to be replaced.
type scoreHeap []scored

func (h scoreHeap) Len() int           { return len(h) }
func (h scoreHeap) Less(i, j int) bool { return h[i].worse(h[j]) }
func (h scoreHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *scoreHeap) Push(x any)        { *h = append(*h, x.(scored)) }
func (h *scoreHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
