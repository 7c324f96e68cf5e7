package data

import (
	"bytes"
	"io"
)

// countRecords makes a quick pass over a dataset file and counts the objects
// in each top-level array, without decoding them. Loading uses the counts to
// allocate each kind's slice once at its final size: at a million records,
// growing the slices instead copies hundreds of megabytes and, at the moment
// of each growth, holds the old and the new array at once. The counts are
// only a capacity hint; a malformed file just gets a wrong hint.
func countRecords(r io.Reader) ([8]int, error) {
	var counts [8]int
	buf := make([]byte, 256<<10)
	depth, cur := 0, -1
	inString, collecting := false, false
	// slashes counts the backslashes just before the current point of a
	// string, across reads: an odd run escapes the next quote.
	slashes := 0
	var key []byte
	for {
		n, err := r.Read(buf)
		b := buf[:n]
		for i := 0; i < len(b); i++ {
			if inString {
				j := bytes.IndexByte(b[i:], '"')
				seg := b[i:]
				if j >= 0 {
					seg = b[i : i+j]
				}
				if collecting {
					key = append(key, seg...)
				}
				slashes = trailingSlashes(seg, slashes)
				if j < 0 {
					break
				}
				i += j
				if slashes%2 == 1 {
					if collecting {
						key = append(key, '"')
					}
					slashes = 0
					continue
				}
				inString = false
				continue
			}
			switch b[i] {
			case '"':
				inString, slashes = true, 0
				collecting = depth == 1
				key = key[:0]
			case '[':
				if depth == 1 {
					cur = sectionIndex(key)
				}
				depth++
			case '{':
				if depth == 2 && cur >= 0 {
					counts[cur]++
				}
				depth++
			case '}', ']':
				depth--
				if depth <= 1 {
					cur = -1
				}
			}
		}
		if err == io.EOF {
			return counts, nil
		}
		if err != nil {
			return counts, err
		}
	}
}

// trailingSlashes is the run of backslashes at the end of seg, continuing
// the run of prev when seg is nothing but backslashes.
func trailingSlashes(seg []byte, prev int) int {
	n := 0
	for j := len(seg) - 1; j >= 0 && seg[j] == '\\'; j-- {
		n++
	}
	if n == len(seg) {
		return prev + n
	}
	return n
}

func sectionIndex(key []byte) int {
	for i, s := range sections {
		if s.key == string(key) {
			return i
		}
	}
	return -1
}
