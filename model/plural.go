package model

import (
	"strconv"
	"strings"
)

// Plural is a count with its noun, singular only for one: "1 source",
// "0 sources", "3 facilities". Every message that counts something says it
// through here, so none prints "1 problems" or hedges with "problem(s)".
func Plural(n int, noun string) string {
	if n == 1 || n == -1 {
		return strconv.Itoa(n) + " " + noun
	}
	return strconv.Itoa(n) + " " + PluralOf(noun)
}

// PluralOf is the plural of a regular English noun (of a phrase, of its last
// word): facility → facilities, path → paths, box → boxes, exchange rate →
// exchange rates. The nouns dcx counts are all regular.
func PluralOf(noun string) string {
	n := len(noun)
	switch {
	case n == 0:
		return noun
	case n >= 2 && noun[n-1] == 'y' && !strings.ContainsRune("aeiou", rune(noun[n-2])):
		return noun[:n-1] + "ies"
	case strings.HasSuffix(noun, "s"), strings.HasSuffix(noun, "x"), strings.HasSuffix(noun, "z"),
		strings.HasSuffix(noun, "ch"), strings.HasSuffix(noun, "sh"):
		return noun + "es"
	}
	return noun + "s"
}
