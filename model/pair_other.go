//go:build !amd64 || purego

package model

import "bytes"

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
