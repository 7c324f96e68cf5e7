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
	var key []byte
	for {
		n, err := r.Read(buf)
		b := buf[:n]
		for i := 0; i < len(b); i++ {
			if inString {
				// Jump to the next quote; an odd run of backslashes before
				// it escapes it.
				j := bytes.IndexByte(b[i:], '"')
				if j < 0 {
					if collecting {
						key = append(key, b[i:]...)
					}
					i = len(b)
					break
				}
				if collecting {
					key = append(key, b[i:i+j]...)
				}
				i += j
				if escapedQuote(b[:i], key, collecting) {
					if collecting {
						key = append(key, '"')
					}
					continue
				}
				inString = false
				continue
			}
			switch b[i] {
			case '"':
				inString = true
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

// escapedQuote reports whether a quote is escaped by an odd run of
// backslashes before it: in the collected key when collecting (it holds the
// whole string so far), else at the end of before. A run split across two
// reads of an uncollected string is missed, which only skews the hint.
func escapedQuote(before, key []byte, collecting bool) bool {
	if collecting {
		before = key
	}
	n := 0
	for j := len(before) - 1; j >= 0 && before[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}

func sectionIndex(key []byte) int {
	for i, s := range sections {
		if s.key == string(key) {
			return i
		}
	}
	return -1
}
