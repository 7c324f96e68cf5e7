//go:build !purego

package model

//go:noescape
func pairBlocks(s []byte, a, b byte, d, blocks int) int
