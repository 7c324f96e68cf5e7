//go:build !amd64 || purego

package search

import (
	"bytes"
	"unsafe"
)

// pairBlocks is the portable form of the SSE2 routine in pair_amd64.s:
// IndexByte (vectorised on every major platform) finds a, then b is checked.
func pairBlocks(s []byte, a, b byte, d, blocks int) int {
	end := 16 * blocks
	for i := 0; i < end; {
		k := bytes.IndexByte(s[i:end], a)
		if k < 0 {
			return -1
		}
		i += k
		if s[i+d] == b {
			return i
		}
		i++
	}
	return -1
}

// pairBlocks3 is the portable form of pairBlocks3 in pair_amd64.s: the
// smallest position below 16*blocks at which any of the three packed pairs
// occurs.
func pairBlocks3(s []byte, pairs *[3]uint64, blocks int) int {
	best := -1
	for _, p := range pairs {
		a, b, d := byte(p), byte(p>>8), int(p>>16)
		lim := 16 * blocks
		if best >= 0 {
			lim = best // only an earlier position can win
		}
		for i := 0; i < lim; {
			k := bytes.IndexByte(s[i:lim], a)
			if k < 0 {
				break
			}
			i += k
			if s[i+d] == b {
				best = i
				break
			}
			i++
		}
	}
	return best
}

// pairWords is the portable form of the assembly in pair_amd64.s: out[w]
// gets the mask of the positions 64*w+k where a is followed d bytes on by
// b. A variable, as on amd64, where it is chosen by processor; never
// written after initialization.
var pairWords pairWordsFunc = pairWordsGo

func pairWordsGo(s []byte, a, b byte, d int, out *uint64, words int) {
	bits := unsafe.Slice(out, words)
	for w := range bits {
		var m uint64
		for k, c := range s[64*w : 64*w+64] {
			if c == a && s[64*w+k+d] == b {
				m |= 1 << k
			}
		}
		bits[w] = m
	}
}

// pairWordsImpls are the implementations this build can run, for tests.
func pairWordsImpls() map[string]pairWordsFunc {
	return map[string]pairWordsFunc{"go": pairWordsGo}
}
