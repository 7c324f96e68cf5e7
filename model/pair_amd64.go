//go:build !purego

package model

//go:noescape
func pairBlocks(s []byte, a, b byte, d, blocks int) int

//go:noescape
func pairBlocks3(s []byte, pairs *[3]uint64, blocks int) int

//go:noescape
func pairWords(s []byte, a, b byte, d int, out *uint64, words int)
