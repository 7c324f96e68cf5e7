//go:build !purego

package search

import "golang.org/x/sys/cpu"

//go:noescape
func pairBlocks(s []byte, a, b byte, d, blocks int) int

//go:noescape
func pairBlocks3(s []byte, pairs *[3]uint64, blocks int) int

//go:noescape
func pairWordsSSE2(s []byte, a, b byte, d int, out *uint64, words int)

//go:noescape
func pairWordsAVX2(s []byte, a, b byte, d int, out *uint64, words int)

// pairWords is pairWordsAVX2 where the processor has AVX2, else
// pairWordsSSE2 (every amd64 processor has SSE2). Chosen once, at package
// initialization, and never written after: tests run the others through
// pairBitsWith.
var pairWords = func() pairWordsFunc {
	if cpu.X86.HasAVX2 {
		return pairWordsAVX2
	}
	return pairWordsSSE2
}()

// pairWordsImpls are the implementations this processor can run, for tests.
func pairWordsImpls() map[string]pairWordsFunc {
	impls := map[string]pairWordsFunc{"sse2": pairWordsSSE2}
	if cpu.X86.HasAVX2 {
		impls["avx2"] = pairWordsAVX2
	}
	return impls
}
