package search

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Search compares text folded to lower case without diacritics, so that
// "Düsseldorf", "DUSSELDORF" and "dusseldorf" are the same word. Folding is
// done once per record (engine) and once per query term; Highlight re-folds
// one string while remembering where every folded byte came from.

// fieldSep ends every field of a record's search text. Folding turns control
// characters into spaces, so no term or phrase can contain it and no match
// can run from one field (or record) into the next.
const fieldSep = '\n'

// latinFold holds the folded form of every rune below latinFoldSize, computed
// at init from Unicode decompositions (plus the letters that do not decompose:
// ß, æ, ø, ł, ...). It is read-only after init, so concurrent reads are safe.
const latinFoldSize = 0x250

var latinFold = func() (t [latinFoldSize]string) {
	for r := rune(0); r < latinFoldSize; r++ {
		t[r] = foldRuneSlow(r)
	}
	return t
}()

// special are Latin letters with no canonical decomposition that readers
// still expect to match their plain spelling. Read-only.
var special = map[rune]string{
	'ß': "ss", 'ẞ': "ss", 'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe",
	'ø': "o", 'Ø': "o", 'đ': "d", 'Đ': "d", 'ð': "d", 'Ð': "d",
	'ł': "l", 'Ł': "l", 'þ': "th", 'Þ': "th", 'ħ': "h", 'Ħ': "h",
	'ı': "i", 'ŀ': "l", 'Ŀ': "l", 'ŧ': "t", 'Ŧ': "t", 'ƒ': "f",
}

// foldRuneSlow folds one rune: special letters, then canonical decomposition
// without combining marks, lower-cased. Spaces and control characters become
// a single space.
func foldRuneSlow(r rune) string {
	if s, ok := special[r]; ok {
		return s
	}
	if r < 0x80 {
		switch {
		case r < 0x20 || r == 0x7f:
			return " "
		case 'A' <= r && r <= 'Z':
			return string(r + 'a' - 'A')
		}
		return string(r)
	}
	if unicode.IsSpace(r) || unicode.IsControl(r) {
		return " "
	}
	if unicode.Is(unicode.Mn, r) {
		return ""
	}
	if r == utf8.RuneError {
		return string(r)
	}
	d := norm.NFD.PropertiesString(string(r)).Decomposition()
	if d == nil {
		return string(unicode.ToLower(r))
	}
	out := make([]byte, 0, len(d))
	for len(d) > 0 {
		c, n := utf8.DecodeRune(d)
		d = d[n:]
		if unicode.Is(unicode.Mn, c) {
			continue
		}
		out = utf8.AppendRune(out, unicode.ToLower(c))
	}
	return string(out)
}

// foldRune returns the folded form of r ("" drops it).
func foldRune(r rune) string {
	if r >= 0 && r < latinFoldSize {
		return latinFold[r]
	}
	return foldRuneSlow(r)
}

// asciiFold maps each ASCII byte to its folded byte. Computed at init,
// read-only after.
var asciiFold = func() (t [128]byte) {
	for i := range t {
		t[i] = latinFold[i][0]
	}
	return t
}()

// appendFold appends the folded form of s to dst. Runs of spaces collapse to
// one, so a phrase typed with one space matches text with two.
func appendFold(dst []byte, s string) []byte {
	space := len(dst) > 0 && dst[len(dst)-1] == ' '
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			f := asciiFold[c]
			i++
			if f == ' ' {
				if space {
					continue
				}
				space = true
			} else {
				space = false
			}
			dst = append(dst, f)
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		f := foldRune(r)
		if f == "" {
			continue
		}
		if f == " " {
			if space {
				continue
			}
			space = true
		} else {
			space = false
		}
		dst = append(dst, f...)
	}
	return dst
}

// Fold is the folding search uses, for other packages that match names the
// way a search would (the notes converter's places and companies).
func Fold(s string) string { return fold(s) }

// fold returns the folded form of s, trimmed of spaces.
func fold(s string) string {
	b := appendFold(nil, s)
	for len(b) > 0 && b[0] == ' ' {
		b = b[1:]
	}
	for len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return string(b)
}

// foldMap folds s like appendFold and records, for every folded byte, the
// byte range [start, end) of s it came from. A rune followed by dropped
// combining marks owns the marks too, so a highlight never splits "e\u0301".
func foldMap(s string) (folded []byte, start, end []int) {
	folded = make([]byte, 0, len(s))
	start = make([]int, 0, len(s))
	end = make([]int, 0, len(s))
	space := false
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		var f string
		if r < utf8.RuneSelf {
			f = latinFold[r]
		} else {
			f = foldRune(r)
		}
		switch {
		case f == "":
			if len(end) > 0 {
				end[len(end)-1] = i + n
			}
		case f == " " && space:
			end[len(end)-1] = i + n
		default:
			space = f == " "
			for j := 0; j < len(f); j++ {
				folded = append(folded, f[j])
				start = append(start, i)
				end = append(end, i+n)
			}
		}
		i += n
	}
	return folded, start, end
}
