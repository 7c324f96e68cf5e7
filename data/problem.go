package data

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dcx-explorer/dcx/model"
)

// Problem is one thing wrong with a dataset: where (file, line and column,
// and the JSON path from the top of the file), the offending value and what
// is wrong. Line and Col start at 1; Col counts bytes.
type Problem struct {
	File  string
	Line  int
	Col   int
	Path  string
	Value string
	Msg   string
	// More is set on the last entry of a list cut at MaxProblems: it stands
	// for the More problems found past the cut, and its position is where
	// the first of them is (or the last one listed when that is unknown).
	More int
}

// MaxProblems is how many problems a load lists. A file that is wrong
// throughout (a million records missing the same field) would otherwise
// give millions of lines and hold every one in memory; the first thousand
// say what is wrong, and the last line counts the rest.
const MaxProblems = 1000

// String renders the problem as `file:line:col: path: value "x": message`,
// the form editors and terminals turn into links. Parts that do not apply
// (no path for a file-level problem, no value for a missing field) are left
// out.
func (p Problem) String() string {
	var b strings.Builder
	if p.More > 0 {
		fmt.Fprintf(&b, "%s: ... and %s not listed (dcx lists the first %d)", p.where(), model.Plural(p.More, "more problem"), MaxProblems)
		return Escape(b.String())
	}
	b.WriteString(p.where() + ": ")
	if p.Path != "" {
		b.WriteString(p.Path + ": ")
	}
	if p.Value != "" {
		b.WriteString("value " + quoteValue(p.Value) + ": ")
	}
	b.WriteString(p.Msg)
	// Values are quoted and keys in paths bracketed (see pathString);
	// file names and messages quoting them are escaped here.
	return Escape(b.String())
}

// Escape makes s safe to print on a terminal: every rune that is not
// printable (control characters C0 and C1, DEL, format characters such as
// bidi controls, line and paragraph separators) becomes a Go escape (\x1b,
// \u202e), and so does each byte that is not valid UTF-8. Problems hold
// pieces of files (keys, file names, values): printed raw, an escape
// sequence in a key would drive the reader's terminal (OSC 52 writes the
// clipboard).
func Escape(s string) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || !unicode.IsPrint(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unicode.IsPrint(r):
			b.WriteString(s[i : i+n])
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r <= 0xFFFF:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
		i += n
	}
	return b.String()
}

// where is file:line:col.
func (p Problem) where() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		b.WriteString(":" + strconv.Itoa(p.Line))
		if p.Col > 0 {
			b.WriteString(":" + strconv.Itoa(p.Col))
		}
	}
	return b.String()
}

// quoteValue quotes a value for a message, cutting long ones (a whole quote)
// so one problem stays on one readable line.
func quoteValue(v string) string {
	const max = 80
	if r := []rune(v); len(r) > max {
		v = string(r[:max]) + "…"
	}
	return strconv.Quote(v)
}

// Errors is every problem found in a dataset, sorted by file, then line and
// column. It is the error Load and Validate return for invalid data.
type Errors []Problem

func (e Errors) Error() string {
	lines := make([]string, len(e))
	for i, p := range e {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Count is the number of problems found, including those past the cut
// (see MaxProblems).
func (e Errors) Count() int {
	n := len(e)
	if n > 0 && e[n-1].More > 0 {
		n += e[n-1].More - 1
	}
	return n
}

// capped sorts e and cuts it at MaxProblems, dropped more having been left
// out while collecting: the last entry then counts what is not listed.
// The problems of keep (the syntax errors that ended a file) are listed
// even past the cut: they say why the rest of their file was not read.
func (e Errors) capped(dropped int, keep []Problem) Errors {
	e.sort()
	if len(e) <= MaxProblems && dropped == 0 {
		return e
	}
	out, rest := e, Errors(nil)
	if len(e) > MaxProblems {
		out, rest = e[:MaxProblems:MaxProblems], e[MaxProblems:]
	}
	dropped += len(rest)
	next, found := out[len(out)-1], false
	for _, p := range rest {
		if slices.Contains(keep, p) {
			out = append(out, p)
			dropped--
			continue
		}
		if !found {
			next, found = p, true
		}
	}
	if dropped == 0 {
		return out
	}
	return append(out, Problem{File: next.File, Line: next.Line, Col: next.Col, More: dropped})
}

func (e Errors) sort() {
	sort.SliceStable(e, func(i, j int) bool {
		a, b := e[i], e[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return a.Path < b.Path
	})
}

// pathString renders a path from the top of a file: facilities[3].power_mw.
func pathString(elems []pathElem) string {
	var b strings.Builder
	for _, e := range elems {
		if e.key == "" {
			b.WriteString("[" + strconv.Itoa(e.idx) + "]")
			continue
		}
		if !plainKey(e.key) {
			// A key no model field has (an unknown one, reported as such)
			// is shown quoted, so that its characters cannot be taken for
			// the path's and an escape in it is shown, not run.
			b.WriteString("[" + strconv.Quote(e.key) + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(e.key)
	}
	return b.String()
}

// plainKey reports whether key can stand in a path as it is: letters,
// digits, '_', '-' and '$', as the dataset's own keys.
func plainKey(key string) bool {
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '$') {
			return false
		}
	}
	return key != ""
}

// pathElem is a key (key != "") or an array index.
type pathElem struct {
	key string
	idx int
}

// parsePath splits a relative path such as "evidence[0].quote" into its
// elements. Keys never contain '.' or '[' (they are Go json tags).
func parsePath(p string) ([]pathElem, error) {
	var out []pathElem
	for p != "" {
		switch p[0] {
		case '.':
			p = p[1:]
		case '[':
			end := strings.IndexByte(p, ']')
			if end < 0 {
				return nil, fmt.Errorf("bad path %q", p)
			}
			n, err := strconv.Atoi(p[1:end])
			if err != nil {
				return nil, fmt.Errorf("bad index in path %q", p)
			}
			out = append(out, pathElem{idx: n})
			p = p[end+1:]
		default:
			end := strings.IndexAny(p, ".[")
			if end < 0 {
				end = len(p)
			}
			out = append(out, pathElem{key: p[:end]})
			p = p[end:]
		}
	}
	return out, nil
}
