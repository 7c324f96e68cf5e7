package search

import (
	"bytes"
	"math/bits"
	"sync"
)

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
	pairBitsWith(pairWords, s, a, b, d, bits)
}

// pairWordsFunc sets out[w], for w < words, to the mask of the positions
// 64*w+k where a is followed d bytes on by b (pairWords).
type pairWordsFunc func(s []byte, a, b byte, d int, out *uint64, words int)

// pairBitsWith is pairBits with the whole 64-byte words mapped by impl, so
// that tests check every implementation (pairWordsImpls).
func pairBitsWith(impl pairWordsFunc, s []byte, a, b byte, d int, bits []uint64) {
	n := len(s) - d // candidate positions
	words := max(n, 0) / 64
	if words > 0 {
		impl(s, a, b, d, &bits[0], words)
	}
	clear(bits[words:])
	for p := words * 64; p < n; p++ {
		if s[p] == a && s[p+d] == b {
			bits[p>>6] |= 1 << (p & 63)
		}
	}
}

// bitsPool holds the pair maps of eachHitDense, one segment's worth each. A
// sync.Pool is safe for concurrent use; a map belongs to one scan of a
// segment between Get and Put.
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
			j = seg.recordAt(j, uint32(p))
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
