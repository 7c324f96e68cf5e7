package search

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dcx-explorer/dcx/model"
)

// Query is a parsed search query. See ParseQuery for the language.
type Query struct {
	Raw string
	// terms are the free-text words and quoted phrases a record must contain
	// (folded); excl the ones it must not contain.
	terms   []string
	excl    []string
	filters []filter
}

// QueryError says where a query is wrong: Pos is the byte offset in the raw
// query of the offending part, Token the whole token it belongs to.
type QueryError struct {
	Pos   int
	Token string
	Msg   string
}

func (e *QueryError) Error() string { return e.Msg }

// field is what a filter tests.
type field uint8

const (
	fieldKind field = iota + 1
	fieldCompany
	fieldProvider
	fieldCountry
	fieldArea
	fieldPlace
	fieldStatus
	fieldQuality
	fieldYear
	// Numeric attributes: the order is the order of Engine.nums.
	fieldMW
	fieldGPUs
	fieldZones
	fieldRegions
	fieldUSD
	fieldEUR
	fieldCNY
)

// numFields is the number of numeric attributes an engine keeps per record.
const numFields = int(fieldCNY-fieldMW) + 1

func (f field) numeric() bool { return f >= fieldYear }

// fieldNames maps every accepted spelling to its field. Read-only.
var fieldNames = map[string]field{
	"kind": fieldKind, "type": fieldKind, "tab": fieldKind,
	"company": fieldCompany, "co": fieldCompany, "org": fieldCompany,
	"provider": fieldProvider, "cloud": fieldProvider,
	"country": fieldCountry,
	"area":    fieldArea,
	"place":   fieldPlace, "city": fieldPlace, "in": fieldPlace,
	"status":  fieldStatus,
	"quality": fieldQuality,
	"year":    fieldYear,
	"mw":      fieldMW,
	"gpus":    fieldGPUs, "gpu": fieldGPUs,
	"zones": fieldZones, "az": fieldZones,
	"regions": fieldRegions,
	"usd":     fieldUSD, "eur": fieldEUR, "cny": fieldCNY,
}

// canonicalNames are the fields' names as a query prints them. Read-only:
// FieldNames hands out a copy.
var canonicalNames = []string{"kind", "company", "provider", "country", "area", "place", "status", "quality", "year", "mw", "gpus", "zones", "regions", "usd", "eur", "cny"}

// FieldNames lists the canonical field names, for help and completion.
func FieldNames() []string { return slices.Clone(canonicalNames) }

// canonicalField is canonicalNames by field, computed at init, read-only
// after.
var canonicalField = func() map[field]string {
	m := map[field]string{}
	for _, n := range canonicalNames {
		m[fieldNames[n]] = n
	}
	return m
}()

// op is a comparison operator.
type op uint8

const (
	opEq op = iota + 1
	opNe
	opGt
	opGe
	opLt
	opLe
)

// opNames are the operators' spellings. Read-only.
var opNames = [...]string{opEq: "=", opNe: "!=", opGt: ">", opGe: ">=", opLt: "<", opLe: "<="}

func (o op) holds(v, x float64) bool {
	switch o {
	case opEq:
		return v == x
	case opNe:
		return v != x
	case opGt:
		return v > x
	case opGe:
		return v >= x
	case opLt:
		return v < x
	case opLe:
		return v <= x
	}
	return false
}

// filter is one field test. Text fields match when any of values matches;
// numeric ones compare num with op. neg inverts the whole test (-kind:zone).
type filter struct {
	field  field
	op     op
	neg    bool
	values []string // folded, for text fields
	kinds  uint16   // resolved kind bits, for fieldKind
	num    float64
}

// key is a canonical spelling: two filters with the same key select the same
// records, whatever the spelling typed (kind:fac and kind:facility).
func (f filter) key() string {
	var b strings.Builder
	if f.neg {
		b.WriteByte('-')
	}
	b.WriteString(canonicalField[f.field])
	b.WriteString(opNames[f.op])
	switch {
	case f.field == fieldKind:
		b.WriteString(strconv.Itoa(int(f.kinds)))
	case f.field.numeric():
		b.WriteString(strconv.FormatFloat(f.num, 'g', -1, 64))
	default:
		b.WriteString(strings.Join(f.values, ","))
	}
	return b.String()
}

// implies reports whether every record passing f also passes g, so a result
// for g can be refined by f instead of rescanning.
func (f filter) implies(g filter) bool {
	if f.key() == g.key() {
		return true
	}
	if f.field != g.field || !f.field.numeric() || f.neg || g.neg || f.field == fieldYear {
		return false
	}
	switch g.op {
	case opGe:
		return (f.op == opGe || f.op == opGt || f.op == opEq) && f.num >= g.num
	case opGt:
		return ((f.op == opGe || f.op == opEq) && f.num > g.num) || (f.op == opGt && f.num >= g.num)
	case opLe:
		return (f.op == opLe || f.op == opLt || f.op == opEq) && f.num <= g.num
	case opLt:
		return ((f.op == opLe || f.op == opEq) && f.num < g.num) || (f.op == opLt && f.num <= g.num)
	}
	return false
}

// kindNames maps kind spellings (singular, plural, tab names) to kinds.
// Read-only.
var kindNames = map[string]model.Kind{
	"announcement": model.KindAnnouncement, "announcements": model.KindAnnouncement, "news": model.KindAnnouncement,
	"company": model.KindCompany, "companies": model.KindCompany,
	"region": model.KindRegion, "regions": model.KindRegion,
	"zone": model.KindZone, "zones": model.KindZone,
	"facility": model.KindFacility, "facilities": model.KindFacility,
	"investment": model.KindInvestment, "investments": model.KindInvestment,
	"source": model.KindSource, "sources": model.KindSource,
	"place": model.KindPlace, "places": model.KindPlace,
}

func kindBit(k model.Kind) uint16 { return 1 << uint(k.Order()) }

// resolveKind turns a typed kind (a prefix of any spelling, so that kind:fac
// already works while typing) into kind bits.
func resolveKind(v string) uint16 {
	if k, ok := kindNames[v]; ok {
		return kindBit(k)
	}
	var bits uint16
	for name, k := range kindNames {
		if strings.HasPrefix(name, v) {
			bits |= kindBit(k)
		}
	}
	return bits
}

// ParseQuery parses a search query. An empty or blank query matches
// everything. The language:
//
//	ulsan aws            records containing both words, in any order, anywhere
//	"ai data center"     a phrase
//	-azure  -"joint venture"   exclusions
//	kind:facility        (also plural and tab names; prefixes while typing)
//	company:alibaba      linked to a company whose name/alias/id contains it,
//	                     or to a subsidiary of one
//	provider:aws         regions and zones of, and facilities operated by, it
//	country:KR  area:apac  place:seoul  (ISO code or name)
//	year:2025  status:construction
//	mw>=100  gpus>10000  zones>=3  regions>20  usd>=1e9  eur<5.1bn  cny=380bn
//	year>=2024           operators = != > >= < <= (":" means "=")
//
// Text values may list alternatives (country:kr,jp) and be quoted
// (place:"abu dhabi"); a leading "-" negates a filter too. A field with no
// value yet ("kind:", "mw>=") is ignored, so a query being typed stays valid.
func ParseQuery(s string) (Query, error) {
	q := Query{Raw: s}
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if isSpace(r) {
			i += n
			continue
		}
		start := i
		j := i
		for j < len(s) {
			r, n := utf8.DecodeRuneInString(s[j:])
			if r == '"' {
				k := strings.IndexByte(s[j+1:], '"')
				if k < 0 {
					j = len(s) // an unclosed quote runs to the end: the user is typing it
					break
				}
				j += k + 2
				continue
			}
			if isSpace(r) {
				break
			}
			j += n
		}
		if err := q.addToken(s[start:j], start); err != nil {
			return Query{Raw: s}, err
		}
		i = j
	}
	return q, nil
}

func isSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f' || r == 0x85 || r == 0xA0 || r == 0x3000
}

// addToken adds one whitespace-delimited token (quotes may contain spaces).
func (q *Query) addToken(tok string, pos int) error {
	neg := false
	body, bodyPos := tok, pos
	if strings.HasPrefix(body, "-") {
		neg = true
		body, bodyPos = body[1:], pos+1
	}
	if name, o, value, valuePos, ok := splitFilter(body); ok {
		f, known := fieldNames[strings.ToLower(name)]
		if !known {
			return &QueryError{Pos: bodyPos, Token: tok, Msg: fmt.Sprintf("%s: unknown field %q (fields: %s)", tok, name, strings.Join(canonicalNames, ", "))}
		}
		return q.addFilter(tok, f, o, neg, value, bodyPos+valuePos)
	}
	text := fold(strings.ReplaceAll(body, `"`, " "))
	if text == "" {
		return nil
	}
	if neg {
		q.excl = append(q.excl, text)
	} else {
		q.terms = append(q.terms, text)
	}
	return nil
}

// splitFilter splits name OP value where name is ASCII letters. The value
// keeps its quotes; valuePos is its offset in tok.
func splitFilter(tok string) (name string, o op, value string, valuePos int, ok bool) {
	i := 0
	for i < len(tok) && ('a' <= tok[i]|0x20 && tok[i]|0x20 <= 'z') {
		i++
	}
	if i == 0 || i == len(tok) {
		return "", 0, "", 0, false
	}
	rest := tok[i:]
	switch {
	case strings.HasPrefix(rest, ">="):
		o, valuePos = opGe, i+2
	case strings.HasPrefix(rest, "<="):
		o, valuePos = opLe, i+2
	case strings.HasPrefix(rest, "!="):
		o, valuePos = opNe, i+2
	case rest[0] == '>':
		o, valuePos = opGt, i+1
	case rest[0] == '<':
		o, valuePos = opLt, i+1
	case rest[0] == '=' || rest[0] == ':':
		o, valuePos = opEq, i+1
	default:
		return "", 0, "", 0, false
	}
	return tok[:i], o, tok[valuePos:], valuePos, true
}

func (q *Query) addFilter(tok string, f field, o op, neg bool, value string, valuePos int) error {
	unquoted := strings.ReplaceAll(value, `"`, "")
	if strings.TrimSpace(unquoted) == "" {
		return nil // still being typed
	}
	flt := filter{field: f, op: o, neg: neg}
	if f.numeric() {
		v, err := parseNumber(unquoted)
		if err != nil {
			return &QueryError{Pos: valuePos, Token: tok, Msg: fmt.Sprintf("%s: %q is not a number", tok, value)}
		}
		if f == fieldYear && (v != math.Trunc(v) || v < 1 || v > 9999) {
			return &QueryError{Pos: valuePos, Token: tok, Msg: fmt.Sprintf("%s: %q is not a year", tok, value)}
		}
		flt.num = v
		q.filters = append(q.filters, flt)
		return nil
	}
	switch o {
	case opEq:
	case opNe:
		flt.neg, flt.op = !neg, opEq
	default:
		return &QueryError{Pos: valuePos - len(opNames[o]), Token: tok, Msg: fmt.Sprintf("%s: %s takes ':' or '!=', not %q", tok, canonicalField[f], opNames[o])}
	}
	for _, part := range strings.Split(unquoted, ",") {
		if v := fold(part); v != "" {
			flt.values = append(flt.values, v)
		}
	}
	if len(flt.values) == 0 {
		return nil
	}
	sort.Strings(flt.values)
	if f == fieldKind {
		for _, v := range flt.values {
			bits := resolveKind(v)
			if bits == 0 {
				return &QueryError{Pos: valuePos, Token: tok, Msg: fmt.Sprintf("%s: no kind %q (kinds: %s)", tok, v, kindList())}
			}
			flt.kinds |= bits
		}
	}
	q.filters = append(q.filters, flt)
	return nil
}

func kindList() string {
	names := make([]string, len(model.Kinds()))
	for i, k := range model.Kinds() {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

// parseNumber reads 100, 1e9, 5.1bn, 100k, 2.5m, 1_000, 1,000 and 3trn.
func parseNumber(s string) (float64, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.NewReplacer("_", "", ",", "").Replace(s)
	mult := 1.0
	for _, suf := range []struct {
		s string
		m float64
	}{{"trn", 1e12}, {"tn", 1e12}, {"bn", 1e9}, {"mn", 1e6}, {"k", 1e3}, {"m", 1e6}, {"b", 1e9}, {"t", 1e12}} {
		if strings.HasSuffix(s, suf.s) && len(s) > len(suf.s) {
			s, mult = s[:len(s)-len(suf.s)], suf.m
			break
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || strings.ContainsAny(s, "xp") {
		return 0, fmt.Errorf("not a number")
	}
	return v * mult, nil
}

// Empty reports whether the query selects everything.
func (q Query) Empty() bool { return len(q.terms) == 0 && len(q.excl) == 0 && len(q.filters) == 0 }

// Terms returns the folded free-text terms and phrases the query requires,
// e.g. for a view to explain what it searched.
func (q Query) Terms() []string { return append([]string(nil), q.terms...) }

// String is the query in canonical form: terms, then exclusions, then filters.
func (q Query) String() string {
	var parts []string
	for _, t := range q.terms {
		parts = append(parts, quoteIfSpace(t))
	}
	for _, t := range q.excl {
		parts = append(parts, "-"+quoteIfSpace(t))
	}
	for _, f := range q.filters {
		parts = append(parts, f.key())
	}
	return strings.Join(parts, " ")
}

func quoteIfSpace(t string) string {
	if strings.Contains(t, " ") {
		return `"` + t + `"`
	}
	return t
}

// Highlight returns the byte ranges [start, end) of s that the query's
// free-text terms and phrases match (case- and diacritic-insensitive), for
// views to emphasise. Ranges are in s itself (not in its folded form), sorted
// and do not overlap. Fuzzy matches are not highlighted.
func (q Query) Highlight(s string) [][2]int {
	if len(q.terms) == 0 || s == "" {
		return nil
	}
	fb, start, end := foldMap(s)
	folded := string(fb)
	var out [][2]int
	for _, t := range q.terms {
		for from := 0; from < len(folded); {
			k := strings.Index(folded[from:], t)
			if k < 0 {
				break
			}
			a, b := from+k, from+k+len(t)
			out = append(out, [2]int{start[a], end[b-1]})
			from = a + 1
		}
	}
	if len(out) == 0 {
		return nil
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	merged := out[:1]
	for _, r := range out[1:] {
		last := &merged[len(merged)-1]
		if r[0] <= last[1] {
			if r[1] > last[1] {
				last[1] = r[1]
			}
			continue
		}
		merged = append(merged, r)
	}
	return merged
}
