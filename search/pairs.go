package search

import (
	"cmp"
	"slices"
)

// classOf maps a byte to one of 64 classes for the per-record masks: a-z,
// 0-9 and space each have a class of their own, so a one-byte term among
// them is answered by the mask alone; other bytes share the rest. Computed
// at init, read-only after.
var classOf = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		switch {
		case 'a' <= c && c <= 'z':
			t[c] = uint8(c - 'a')
		case '0' <= c && c <= '9':
			t[c] = uint8(26 + c - '0')
		case c == ' ':
			t[c] = 36
		default:
			t[c] = uint8(37 + c%27)
		}
	}
	return t
}()

// ownClass reports whether c is alone in its class.
func ownClass(c byte) bool { return classOf[c] <= 36 }

func textMask(text []byte) uint64 {
	var m uint64
	for _, c := range text {
		if c != fieldSep {
			m |= 1 << classOf[c]
		}
	}
	return m
}

// keptPairs is how many byte pairs an engine keeps a mask of: at a million
// synthetic records the 64 commonest are each in 35 % of the records or
// more, the 128 commonest in 12 % or more. A scan for a rarer pair reads
// the texts (about 15 ms at a million records) but marks few records.
const keptPairs = 128

// pairSet is a set of kept pairs, one bit each (see Engine.pairBit).
type pairSet [keptPairs / 64]uint64

// holds reports whether s has every pair of t.
func (s *pairSet) holds(t *pairSet) bool {
	return s[0]&t[0] == t[0] && s[1]&t[1] == t[1]
}

// buildPairs chooses the keptPairs byte pairs the most records hold, from a
// sample of the texts, and marks in pairs which of them each record's text
// holds. At a million records, where "in" is in 97 % of the texts and
// finding it read all 160 MB of them (25–40 ms a keystroke), the masks take
// 16 MB and one more pass over the texts at build time.
func (e *Engine) buildPairs() {
	n := len(e.recs)
	e.pairBit = choosePairs(e, n)
	e.pairs = make([]pairSet, n)
	parallel(len(e.segs), func(s int) {
		seg := &e.segs[s]
		lo := s * segSize
		for j := 0; j+1 < len(seg.off); j++ {
			e.pairs[lo+j] = pairMask(e.pairBit, seg.text[seg.off[j]:seg.off[j+1]])
		}
	})
}

// pairSample is about how many records choosePairs reads.
const pairSample = 1 << 16

// choosePairs counts, in about pairSample records spread over the dataset,
// how many hold each byte pair, and gives the commonest their bits. Pairs
// with white space or a field separator are left out: no term holds one.
func choosePairs(e *Engine, n int) *[1 << 16]int8 {
	var count [1 << 16]int32
	var seen [1 << 16]int32 // the sample's index + 1 of the last record counted
	step := max(1, n/pairSample)
	for k, i := 1, 0; i < n; k, i = k+1, i+step {
		text := e.text(i)
		for p := 0; p+1 < len(text); p++ {
			a, b := text[p], text[p+1]
			if isSpaceOrSep(a) || isSpaceOrSep(b) {
				continue
			}
			if pr := uint16(a)<<8 | uint16(b); seen[pr] != int32(k) {
				seen[pr] = int32(k)
				count[pr]++
			}
		}
	}
	order := make([]uint16, 0, 1024)
	for pr, c := range count {
		if c > 0 {
			order = append(order, uint16(pr))
		}
	}
	// Commonest first; ties by pair, so that the choice is deterministic.
	slices.SortFunc(order, func(x, y uint16) int {
		if c := cmp.Compare(count[y], count[x]); c != 0 {
			return c
		}
		return cmp.Compare(x, y)
	})
	bit := new([1 << 16]int8)
	for i := range bit {
		bit[i] = -1
	}
	for k, pr := range order[:min(keptPairs, len(order))] {
		bit[pr] = int8(k)
	}
	return bit
}

func isSpaceOrSep(c byte) bool {
	return c == fieldSep || c == ' ' || c == '\t' || c == '\n' || c == '\r'
}

// pairMask is the set of kept pairs (bit) that text holds.
func pairMask(bit *[1 << 16]int8, text []byte) pairSet {
	var m pairSet
	for p := 0; p+1 < len(text); p++ {
		if k := bit[uint16(text[p])<<8|uint16(text[p+1])]; k >= 0 {
			m[k>>6] |= 1 << uint(k&63)
		}
	}
	return m
}

// startPair maps the first two bytes of a word to three of the 64 bits of
// a word-start mask, a Bloom filter: with one bit per pair, common pairs
// such as "in" or "cl" hid rare ones like "st" (44 % of the titles matching
// "st" at a million records passed, one held it at a word's start); with
// three bits, 7 % pass.
func startPair(c0, c1 byte) uint64 {
	h := (uint32(c0)<<8 | uint32(c1)) * 0x9E3779B1
	return 1<<(h>>26) | 1<<(h>>20&63) | 1<<(h>>14&63)
}

// wordStarts is a mask of how the words of title begin, as a ranking counts
// them (see score: at the first byte and after every non-word byte): the
// startPair of each word's first two bytes. Ranking reads it to skip,
// without reading their titles, the many matches that cannot hold a term at
// the start of a word.
func wordStarts(title []byte) uint64 {
	var m uint64
	for p := 0; p+1 < len(title); p++ {
		if p == 0 || !isWordByte(title[p-1]) {
			m |= startPair(title[p], title[p+1])
		}
	}
	return m
}
