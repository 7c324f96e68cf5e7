package search

import (
	"cmp"
	"math/bits"
	"slices"
	"strings"
)

// Approx is a term that was matched approximately (see fuzzy.go) and what
// it matched in the records, so that a view can say "ulsna ≈ ulsan"
// rather than only that ulsna was not found as typed.
type Approx struct {
	Term string // the query term, folded
	// Matched are the words of the matching records that hold an
	// approximate match of Term, folded, closest to Term first, at most
	// approxShown. A match inside a longer word reports the whole word
	// ("ulsna" matches "ulsa" of "ulsan", "colossi" "coloss" of the Italian
	// "colosso"); one that spans words reports them all ("datacentre":
	// "data centre"). Empty when no record matched.
	Matched []string
}

// String is "term ≈ word, word", or "term ≈ nothing" when no record
// matched.
func (a Approx) String() string {
	if len(a.Matched) == 0 {
		return a.Term + " ≈ nothing"
	}
	return a.Term + " ≈ " + strings.Join(a.Matched, ", ")
}

// ApproxSummary is the approximate matches that found something, for a
// person: "ulsna ≈ ulsan; colossus ≈ colosso"; "" when there are none. A
// term that matched nothing is left out: the empty result says that.
func ApproxSummary(as []Approx) string {
	var parts []string
	for _, a := range as {
		if len(a.Matched) > 0 {
			parts = append(parts, a.String())
		}
	}
	return strings.Join(parts, "; ")
}

const (
	approxShown = 3
	// approxRecords is how many matching records, spread over the matches,
	// are read for the words a term matched: enough for the common ones,
	// and a keystroke at a million records still reads only a few.
	approxRecords = 256
	// approxWordMax bounds how far a reported word extends a match on each
	// side (a run of CJK text has no spaces to stop at).
	approxWordMax = 32
)

// approx lists, for each approximate term of q (modes as Search chose
// them), the words the records of got matched it with.
func (s *Searcher) approx(q Query, modes []int, got *searched) []Approx {
	var out []Approx
	for i, t := range q.terms {
		if modes[i] == 0 {
			continue
		}
		a := Approx{Term: t}
		if got.n > 0 {
			// Any split of the term is a correct filter: the equal one
			// saves sampling for the rarest.
			f := newFuzzyTerm(t, modes[i])
			f.links = s.e.fuzzyLinks(f, s.links)
			a.Matched = s.e.approxWords(f, sampleMatches(got, approxRecords))
		}
		out = append(out, a)
	}
	return out
}

// approxWords returns the words of records recs (their own texts and the
// link texts of the companies and places through which they match) that
// hold a match of f: the closest to f's term by edit distance first, then
// the ones more records hold.
func (e *Engine) approxWords(f *fuzzyTerm, recs []int32) []string {
	type candidate struct {
		word        string
		dist, count int
	}
	var cands []candidate
	at := map[string]int{} // word → index in cands
	var dp spanDP
	var inRecord []string // words counted for the record being read
	read := func(text []byte) {
		f.eachSpan(text, &dp, func(lo, hi int) {
			w := wordAround(text, lo, hi)
			if slices.Contains(inRecord, w) {
				return
			}
			inRecord = append(inRecord, w)
			k, ok := at[w]
			if !ok {
				k = len(cands)
				at[w] = k
				cands = append(cands, candidate{word: w, dist: levenshtein(f.term, w)})
			}
			cands[k].count++
		})
	}
	for _, i := range recs {
		inRecord = inRecord[:0]
		read(e.text(int(i)))
		if f.links.co != nil {
			for _, o := range e.companyLinks(int(i)) {
				if f.links.co[o] {
					read([]byte(e.companies[o].link))
				}
			}
		}
		if f.links.pl != nil {
			for _, o := range e.placeLinks(int(i)) {
				if f.links.pl[o] {
					read([]byte(e.places[o].link))
				}
			}
		}
	}
	slices.SortFunc(cands, func(a, b candidate) int {
		return cmp.Or(cmp.Compare(a.dist, b.dist), cmp.Compare(b.count, a.count), cmp.Compare(a.word, b.word))
	})
	out := make([]string, 0, min(len(cands), approxShown))
	for _, c := range cands[:min(len(cands), approxShown)] {
		out = append(out, c.word)
	}
	return out
}

// sampleMatches lists up to n of got's matches, evenly spread over them.
func sampleMatches(got *searched, n int) []int32 {
	step := max(1, got.n/n)
	var out []int32
	if got.bits == nil {
		for k := 0; k < len(got.list) && len(out) < n; k += step {
			out = append(out, got.list[k])
		}
		return out
	}
	k := 0
	for w, word := range got.bits {
		for word != 0 && len(out) < n {
			if k%step == 0 {
				out = append(out, int32(w<<6+bits.TrailingZeros64(word)))
			}
			k++
			word &= word - 1
		}
	}
	return out
}

// eachSpan calls fn with the bounds of the best match of f in each window
// of text that match searches (see there) and finds a match in.
func (f *fuzzyTerm) eachSpan(text []byte, dp *spanDP, fn func(lo, hi int)) {
	f.eachWindow(text, func(lo, hi int) bool {
		if s, e, ok := dp.best(f.term, text[lo:hi], f.k); ok {
			fn(lo+s, lo+e)
		}
		return true
	})
}

// spanDP holds the rows of best's dynamic program, reused across windows.
type spanDP struct {
	prev, cur []spanCell
}

type spanCell struct{ dist, start int }

// best finds the substring text[start:end] closest to term by edit distance
// (the first one of the least distance) and reports whether it is within
// k edits. It is the textbook program Myers' algorithm computes bit-parallel
// (distanceWithin), with the start of each alignment carried along: Myers
// says where matches end, not where they begin.
func (dp *spanDP) best(term string, text []byte, k int) (start, end int, ok bool) {
	n := len(text)
	dp.prev = slices.Grow(dp.prev[:0], n+1)[:n+1]
	dp.cur = slices.Grow(dp.cur[:0], n+1)[:n+1]
	for j := range dp.prev {
		dp.prev[j] = spanCell{0, j} // a match may start anywhere
	}
	for i := 1; i <= len(term); i++ {
		dp.cur[0] = spanCell{i, 0}
		for j := 1; j <= n; j++ {
			c := dp.prev[j-1]
			if term[i-1] != text[j-1] {
				c.dist++
			}
			if up := dp.prev[j]; up.dist+1 < c.dist {
				c = spanCell{up.dist + 1, up.start}
			}
			if left := dp.cur[j-1]; left.dist+1 < c.dist {
				c = spanCell{left.dist + 1, left.start}
			}
			dp.cur[j] = c
		}
		dp.prev, dp.cur = dp.cur, dp.prev
	}
	bestJ := -1
	for j := 0; j <= n; j++ {
		if bestJ < 0 || dp.prev[j].dist < dp.prev[bestJ].dist {
			bestJ = j
		}
	}
	c := dp.prev[bestJ]
	return c.start, bestJ, c.dist <= k
}

// wordAround is text[lo:hi], a match, without the non-word bytes at its
// ends and extended to the whole words it touches (up to approxWordMax
// bytes a side, keeping runes whole), field separators shown as spaces.
func wordAround(text []byte, lo, hi int) string {
	a, b := lo, hi
	for a < b && !isWordByte(text[a]) {
		a++
	}
	for b > a && !isWordByte(text[b-1]) {
		b--
	}
	if a == b { // no word byte at all: show the match as it is
		a, b = lo, hi
	}
	for from := a; a > 0 && isWordByte(text[a-1]) && from-a < approxWordMax; {
		a--
	}
	for from := b; b < len(text) && isWordByte(text[b]) && b-from < approxWordMax; {
		b++
	}
	for a > 0 && a < len(text) && text[a]&0xC0 == 0x80 {
		a--
	}
	for b < len(text) && text[b]&0xC0 == 0x80 {
		b++
	}
	return strings.ReplaceAll(string(text[a:b]), string(rune(fieldSep)), " ")
}

// levenshtein is the edit distance between a and b, in bytes.
func levenshtein(a, b string) int {
	row := make([]int, len(b)+1)
	for j := range row {
		row[j] = j
	}
	for i := 1; i <= len(a); i++ {
		diag := row[0]
		row[0] = i
		for j := 1; j <= len(b); j++ {
			d := diag
			if a[i-1] != b[j-1] {
				d++
			}
			diag = row[j]
			row[j] = min(d, row[j]+1, row[j-1]+1)
		}
	}
	return row[len(b)]
}
