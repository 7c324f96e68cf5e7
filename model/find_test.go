package model

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestFind checks find (and through it pairBlocks, assembly on amd64)
// against bytes.Index: terms at every offset around the 16-byte block
// edges, texts of every length near them, pairs that occur without the
// term, and texts full of false starts.
func TestFind(t *testing.T) {
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
