package search

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/dcx-explorer/dcx/model/modeltest"
)

// TestFind checks find (and through it pairBlocks, assembly on amd64)
// against bytes.Index: terms at every offset around the 16-byte block
// edges, texts of every length near them, pairs that occur without the
// term, and texts full of false starts.
func TestFind(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	alphabets := []string{"ab", "abc ", "ulsan aws", "e ", "abcdefghijklmnopqrstuvwxyz0123456789 .-\xc3\xbc"}
	for _, alpha := range alphabets {
		for n := 0; n < 200; n++ {
			text := make([]byte, n)
			for i := range text {
				text[i] = alpha[rng.IntN(len(alpha))]
			}
			for range 20 {
				var term []byte
				if n > 0 && rng.IntN(2) == 0 { // a piece of the text: found
					i := rng.IntN(n)
					term = text[i:min(n, i+1+rng.IntN(12))]
				} else {
					term = make([]byte, 1+rng.IntN(6))
					for i := range term {
						term[i] = alpha[rng.IntN(len(alpha))]
					}
				}
				if got, want := find(text, term), bytes.Index(text, term); got != want {
					t.Fatalf("find(%q, %q) = %d, bytes.Index says %d", text, term, got, want)
				}
			}
		}
	}
	// Many pairs that are not the term (first and last bytes "e"): find
	// gives up on pairs and still answers right.
	text := []byte(strings.Repeat("exxe ", 4000) + "exye")
	if got := find(text, []byte("exye")); got != 20000 {
		t.Fatalf("find in a text of false pairs = %d, want 20000", got)
	}
	if got := find(text, []byte("eyye")); got != -1 {
		t.Fatalf("find of an absent term = %d, want -1", got)
	}
}

func TestIndexPairAtBlockEdges(t *testing.T) {
	t.Parallel()
	for n := 2; n < 70; n++ {
		for d := 1; d < n; d++ {
			for at := 0; at+d < n; at++ {
				s := bytes.Repeat([]byte{'.'}, n)
				s[at], s[at+d] = 'a', 'b'
				if got := indexPair(s, 'a', 'b', d); got != at {
					t.Fatalf("indexPair(len %d, d %d) with the pair at %d = %d", n, d, at, got)
				}
				s[at+d] = '.'
				if got := indexPair(s, 'a', 'b', d); got != -1 {
					t.Fatalf("indexPair(len %d, d %d) without the pair = %d", n, d, got)
				}
			}
		}
	}
}

func FuzzFind(f *testing.F) {
	f.Add([]byte("sk group announces 6.3 mw data center in ulsan\n"), []byte("ulsan"))
	f.Add([]byte("exxeexxeexye"), []byte("exye"))
	f.Add([]byte("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"), []byte("ab"))
	f.Fuzz(func(t *testing.T, text, term []byte) {
		if got, want := find(text, term), bytes.Index(text, term); got != want {
			t.Fatalf("find(%q, %q) = %d, bytes.Index says %d", text, term, got, want)
		}
	})
}

// findAnyRef is findAny the obvious way.
func findAnyRef(s []byte, pieces [][]byte) int {
	best := -1
	for _, p := range pieces {
		if k := bytes.Index(s, p); k >= 0 && (best < 0 || k < best) {
			best = k
		}
	}
	return best
}

// TestFindAny checks the one-pass search for a typo's pieces (pairBlocks3,
// assembly on amd64) against bytes.Index piece by piece: one to three
// pieces of one to six bytes, texts of every length around the blocks.
func TestFindAny(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(7, 8))
	for _, alpha := range []string{"ab", "abc ", "ulsan aws", "abcdefghijklmnopqrstuvwxyz0123456789 .-"} {
		for n := 0; n < 150; n++ {
			text := make([]byte, n)
			for i := range text {
				text[i] = alpha[rng.IntN(len(alpha))]
			}
			for range 20 {
				pieces := make([][]byte, 1+rng.IntN(3))
				for p := range pieces {
					if n > 0 && rng.IntN(3) == 0 {
						i := rng.IntN(n)
						pieces[p] = text[i:min(n, i+1+rng.IntN(6))]
						continue
					}
					pieces[p] = make([]byte, 1+rng.IntN(6))
					for i := range pieces[p] {
						pieces[p][i] = alpha[rng.IntN(len(alpha))]
					}
				}
				if got, want := findAny(text, pieces), findAnyRef(text, pieces); got != want {
					t.Fatalf("findAny(%q, %q) = %d, want %d", text, pieces, got, want)
				}
			}
		}
	}
}

func TestIndexAnyPairAtBlockEdges(t *testing.T) {
	t.Parallel()
	pack := func(a, b byte, d int) uint64 { return uint64(a) | uint64(b)<<8 | uint64(d)<<16 }
	for n := 1; n < 60; n++ {
		for d := 0; d < min(n, 5); d++ {
			for at := 0; at+d < n; at++ {
				s := bytes.Repeat([]byte{'.'}, n)
				s[at], s[at+d] = 'a', 'b'
				if d == 0 {
					s[at] = 'a'
				}
				b := byte('b')
				if d == 0 {
					b = 'a'
				}
				// The pair in each slot in turn, the other slots never matching.
				for slot := 0; slot < 3; slot++ {
					pairs := [3]uint64{pack('x', 'y', 4), pack('y', 'x', 1), pack('z', 'z', 0)}
					pairs[slot] = pack('a', b, d)
					if got := indexAnyPair(s, &pairs, 4); got != at {
						t.Fatalf("n %d d %d slot %d: pair at %d found at %d", n, d, slot, at, got)
					}
				}
			}
		}
	}
}

func FuzzFindAny(f *testing.F) {
	f.Add([]byte("amazon web services prevoit un centre de donnees a ulsan"), []byte("ul"), []byte("sna"), []byte(""))
	f.Add([]byte("exxeexxeexye"), []byte("exye"), []byte("q"), []byte("xe"))
	f.Fuzz(func(t *testing.T, text, a, b, c []byte) {
		var pieces [][]byte
		for _, p := range [][]byte{a, b, c} {
			if len(p) > 0 {
				pieces = append(pieces, p)
			}
		}
		if len(pieces) == 0 {
			return
		}
		if got, want := findAny(text, pieces), findAnyRef(text, pieces); got != want {
			t.Fatalf("findAny(%q, %q) = %d, want %d", text, pieces, got, want)
		}
	})
}

// pairBitsRef is pairBits the obvious way.
func pairBitsRef(s []byte, a, b byte, d int) []uint64 {
	bits := make([]uint64, len(s)/64+1)
	for p := 0; p+d < len(s); p++ {
		if s[p] == a && s[p+d] == b {
			bits[p>>6] |= 1 << (p & 63)
		}
	}
	return bits
}

// withEachPairWords runs f once per implementation of pairWords this
// processor runs (SSE2 and AVX2 on amd64).
func withEachPairWords(t *testing.T, f func(t *testing.T, impl pairWordsFunc)) {
	for name, impl := range pairWordsImpls() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f(t, impl)
		})
	}
}

// TestPairBits checks the map of pairs (pairWords, assembly on amd64)
// against a loop: texts of every length around the 64-byte words, every
// distance, pairs dense and sparse, and a reused buffer holding old bits.
func TestPairBits(t *testing.T) {
	t.Parallel()
	withEachPairWords(t, func(t *testing.T, impl pairWordsFunc) {
		rng := rand.New(rand.NewPCG(9, 10))
		for _, alpha := range []string{"ab", "abcdefgh .", "st st"} {
			for n := 0; n < 300; n++ {
				text := make([]byte, n)
				for i := range text {
					text[i] = alpha[rng.IntN(len(alpha))]
				}
				for d := 1; d < 8; d++ {
					a, b := alpha[rng.IntN(len(alpha))], alpha[rng.IntN(len(alpha))]
					got := make([]uint64, n/64+1)
					for i := range got {
						got[i] = ^uint64(0) // what a pooled buffer may hold
					}
					pairBitsWith(impl, text, a, b, d, got)
					if want := pairBitsRef(text, a, b, d); !slices.Equal(got, want) {
						t.Fatalf("pairBits(%q, %q, %q, %d) = %x, want %x", text, a, b, d, got, want)
					}
				}
			}
		}
	})
}

func FuzzPairBits(f *testing.F) {
	f.Add([]byte("the state of st. louis stands still"), byte('s'), byte('t'), uint8(1))
	impls := pairWordsImpls()
	f.Fuzz(func(t *testing.T, text []byte, a, b byte, d uint8) {
		dist := int(d%16) + 1
		want := pairBitsRef(text, a, b, dist)
		for name, impl := range impls {
			got := make([]uint64, len(text)/64+1)
			pairBitsWith(impl, text, a, b, dist, got)
			if !slices.Equal(got, want) {
				t.Fatalf("%s: pairBits(%q, %q, %q, %d) = %x, want %x", name, text, a, b, dist, got, want)
			}
		}
	})
}

// A record's pair mask has the bit of a kept pair exactly when its text
// holds that pair.
func TestPairMaskExact(t *testing.T) {
	t.Parallel()
	ds := modeltest.Fixture(t)
	e := NewEngine(ds)
	kept := 0
	for pr, k := range e.pairBit {
		if k < 0 {
			continue
		}
		kept++
		pair := []byte{byte(pr >> 8), byte(pr)}
		for i := range e.recs {
			got := e.pairs[i][k>>6]&(1<<uint(k&63)) != 0
			if want := bytes.Contains(e.text(i), pair); got != want {
				t.Fatalf("record %d, pair %q: mask says %v, text says %v", i, pair, got, want)
			}
		}
	}
	if kept == 0 || kept > keptPairs {
		t.Fatalf("%d pairs kept", kept)
	}
}
