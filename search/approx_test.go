package search

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// spanDP.best finds a substring at the least edit distance from the term
// (checked against every substring) and says whether it is within k.
func TestSpanBestAgainstSubstrings(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(11, 12))
	var dp spanDP
	for range 2000 {
		term := randomText(rng, "abc", 4+rng.IntN(5))
		text := randomText(rng, "abc ", rng.IntN(16))
		k := 1 + rng.IntN(2)
		start, end, ok := dp.best(term, []byte(text), k)
		least := len(term)
		for i := 0; i <= len(text); i++ {
			for j := i; j <= len(text); j++ {
				least = min(least, levenshtein(term, text[i:j]))
			}
		}
		if got := levenshtein(term, text[start:end]); got != least || ok != (least <= k) {
			t.Fatalf("best(%q, %q, %d) = %q at distance %d (ok %v), least distance %d", term, text, k, text[start:end], got, ok, least)
		}
	}
}

func randomText(rng *rand.Rand, alpha string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alpha[rng.IntN(len(alpha))]
	}
	return string(b)
}

func TestWordAround(t *testing.T) {
	t.Parallel()
	cjk := strings.Repeat("数据中心", 10) // 120 bytes, no word breaks
	tests := []struct {
		text   string
		lo, hi int
		want   string
	}{
		{"sk ulsan ai\n", 3, 7, "ulsan"},           // "ulsa" of ulsan: the whole word
		{"sk ulsan ai\n", 2, 7, "ulsan"},           // a space at the edge is dropped
		{"ai data center\n", 3, 12, "data center"}, // across words
		{"campus\nulsan\n", 4, 9, "campus ulsan"},  // across fields
		{"del colosso cinese\n", 4, 10, "colosso"}, // "coloss" of the Italian word
		{"a -- b\n", 2, 4, "--"},                   // no word byte: the match itself
		{cjk, 60, 66, cjk[27:99]},                  // 32 bytes a side, then to whole runes
	}
	for _, tt := range tests {
		if got := wordAround([]byte(tt.text), tt.lo, tt.hi); got != tt.want {
			t.Errorf("wordAround(%q, %d, %d) = %q, want %q", tt.text, tt.lo, tt.hi, got, tt.want)
		}
	}
}

func TestApproxSummary(t *testing.T) {
	got := ApproxSummary([]Approx{
		{Term: "ulsna", Matched: []string{"ulsan"}},
		{Term: "zzzq"},
		{Term: "colossus", Matched: []string{"colosso", "colossi"}},
	})
	if want := "ulsna ≈ ulsan; colossus ≈ colosso, colossi"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := ApproxSummary([]Approx{{Term: "zzzq"}}); got != "" {
		t.Errorf("a term that matched nothing: got %q", got)
	}
}
