package data

import (
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unsafe"

	"github.com/dcx-explorer/dcx/model"
)

// decoder turns the scanner's tokens into model values. Problems of type
// (a string where a number belongs, an unknown or missing member) are
// collected and decoding goes on; only syntax errors stop it.
type decoder struct {
	s     *scanner
	file  string
	probs []Problem
	// dropped counts the problems found once probs held MaxProblems.
	dropped int
	path    []pathElem
	// intern holds one table per field name (see str), shared by the files
	// of one load.
	intern map[string]*internTable
	arena  []byte
	// local holds the strings of the record being decoded (reset per
	// record): a record repeats its own sentences (a facility's milestone
	// and phases cite the quote of its evidence, an announcement's headline
	// is its evidence's quote), and those repeats share one copy. A record
	// has a few dozen such strings: comparing lengths down a list finds a
	// repeat quicker than hashing every string into a map (most never
	// repeat), and a record with more than maxLocalStrings keeps the first.
	local []string
	// recEvidence are the evidence lists already decoded in the current
	// record: an equal list later in the record shares the earlier one's
	// array instead of holding a copy of every Evidence.
	recEvidence [][]model.Evidence
	// lists interns the small []string values of interned fields
	// ("supports", "places"), per field name: the same few lists repeat
	// across hundreds of thousands of records.
	lists   map[string]map[string][]string
	listKey []byte
	// scratch holds reusable slices, a stack per type (a dozen types, so a
	// list is quicker than a map): elements are decoded into one and then
	// copied to a slice of the exact length (see slice).
	scratch []scratchStack
	// dates interns the values of *Date fields (a phase's target, a
	// source's publication): a few thousand distinct dates are pointed to by
	// hundreds of thousands of records, 96 bytes each when not shared.
	dates   map[model.Date]*model.Date
	dateTmp model.Date
	// errPath is where a syntax error struck, kept as the stack unwinds.
	errPath string
	// cache is the direct-mapped cache of interned strings (see str).
	cache [internCache]string
	// infos caches infoFor (see info).
	infos []typeInfo
	// split is set when this decoder decodes only part of a file, another
	// decoder the rest (see decodeParallel).
	split *splitPlan
}

// fatal remembers the path of the first fatal error on its way up.
func (d *decoder) fatal(err error) error {
	if err != nil && d.errPath == "" {
		d.errPath = pathString(d.path)
	}
	return err
}

// startRecord forgets what the previous record's strings and evidence lists
// were: sharing is only looked for within one record, where it pays.
func (d *decoder) startRecord() {
	d.local = d.local[:0]
	clear(d.recEvidence)
	d.recEvidence = d.recEvidence[:0]
}

func (d *decoder) push(e pathElem) { d.path = append(d.path, e) }
func (d *decoder) pop()            { d.path = d.path[:len(d.path)-1] }

func (d *decoder) problem(at position, value, msg string) {
	if len(d.probs) >= MaxProblems {
		// Past the list's cap only the count is kept (see MaxProblems).
		d.dropped++
		return
	}
	d.probs = append(d.probs, Problem{File: d.file, Line: at.line, Col: at.col, Path: pathString(d.path), Value: value, Msg: msg})
}

// want names the JSON a Go type takes, for messages.
func want(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "an integer"
	case reflect.Float64, reflect.Float32:
		return "a number"
	case reflect.Slice:
		return "an array"
	case reflect.Struct:
		return "an object"
	}
	return t.String()
}

// mismatch reports a value of the wrong JSON type and skips it.
func (d *decoder) mismatch(at position, t reflect.Type, c byte) error {
	var got, value string
	switch {
	case c == '{':
		got = "an object"
	case c == '[':
		got = "an array"
	case c == '"':
		got = "a string"
		b, err := d.s.readString()
		if err != nil {
			return err
		}
		value = string(b)
	case c == 't' || c == 'f' || c == 'n':
		lit, err := d.s.readLiteral()
		if err != nil {
			return err
		}
		got, value = lit, ""
		if lit != "null" {
			got = "a boolean"
			value = lit
		}
	default:
		got = "a number"
		b, err := d.s.readNumber()
		if err != nil {
			return err
		}
		value = string(b)
	}
	if c == '{' || c == '[' {
		if err := d.s.skipValue(len(d.path)); err != nil {
			return err
		}
	}
	msg := "want " + want(t) + ", got " + got
	if got == "null" {
		msg += " (leave the field out instead)"
	}
	d.problem(at, value, msg)
	return nil
}

// value decodes one JSON value into v.
func (d *decoder) value(v reflect.Value, intern bool) error {
	c, ok := d.s.peek()
	if !ok {
		return d.s.unexpectedEOF()
	}
	at := d.s.here()
	if len(d.path) > maxDepth {
		return d.s.errorf(at, "values nested more than %d deep", maxDepth)
	}
	t := v.Type()
	switch v.Kind() {
	case reflect.Pointer:
		if c == 'n' {
			return d.mismatch(at, t, c)
		}
		if t == datePtr && v.IsNil() {
			return d.datePtr(v)
		}
		if v.IsNil() {
			v.Set(reflect.New(t.Elem()))
		}
		return d.value(v.Elem(), intern)
	case reflect.String:
		if c != '"' {
			return d.mismatch(at, t, c)
		}
		b, err := d.s.readString()
		if err != nil {
			return err
		}
		v.SetString(d.str(b, intern))
	case reflect.Bool:
		if c != 't' && c != 'f' {
			return d.mismatch(at, t, c)
		}
		lit, err := d.s.readLiteral()
		if err != nil {
			return err
		}
		if lit == "null" {
			d.problem(at, "", "want true or false, got null (leave the field out instead)")
			return nil
		}
		v.SetBool(lit == "true")
	case reflect.Int, reflect.Int64, reflect.Int32:
		if c != '-' && (c < '0' || c > '9') {
			return d.mismatch(at, t, c)
		}
		b, err := d.s.readNumber()
		if err != nil {
			return err
		}
		n, err := strconv.ParseInt(string(b), 10, 64)
		if err != nil || v.OverflowInt(n) {
			if strings.ContainsAny(string(b), ".eE") && err != nil {
				d.problem(at, string(b), "want an integer")
			} else {
				d.problem(at, string(b), "integer out of range")
			}
			return nil
		}
		v.SetInt(n)
	case reflect.Float64, reflect.Float32:
		if c != '-' && (c < '0' || c > '9') {
			return d.mismatch(at, t, c)
		}
		b, err := d.s.readNumber()
		if err != nil {
			return err
		}
		f, err := strconv.ParseFloat(string(b), 64)
		if err != nil || math.IsInf(f, 0) {
			d.problem(at, string(b), "number out of range")
			return nil
		}
		v.SetFloat(f)
	case reflect.Slice:
		if c != '[' {
			return d.mismatch(at, t, c)
		}
		d.s.pos++
		return d.slice(v, intern)
	case reflect.Struct:
		if c != '{' {
			return d.mismatch(at, t, c)
		}
		return d.object(v, at)
	default:
		return d.s.errorf(at, "cannot decode into %s", t)
	}
	return nil
}

// slice decodes the elements of an array (past its '[') into v. They are
// decoded into a reusable scratch slice and then copied into one of the
// exact length: growing v itself would leave up to half of its capacity
// unused, for the life of the dataset. Lists that equal one already held are
// shared instead (see finishSlice). Shared arrays are never appended to:
// their capacity is their length.
func (d *decoder) slice(v reflect.Value, intern bool) error {
	t := v.Type()
	sc := d.takeScratch(t)
	err := d.s.eachElement(func(i int, _ position) error {
		n := sc.Len()
		if n == sc.Cap() {
			sc.Grow(1)
		}
		sc.SetLen(n + 1)
		el := sc.Index(n)
		el.SetZero()
		d.push(pathElem{idx: i})
		err := d.value(el, intern)
		d.fatal(err)
		d.pop()
		return err
	})
	// Even after a syntax error, v gets what was decoded, as before.
	d.finishSlice(v, sc, intern)
	d.putScratch(t, sc)
	return err
}

type scratchStack struct {
	t    reflect.Type
	free []reflect.Value
}

func (d *decoder) scratchFor(t reflect.Type) *scratchStack {
	for i := range d.scratch {
		if d.scratch[i].t == t {
			return &d.scratch[i]
		}
	}
	d.scratch = append(d.scratch, scratchStack{t: t})
	return &d.scratch[len(d.scratch)-1]
}

func (d *decoder) takeScratch(t reflect.Type) reflect.Value {
	st := d.scratchFor(t)
	if n := len(st.free); n > 0 {
		sc := st.free[n-1]
		st.free = st.free[:n-1]
		return sc
	}
	return reflect.New(t).Elem()
}

func (d *decoder) putScratch(t reflect.Type, sc reflect.Value) {
	sc.SetLen(0)
	st := d.scratchFor(t)
	st.free = append(st.free, sc)
}

// finishSlice stores the n decoded elements of sc in v: an empty array
// leaves v nil (as encoding/json's omitempty expects on the way back), an
// evidence list equal to one earlier in the record or a list of interned
// strings equal to one seen before shares that list, anything else gets an
// exact-size copy.
func (d *decoder) finishSlice(v, sc reflect.Value, intern bool) {
	n := sc.Len()
	if n == 0 {
		v.SetZero()
		return
	}
	// The two kinds of list decoded by the million are read and set through
	// typed pointers: Interface and ValueOf box a slice header on the heap
	// per call. Both values are addressable (record fields, scratch).
	switch v.Type() {
	case evidenceList:
		sc := *(*[]model.Evidence)(unsafe.Pointer(sc.UnsafeAddr()))
		dst := (*[]model.Evidence)(unsafe.Pointer(v.UnsafeAddr()))
		for _, prev := range d.recEvidence {
			if slices.EqualFunc(prev, sc, sameEvidence) {
				*dst = prev
				return
			}
		}
		evs := slices.Clone(sc)[:n:n]
		d.recEvidence = append(d.recEvidence, evs)
		*dst = evs
		return
	case stringList:
		if !intern {
			break
		}
		sc := *(*[]string)(unsafe.Pointer(sc.UnsafeAddr()))
		dst := (*[]string)(unsafe.Pointer(v.UnsafeAddr()))
		key := d.listKey[:0]
		for _, s := range sc {
			key = append(append(key, s...), 0)
		}
		d.listKey = key
		field := d.field()
		if l, ok := d.lists[field][string(key)]; ok {
			*dst = l
			return
		}
		l := slices.Clone(sc)[:n:n]
		if d.lists == nil {
			d.lists = map[string]map[string][]string{}
		}
		m := d.lists[field]
		if m == nil {
			m = map[string][]string{}
			d.lists[field] = m
		}
		if len(m) < maxLists {
			m[string(key)] = l
		}
		*dst = l
		return
	}
	out := reflect.MakeSlice(v.Type(), n, n)
	reflect.Copy(out, sc)
	v.Set(out)
}

// The types finishSlice and value treat apart; read-only.
var (
	evidenceList = reflect.TypeFor[[]model.Evidence]()
	stringList   = reflect.TypeFor[[]string]()
)

func sameEvidence(a, b model.Evidence) bool {
	return a.Source == b.Source && a.Quote == b.Quote && a.Translation == b.Translation && a.Note == b.Note &&
		slices.Equal(a.Supports, b.Supports) && slices.Equal(a.Cites, b.Cites)
}

var datePtr = reflect.TypeFor[*model.Date]() // read-only

// datePtr decodes a date into v, a nil *Date, pointing it at an equal date
// decoded before when there is one. The dataset is read-only once loaded, so
// records never write through the shared pointer.
func (d *decoder) datePtr(v reflect.Value) error {
	d.dateTmp = model.Date{}
	err := d.value(reflect.ValueOf(&d.dateTmp).Elem(), false)
	if p, ok := d.dates[d.dateTmp]; ok {
		v.Set(reflect.ValueOf(p))
		return err
	}
	p := new(model.Date)
	*p = d.dateTmp
	if d.dates == nil {
		d.dates = map[model.Date]*model.Date{}
	}
	if len(d.dates) < maxInterned {
		d.dates[*p] = p
	}
	v.Set(reflect.ValueOf(p))
	return err
}

// object decodes the members of an object (peek saw '{') into struct v,
// reporting unknown, repeated, missing and blank required members.
func (d *decoder) object(v reflect.Value, at position) error {
	si := d.info(v.Type())
	d.s.pos++
	var seen uint64
	next := 0
	err := d.s.eachMember(func(key []byte, kat position) error {
		// Files written by Encode (and most by hand) list members in the
		// struct's order: try the field after the last one before hashing.
		i, ok := next, next < len(si.fields) && si.fields[next].name == string(key)
		if !ok {
			i, ok = si.byName[string(key)]
		}
		next = i + 1
		if !ok {
			name := string(key)
			d.push(pathElem{key: name})
			d.problem(kat, "", "unknown field"+suggest(name, si))
			d.pop()
			return d.s.skipValue(len(d.path) + 1)
		}
		f := &si.fields[i]
		d.push(pathElem{key: f.name})
		defer d.pop()
		if seen&(1<<i) != 0 {
			d.problem(kat, "", "field given twice")
		}
		seen |= 1 << i
		fv := v.FieldByIndex(f.index)
		c, _ := d.s.peek() // past white space, so valueAt is where the value starts
		valueAt := d.s.here()
		if f.sameAs >= 0 && c == '"' && fv.Kind() == reflect.String {
			b, err := d.s.readString()
			if err != nil {
				return d.fatal(err)
			}
			if other := v.FieldByIndex(si.fields[f.sameAs].index).String(); other == string(b) {
				fv.SetString(other)
			} else {
				fv.SetString(d.alloc(b))
			}
		} else if err := d.value(fv, f.intern); err != nil {
			return d.fatal(err)
		}
		if f.required && fv.Kind() == reflect.String && strings.TrimSpace(fv.String()) == "" {
			d.problem(valueAt, "", "must not be empty")
		}
		return nil
	})
	if err != nil {
		return err
	}
	for i := range si.fields {
		if f := &si.fields[i]; f.required && seen&(1<<i) == 0 {
			d.push(pathElem{key: f.name})
			d.problem(at, "", "required field is missing")
			d.pop()
		}
	}
	return nil
}
