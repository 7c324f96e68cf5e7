package data

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"github.com/dcx-explorer/dcx/model"
)

// fieldInfo describes one JSON member of a model struct.
type fieldInfo struct {
	name  string
	index []int
	// required fields are the ones without omitempty in their json tag: a
	// file must give them, and a required string must not be blank.
	required bool
	// intern marks fields whose values repeat across records (ids of other
	// records, enumerations, currencies): one copy of each string is kept,
	// which matters at a million records.
	intern bool
	// sameAs is the index of an earlier field whose string this one often
	// repeats (an English source's translation is its quote): when equal,
	// the two share one copy. -1 for none.
	sameAs int
}

type structInfo struct {
	fields []fieldInfo
	byName map[string]int
}

// structInfos caches the reflection over model types; it only ever holds
// facts derived from the types, so sharing it between loads is safe.
var structInfos sync.Map // reflect.Type → *structInfo

// internedFields are the json names whose string values are ids of other
// records or short codes.
var internedFields = map[string]bool{
	"source": true, "cites": true, "supports": true, "country": true, "city": true,
	"parent": true, "contains": true, "provider": true, "operator": true, "owners": true,
	"partners": true, "customers": true, "investment": true, "investor": true,
	"places": true, "companies": true, "records": true, "currency": true, "base": true,
	"language": true, "qualifier": true, "precision": true,
	"publisher": true, "gpu_model": true, "role": true, "field": true, "value": true,
	"period": true, "file": true, "scope": true,
}

func infoFor(t reflect.Type) *structInfo {
	if si, ok := structInfos.Load(t); ok {
		return si.(*structInfo)
	}
	si := &structInfo{byName: map[string]int{}}
	var walk func(t reflect.Type, index []int)
	walk = func(t reflect.Type, index []int) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			idx := append(append([]int(nil), index...), i)
			tag := f.Tag.Get("json")
			if f.Anonymous && tag == "" && f.Type.Kind() == reflect.Struct {
				walk(f.Type, idx)
				continue
			}
			if !f.IsExported() || tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			if name == "" {
				name = f.Name
			}
			elem := f.Type
			for elem.Kind() == reflect.Pointer || elem.Kind() == reflect.Slice {
				elem = elem.Elem()
			}
			si.byName[name] = len(si.fields)
			si.fields = append(si.fields, fieldInfo{
				name:     name,
				index:    idx,
				required: !strings.Contains(opts, "omitempty"),
				intern:   elem.Kind() == reflect.String && (internedFields[name] || elem != reflect.TypeFor[string]()),
				sameAs:   -1,
			})
		}
	}
	walk(t, nil)
	if t == reflect.TypeFor[model.Evidence]() {
		si.fields[si.byName["translation"]].sameAs = si.byName["quote"]
	}
	if len(si.fields) > 64 {
		// The decoder tracks seen members in a uint64; model structs are far
		// smaller, and a test walks every type to keep it so.
		si.fields = si.fields[:64]
	}
	actual, _ := structInfos.LoadOrStore(t, si)
	return actual.(*structInfo)
}

// info is infoFor through a small per-decoder list: a dozen model types,
// where the shared sync.Map cost a lookup per object decoded.
func (d *decoder) info(t reflect.Type) *structInfo {
	for i := range d.infos {
		if d.infos[i].t == t {
			return d.infos[i].si
		}
	}
	si := infoFor(t)
	d.infos = append(d.infos, typeInfo{t, si})
	return si
}

type typeInfo struct {
	t  reflect.Type
	si *structInfo
}

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

const maxInterned = 1 << 16

const (
	// maxLocal bounds the strings looked up in the record's own table:
	// longer ones are rarely repeated and costly to hash.
	maxLocal = 1 << 10
	// maxLocalStrings bounds the record's own strings compared (see local).
	maxLocalStrings = 64
	// maxLists bounds each field's table of interned lists: fields whose
	// lists rarely repeat (an announcement's records) stop costing memory
	// once it is full.
	maxLists = 1 << 12
)

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

func (d *decoder) str(b []byte, intern bool) string {
	if !intern || len(b) > 64 {
		if len(b) > maxLocal {
			return d.alloc(b)
		}
		for _, s := range d.local {
			if len(s) == len(b) && s == string(b) {
				return s
			}
		}
		s := d.alloc(b)
		if len(d.local) < maxLocalStrings {
			d.local = append(d.local, s)
		}
		return s
	}
	// A table per field: fields whose values are all different (an
	// announcement's records, a facility's investment) fill only their own
	// table, and the strings that do repeat (kinds, dates, currencies,
	// periods) are still interned after hundreds of thousands of records.
	//
	// In front of the tables, a small direct-mapped cache answers the values
	// that repeat most (kinds, currencies, dates, common references) with
	// one hash and one comparison instead of two map lookups.
	//
	// One hash serves the cache and the table.
	h := maphash.Bytes(cacheSeed, b)
	slot := &d.cache[h&(internCache-1)]
	if *slot == string(b) {
		return *slot
	}
	field := d.field()
	tab := d.intern[field]
	if s, ok := tab.lookup(h, b); ok {
		*slot = s
		return s
	}
	s := d.alloc(b)
	if tab == nil {
		tab = &internTable{}
		d.intern[field] = tab
	}
	if tab.n < maxInterned {
		tab.insert(h, s)
	}
	*slot = s
	return s
}

// internTable is a set of strings keyed by their maphash (cacheSeed), with
// linear probing: str has hashed the bytes already, and a Go map would hash
// them again and compare keys without looking at a stored hash first.
type internTable struct {
	slots []internSlot // a power of two; an empty string marks a free slot
	n     int
}

type internSlot struct {
	hash uint64
	s    string
}

func (t *internTable) lookup(h uint64, b []byte) (string, bool) {
	if t == nil || len(t.slots) == 0 {
		return "", false
	}
	mask := uint64(len(t.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		sl := &t.slots[i]
		if sl.s == "" {
			return "", false
		}
		if sl.hash == h && sl.s == string(b) {
			return sl.s, true
		}
	}
}

// insert adds s, which must not be empty nor already in t.
func (t *internTable) insert(h uint64, s string) {
	if (t.n+1)*4 > len(t.slots)*3 {
		old := t.slots
		t.slots = make([]internSlot, max(64, 2*len(old)))
		t.n = 0
		for _, sl := range old {
			if sl.s != "" {
				t.insert(sl.hash, sl.s)
			}
		}
	}
	mask := uint64(len(t.slots) - 1)
	i := h & mask
	for t.slots[i].s != "" {
		i = (i + 1) & mask
	}
	t.slots[i] = internSlot{h, s}
	t.n++
}

// internCache is the number of slots of a decoder's cache of interned
// strings (a power of two).
const internCache = 1 << 12

// cacheSeed only spreads strings over the cache's slots; it is never
// written after initialization.
var cacheSeed = maphash.MakeSeed()

// field is the json name of the member being decoded, array indices
// skipped.
func (d *decoder) field() string {
	for i := len(d.path) - 1; i >= 0; i-- {
		if d.path[i].key != "" {
			return d.path[i].key
		}
	}
	return ""
}

const arenaChunk = 64 << 10

// alloc copies b into a string. Small strings are carved out of shared
// chunks: at a million records, one allocation per string is most of the
// decoding time and a good part of the garbage collector's work. A chunk's
// bytes are never written again once a string covers them, and the strings
// keep their chunk alive, so this is as safe as string(b).
func (d *decoder) alloc(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > arenaChunk/8 {
		return string(b)
	}
	if cap(d.arena)-len(d.arena) < len(b) {
		d.arena = make([]byte, 0, arenaChunk)
	}
	start := len(d.arena)
	d.arena = append(d.arena, b...)
	return unsafe.String(&d.arena[start], len(b))
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

var (
	evidenceList = reflect.TypeFor[[]model.Evidence]()
	stringList   = reflect.TypeFor[[]string]()
)

func sameEvidence(a, b model.Evidence) bool {
	return a.Source == b.Source && a.Quote == b.Quote && a.Translation == b.Translation && a.Note == b.Note &&
		slices.Equal(a.Supports, b.Supports) && slices.Equal(a.Cites, b.Cites)
}

var datePtr = reflect.TypeFor[*model.Date]()

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

// suggest proposes the field a misspelt key was probably meant to be.
func suggest(key string, si *structInfo) string {
	best, bestD := "", 3
	for _, f := range si.fields {
		if strings.EqualFold(f.name, key) {
			return fmt.Sprintf(" (did you mean %q? names are case-sensitive)", f.name)
		}
		if d := editDistance(strings.ToLower(key), f.name); d < bestD {
			best, bestD = f.name, d
		}
	}
	if best != "" {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	return ""
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// section is one top-level array of a dataset file.
type section struct {
	key  string
	kind model.Kind
	// slice returns the dataset's slice for this section, settable.
	slice func(ds *model.Dataset) reflect.Value
}

var sections = []section{
	{"sources", model.KindSource, func(ds *model.Dataset) reflect.Value { return reflect.ValueOf(&ds.Sources).Elem() }},
	{"companies", model.KindCompany, func(ds *model.Dataset) reflect.Value { return reflect.ValueOf(&ds.Companies).Elem() }},
	{"places", model.KindPlace, func(ds *model.Dataset) reflect.Value { return reflect.ValueOf(&ds.Places).Elem() }},
	{"regions", model.KindRegion, func(ds *model.Dataset) reflect.Value { return reflect.ValueOf(&ds.Regions).Elem() }},
	{"facilities", model.KindFacility, func(ds *model.Dataset) reflect.Value { return reflect.ValueOf(&ds.Facilities).Elem() }},
	{"investments", model.KindInvestment, func(ds *model.Dataset) reflect.Value { return reflect.ValueOf(&ds.Investments).Elem() }},
	{"announcements", model.KindAnnouncement, func(ds *model.Dataset) reflect.Value { return reflect.ValueOf(&ds.Announcements).Elem() }},
	{"rates", "rate", func(ds *model.Dataset) reflect.Value { return reflect.ValueOf(&ds.Rates).Elem() }},
}

// badStart is the message for a file whose first byte, c, cannot start
// the dataset object. Byte order marks are named: editors on Windows write
// them, and "found byte 0xef" would not say what to change.
func (d *decoder) badStart(c byte) string {
	rest := d.s.buf[d.s.pos:d.s.end]
	switch {
	case bytes.HasPrefix(rest, []byte{0xEF, 0xBB, 0xBF}):
		return "the file starts with a UTF-8 byte order mark (BOM, bytes EF BB BF); save it as UTF-8 without a BOM"
	case bytes.HasPrefix(rest, []byte{0xFE, 0xFF}), bytes.HasPrefix(rest, []byte{0xFF, 0xFE}):
		return "the file starts with a UTF-16 byte order mark; dcx reads UTF-8: save it as UTF-8"
	}
	return "want a JSON object with " + topKeys() + ", found " + describeByte(c)
}

// FormatVersion is the dataset file format this package reads and writes.
const FormatVersion = 1

// topKeys lists the keys a dataset file may hold, for messages.
func topKeys() string {
	keys := []string{`"$schema"`, `"version"`}
	for _, s := range sections {
		keys = append(keys, `"`+s.key+`"`)
	}
	return strings.Join(keys, ", ")
}

// recLoc is where a record starts: the file, its index in its section of
// that file, and its position. Kept for every record so that problems found
// after decoding can still name a line.
type recLoc struct {
	off         int64
	line, col   int32
	file, index int32
}

func (l recLoc) position() position { return position{off: l.off, line: int(l.line), col: int(l.col)} }

// decodeFile decodes one dataset file into ds, appending each record's
// location to locs (one slice per section). It returns false when a syntax
// error stopped it before the end of the file.
func (d *decoder) decodeFile(ds *model.Dataset, locs *[8][]recLoc, fileIdx int) bool {
	fail := func(err error) bool {
		if se, ok := err.(*syntaxError); ok {
			d.probs = append(d.probs, Problem{File: d.file, Line: se.pos.line, Col: se.pos.col, Path: d.errPath, Msg: se.msg})
		} else {
			d.probs = append(d.probs, Problem{File: d.file, Line: 1, Col: 1, Msg: err.Error()})
		}
		return false
	}
	c, ok := d.s.peek()
	if !ok {
		if d.s.rerr != nil {
			return fail(d.s.errorf(d.s.here(), ""))
		}
		return fail(&syntaxError{pos: d.s.here(), msg: "empty file; want a JSON object with " + topKeys()})
	}
	if c != '{' {
		return fail(&syntaxError{pos: d.s.here(), msg: d.badStart(c)})
	}
	d.s.pos++
	var seen [10]bool
	err := d.s.eachMember(func(key []byte, kat position) error {
		name := string(key)
		d.path = append(d.path[:0], pathElem{key: name})
		defer func() { d.path = d.path[:0] }()
		si := -1
		switch name {
		case "$schema":
			si = 8
		case "version":
			si = 9
		default:
			for i, s := range sections {
				if s.key == name {
					si = i
				}
			}
		}
		if si < 0 {
			d.problem(kat, "", "unknown top-level key; want "+topKeys())
			return d.s.skipValue(1)
		}
		if seen[si] {
			d.problem(kat, "", "key given twice in this file")
		}
		seen[si] = true
		c, ok := d.s.peek()
		if !ok {
			return d.s.unexpectedEOF()
		}
		at := d.s.here()
		switch si {
		case 8:
			// The value is not kept: it is checked and skipped, whatever
			// its length.
			if c != '"' {
				return d.mismatch(at, reflect.TypeFor[string](), c)
			}
			return d.s.skipString()
		case 9:
			var version int
			n := len(d.probs)
			if err := d.value(reflect.ValueOf(&version).Elem(), false); err != nil {
				return err
			}
			if len(d.probs) == n && version != FormatVersion {
				d.problem(at, strconv.Itoa(version), fmt.Sprintf("unsupported format version; this dcx reads version %d", FormatVersion))
			}
			return nil
		}
		if c != '[' {
			return d.mismatch(at, reflect.TypeFor[[]int](), c)
		}
		d.s.pos++
		sv := sections[si].slice(ds)
		// shift turns eachElement's index into the record's index when a
		// split decoder has skipped records (see decodeParallel).
		shift := 0
		return d.s.eachElement(func(i int, eat position) error {
			if p := d.split; p != nil {
				if r := &p.skips[si]; r.active && i+shift == r.at {
					r.active = false
					if eat.off != r.startOff {
						return errSplit
					}
					if err := d.s.seekTo(p.rs, r.to); err != nil {
						return err
					}
					shift = r.until - i - 1
					return nil
				}
				i += shift
			}
			d.push(pathElem{idx: i})
			defer d.pop()
			c, _ := d.s.peek()
			if c != '{' {
				return d.mismatch(eat, sv.Type().Elem(), c)
			}
			loc := recLoc{off: eat.off, line: int32(eat.line), col: int32(eat.col), file: int32(fileIdx), index: int32(i)}
			var el reflect.Value
			if d.split != nil {
				// The slices were given their final length up front, and
				// each decoder fills its own records, still zero: their
				// slice was just made, and each is decoded once.
				if i >= sv.Len() {
					return errSplit
				}
				d.split.decoded++
				el = sv.Index(i)
				locs[si][i] = loc
			} else {
				n := sv.Len()
				if n == sv.Cap() {
					sv.Grow(1)
				}
				sv.SetLen(n + 1)
				el = sv.Index(n)
				el.SetZero()
				locs[si] = append(locs[si], loc)
			}
			d.startRecord()
			return d.fatal(d.object(el, eat))
		})
	})
	if err != nil {
		return fail(err)
	}
	if c, ok := d.s.peek(); ok {
		return fail(&syntaxError{pos: d.s.here(), msg: "unexpected " + describeByte(c) + " after the end of the dataset object"})
	}
	if d.s.rerr != nil {
		return fail(d.s.errorf(d.s.here(), ""))
	}
	return true
}
