package search

import (
	"bytes"
	"cmp"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/dcx-explorer/dcx/model"
)

// Engine searches one Dataset. NewEngine computes, once, a folded search text
// and a few attributes per record; after that the engine is read-only and
// shared by every session (each with its own Searcher).
//
// Memory is what limits a million records, so per-record data is packed:
// texts live in a few large byte buffers (one per segment of 8192 records)
// with 32-bit offsets, links to companies and places in int32 pools, numbers
// as float32 (NaN when unknown) and the years a record mentions as a bit set.
//
// A record's text holds only its own fields. The names of the companies and
// places it links to are matched through its links instead (a term matches
// a record whose text contains it or that links to a company whose "name
// id", or a place whose name, contains it): at a million records the
// repeated names would be a quarter of all text, and every scan would read
// them.
type Engine struct {
	d     *model.Dataset
	recs  []model.Record
	ready chan struct{} // closed once the fields below are filled (build)

	segs []segment
	all  []int32 // 0..n-1, the result of the empty query, shared

	kind   []uint8 // kindOrder of each record
	status []uint8 // index into statuses, 0 for none
	// quality has bit q set when the record is, or cites, a source of
	// quality qualities[q].
	quality  []uint8
	statuses []string
	years    []uint64 // bit y-yearBase set when the record mentions year y
	nums     [numFields][]float32
	provider []int32  // company ordinal of a region/zone provider or facility operator, -1
	mask     []uint64 // byte classes present in each record's text (classOf)
	tlen     []uint8  // length of each record's title, capped at 255
	starts   []uint64 // wordStarts of each record's title
	// pairs says which of the data's commonest byte pairs (pairBit) each
	// record's text holds: a two-letter term among them ("in", "st") is
	// answered without reading any text, and a longer one skips the
	// records that lack one of its pairs.
	pairs   []pairSet
	pairBit *[1 << 16]int8 // bit in a pairSet of the pair a<<8|b, -1 when not kept

	companies []entity // company ordinal → record and match text
	places    []entity // place ordinal → record and match text
	// coRev and plRev are the segments' links the other way round: the
	// records linked to each company and place.
	coRev, plRev revLinks
}

// revLinks lists, per entity ordinal o, the records linked to it in record
// order: recs[start[o]:start[o+1]].
type revLinks struct {
	start []uint32
	recs  []int32
}

// reverse turns the segments' links that pool selects (to companies or to
// places, of which there are entities) into per-entity lists of records.
func reverse(segs []segment, entities int, pool func(*segment) ([]int32, []uint32)) revLinks {
	start := make([]uint32, entities+1)
	for s := range segs {
		links, _ := pool(&segs[s])
		for _, o := range links {
			start[o+1]++
		}
	}
	for o := 1; o <= entities; o++ {
		start[o] += start[o-1]
	}
	recs := make([]int32, start[entities])
	fill := slices.Clone(start[:entities])
	for s := range segs {
		links, off := pool(&segs[s])
		for j := 0; j+1 < len(off); j++ {
			for _, o := range links[off[j]:off[j+1]] {
				recs[fill[o]] = int32(s*segSize + j)
				fill[o]++
			}
		}
	}
	return revLinks{start: start, recs: recs}
}

// entity is a company or place that filters resolve against: its record
// index, folded name/aliases/id/code, and for companies its parent, for
// places its kind, country (cities) and countries (areas).
type entity struct {
	rec      int32
	text     string // "\n"-separated folded name, aliases, id (and code)
	link     string // folded text a record linked to the entity matches: "name id" of a company, a place's name
	code     string
	parent   int32 // company parent ordinal, or a city's country ordinal; -1
	kind     model.PlaceKind
	contains []int32 // an area's countries
}

// segment holds the search texts and links of up to segSize records.
type segment struct {
	text  []byte
	off   []uint32 // len = records+1
	co    []int32  // company ordinals each record is linked to
	coOff []uint32
	pl    []int32 // place ordinals each record is in (cities with their country)
	plOff []uint32
}

const (
	segBits  = 13
	segSize  = 1 << segBits
	yearBase = 1990 // years 1990..2053 fit the 64-bit year set
)

// NewEngine prepares the search text and attributes of every record. The
// dataset must be built (Build) and not modified afterwards.
func NewEngine(d *model.Dataset) *Engine {
	e := &Engine{d: d, recs: d.Records(), ready: make(chan struct{})}
	e.build()
	return e
}

// StartEngine is NewEngine with the preparation done in the background, so
// that an app can show a large dataset before it can search it: at a
// million records preparing takes about two seconds. Searches wait until it
// is done; Ready and Wait tell when that is.
func StartEngine(d *model.Dataset) *Engine {
	e := &Engine{d: d, recs: d.Records(), ready: make(chan struct{})}
	go e.build()
	return e
}

// Ready reports whether the engine can search without waiting.
func (e *Engine) Ready() bool {
	select {
	case <-e.ready:
		return true
	default:
		return false
	}
}

// Wait blocks until the engine can search.
func (e *Engine) Wait() { <-e.ready }

// build fills everything but d and recs, then closes ready: the only
// fields read before it is closed are those two.
func (e *Engine) build() {
	defer close(e.ready)
	n := len(e.recs)
	e.statuses = []string{""}
	e.kind = make([]uint8, n)
	e.status = make([]uint8, n)
	e.quality = make([]uint8, n)
	e.years = make([]uint64, n)
	e.provider = make([]int32, n)
	for f := range e.nums {
		e.nums[f] = make([]float32, n)
	}
	e.all = make([]int32, n)
	for i := range e.all {
		e.all[i] = int32(i)
	}
	e.mask = make([]uint64, n)
	e.tlen = make([]uint8, n)
	e.starts = make([]uint64, n)
	lk := e.index()
	e.segs = make([]segment, (n+segSize-1)/segSize)
	// One scratch buffer per worker, not per segment: growing a fresh one
	// for each of 123 segments of a million records cost a second of copying.
	scratch := sync.Pool{New: func() any { return new([]byte) }}
	parallel(len(e.segs), func(s int) {
		buf := scratch.Get().(*[]byte)
		e.buildSegment(s, lk, buf)
		scratch.Put(buf)
	})
	e.propagate(lk)
	e.buildPairs()
	e.coRev = reverse(e.segs, len(e.companies), func(s *segment) ([]int32, []uint32) { return s.co, s.coOff })
	e.plRev = reverse(e.segs, len(e.places), func(s *segment) ([]int32, []uint32) { return s.pl, s.plOff })
}

// classOf maps a byte to one of 64 classes for the per-record masks: a-z,
// 0-9 and space each have a class of their own, so a one-byte term among
// them is answered by the mask alone; other bytes share the rest.
var classOf = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		switch {
		case 'a' <= c && c <= 'z':
			t[c] = uint8(c - 'a')
		case '0' <= c && c <= '9':
			t[c] = uint8(26 + c - '0')
		case c == ' ':
			t[c] = 36
		default:
			t[c] = uint8(37 + c%27)
		}
	}
	return t
}()

// ownClass reports whether c is alone in its class.
func ownClass(c byte) bool { return classOf[c] <= 36 }

func textMask(text []byte) uint64 {
	var m uint64
	for _, c := range text {
		if c != fieldSep {
			m |= 1 << classOf[c]
		}
	}
	return m
}

// keptPairs is how many byte pairs an engine keeps a mask of: at a million
// synthetic records the 64 commonest are each in 35 % of the records or
// more, the 128 commonest in 12 % or more. A scan for a rarer pair reads
// the texts (about 15 ms at a million records) but marks few records.
const keptPairs = 128

// pairSet is a set of kept pairs, one bit each (see Engine.pairBit).
type pairSet [keptPairs / 64]uint64

// holds reports whether s has every pair of t.
func (s *pairSet) holds(t *pairSet) bool {
	return s[0]&t[0] == t[0] && s[1]&t[1] == t[1]
}

// buildPairs chooses the keptPairs byte pairs the most records hold, from a
// sample of the texts, and marks in pairs which of them each record's text
// holds. At a million records, where "in" is in 97 % of the texts and
// finding it read all 160 MB of them (25–40 ms a keystroke), the masks take
// 16 MB and one more pass over the texts at build time.
func (e *Engine) buildPairs() {
	n := len(e.recs)
	e.pairBit = choosePairs(e, n)
	e.pairs = make([]pairSet, n)
	parallel(len(e.segs), func(s int) {
		seg := &e.segs[s]
		lo := s * segSize
		for j := 0; j+1 < len(seg.off); j++ {
			e.pairs[lo+j] = pairMask(e.pairBit, seg.text[seg.off[j]:seg.off[j+1]])
		}
	})
}

// pairSample is about how many records choosePairs reads.
const pairSample = 1 << 16

// choosePairs counts, in about pairSample records spread over the dataset,
// how many hold each byte pair, and gives the commonest their bits. Pairs
// with white space or a field separator are left out: no term holds one.
func choosePairs(e *Engine, n int) *[1 << 16]int8 {
	var count [1 << 16]int32
	var seen [1 << 16]int32 // the sample's index + 1 of the last record counted
	step := max(1, n/pairSample)
	for k, i := 1, 0; i < n; k, i = k+1, i+step {
		text := e.text(i)
		for p := 0; p+1 < len(text); p++ {
			a, b := text[p], text[p+1]
			if isSpaceOrSep(a) || isSpaceOrSep(b) {
				continue
			}
			if pr := uint16(a)<<8 | uint16(b); seen[pr] != int32(k) {
				seen[pr] = int32(k)
				count[pr]++
			}
		}
	}
	order := make([]uint16, 0, 1024)
	for pr, c := range count {
		if c > 0 {
			order = append(order, uint16(pr))
		}
	}
	// Commonest first; ties by pair, so that the choice is deterministic.
	slices.SortFunc(order, func(x, y uint16) int {
		if c := cmp.Compare(count[y], count[x]); c != 0 {
			return c
		}
		return cmp.Compare(x, y)
	})
	bit := new([1 << 16]int8)
	for i := range bit {
		bit[i] = -1
	}
	for k, pr := range order[:min(keptPairs, len(order))] {
		bit[pr] = int8(k)
	}
	return bit
}

func isSpaceOrSep(c byte) bool {
	return c == fieldSep || c == ' ' || c == '\t' || c == '\n' || c == '\r'
}

// pairMask is the set of kept pairs (bit) that text holds.
func pairMask(bit *[1 << 16]int8, text []byte) pairSet {
	var m pairSet
	for p := 0; p+1 < len(text); p++ {
		if k := bit[uint16(text[p])<<8|uint16(text[p+1])]; k >= 0 {
			m[k>>6] |= 1 << uint(k&63)
		}
	}
	return m
}

// startPair maps the first two bytes of a word to three of the 64 bits of
// a word-start mask, a Bloom filter: with one bit per pair, common pairs
// such as "in" or "cl" hid rare ones like "st" (44 % of the titles matching
// "st" at a million records passed, one held it at a word's start); with
// three bits, 7 % pass.
func startPair(c0, c1 byte) uint64 {
	h := (uint32(c0)<<8 | uint32(c1)) * 0x9E3779B1
	return 1<<(h>>26) | 1<<(h>>20&63) | 1<<(h>>14&63)
}

// wordStarts is a mask of how the words of title begin, as a ranking counts
// them (see score: at the first byte and after every non-word byte): the
// startPair of each word's first two bytes. Ranking reads it to skip,
// without reading their titles, the many matches that cannot hold a term at
// the start of a word.
func wordStarts(title []byte) uint64 {
	var m uint64
	for p := 0; p+1 < len(title); p++ {
		if p == 0 || !isWordByte(title[p-1]) {
			m |= startPair(title[p], title[p+1])
		}
	}
	return m
}

// lookups are the id maps the per-record pass reads (concurrently, read-only).
type lookups struct {
	company map[string]int32
	place   map[string]int32
	status  map[string]uint8
	quality map[string]uint8 // source id → its quality bit
	convMu  sync.Mutex
	conv    map[convKey]float64
}

type convKey struct{ from, to, date string }

func (e *Engine) index() *lookups {
	lk := &lookups{company: map[string]int32{}, place: map[string]int32{}, status: map[string]uint8{}, quality: map[string]uint8{}, conv: map[convKey]float64{}}
	for i, r := range e.recs {
		switch r := r.(type) {
		case *model.Source:
			if b := qualityBit(r.Quality); b != 0 {
				lk.quality[r.ID] = b
			}
		case *model.Company:
			lk.company[r.ID] = int32(len(e.companies))
			e.companies = append(e.companies, entity{rec: int32(i), text: entityText(r.ID, r.Name, r.Aliases...), link: fold(r.Name + " " + r.ID), parent: -1})
		case *model.Place:
			lk.place[r.ID] = int32(len(e.places))
			e.places = append(e.places, entity{rec: int32(i), text: entityText(r.ID, r.Name, r.Aliases...), link: fold(r.RecordTitle()), code: fold(r.Code), kind: r.Kind, parent: -1})
		}
	}
	for o := range e.companies {
		c := e.recs[e.companies[o].rec].(*model.Company)
		if p, ok := lk.company[c.Parent]; ok && c.Parent != "" {
			e.companies[o].parent = p
		}
	}
	for o := range e.places {
		p := e.recs[e.places[o].rec].(*model.Place)
		if c, ok := lk.place[p.Country]; ok && p.Country != "" {
			e.places[o].parent = c
		}
		for _, id := range p.Contains {
			if c, ok := lk.place[id]; ok {
				e.places[o].contains = append(e.places[o].contains, c)
			}
		}
	}
	for _, s := range []string{string(model.FacilityAnnounced), string(model.FacilityPlanned), string(model.FacilityPermitting), string(model.FacilityConstruction),
		string(model.FacilityPartlyOperational), string(model.FacilityOperational), string(model.FacilityPaused), string(model.FacilityCancelled),
		string(model.RegionActive), string(model.RegionPlanned), string(model.RegionRestricted), string(model.RegionDecommissioned)} {
		if _, ok := lk.status[s]; !ok {
			lk.status[s] = uint8(len(e.statuses))
			e.statuses = append(e.statuses, s)
		}
	}
	// Statuses outside the known lists still get a code, up to 255 of them.
	for _, r := range e.recs {
		var s string
		switch r := r.(type) {
		case *model.Facility:
			s = string(r.Status)
		case *model.Region:
			s = string(r.Status)
		}
		if _, ok := lk.status[s]; !ok && s != "" && len(e.statuses) < 256 {
			lk.status[s] = uint8(len(e.statuses))
			e.statuses = append(e.statuses, fold(s))
		}
	}
	return lk
}

func entityText(id, name string, aliases ...string) string {
	b := appendFold(nil, name)
	for _, a := range aliases {
		b = append(b, fieldSep)
		b = appendFold(b, a)
	}
	b = append(b, fieldSep)
	b = appendFold(b, id)
	return string(b)
}

// buildSegment folds the texts of segment s into an exact-size buffer (the
// scratch buffer is reused, so building a million records never holds two
// copies of all texts) and fills the per-record attributes.
func (e *Engine) buildSegment(s int, lk *lookups, scratch *[]byte) {
	lo := s * segSize
	hi := min(lo+segSize, len(e.recs))
	seg := &e.segs[s]
	seg.off = make([]uint32, 0, hi-lo+1)
	seg.coOff = make([]uint32, 0, hi-lo+1)
	seg.plOff = make([]uint32, 0, hi-lo+1)
	buf := (*scratch)[:0]
	for i := lo; i < hi; i++ {
		seg.off = append(seg.off, uint32(len(buf)))
		seg.coOff = append(seg.coOff, uint32(len(seg.co)))
		seg.plOff = append(seg.plOff, uint32(len(seg.pl)))
		start := len(buf)
		buf = e.record(i, buf, seg, lk)
		text := buf[start:]
		e.mask[i] = textMask(text)
		t := bytes.IndexByte(text, fieldSep)
		if t < 0 {
			t = len(text)
		}
		e.tlen[i] = uint8(min(t, 255))
		e.starts[i] = wordStarts(text[:t])
	}
	seg.off = append(seg.off, uint32(len(buf)))
	seg.coOff = append(seg.coOff, uint32(len(seg.co)))
	seg.plOff = append(seg.plOff, uint32(len(seg.pl)))
	seg.text = append([]byte(nil), buf...)
	seg.co = append([]int32(nil), seg.co...)
	seg.pl = append([]int32(nil), seg.pl...)
	*scratch = buf
}

// text returns record i's folded search text: fields ending in fieldSep, the
// record's title first.
func (e *Engine) text(i int) []byte {
	s := &e.segs[i>>segBits]
	j := i & (segSize - 1)
	return s.text[s.off[j]:s.off[j+1]]
}

// SearchText is everything free-text terms are matched against for record
// i, folded, fields separated by newlines: the record's own text, then the
// names of the companies and places it links to (for tests, benchmarks and
// debugging; the engine keeps the names once, see Engine).
func (e *Engine) SearchText(i int) string {
	e.Wait()
	b := slices.Clone(e.text(i))
	for _, o := range e.companyLinks(i) {
		b = append(append(b, e.companies[o].link...), fieldSep)
	}
	for _, o := range e.placeLinks(i) {
		b = append(append(b, e.places[o].link...), fieldSep)
	}
	return string(b)
}

func (e *Engine) companyLinks(i int) []int32 {
	s := &e.segs[i>>segBits]
	j := i & (segSize - 1)
	return s.co[s.coOff[j]:s.coOff[j+1]]
}

func (e *Engine) placeLinks(i int) []int32 {
	s := &e.segs[i>>segBits]
	j := i & (segSize - 1)
	return s.pl[s.plOff[j]:s.plOff[j+1]]
}

// record appends record i's text to buf and its links to seg, and sets its
// attributes.
func (e *Engine) record(i int, buf []byte, seg *segment, lk *lookups) []byte {
	r := e.recs[i]
	// A field whose folded text the record already has is dropped: it
	// cannot change what matches (terms and phrases are looked for in the
	// whole text, a phrase never spans fields, ranking reads only the title,
	// which comes first). Records repeat themselves a lot (an announcement's
	// headline is its evidence's quote, a country's code is its id, nested
	// evidence repeats the record's own): at a million records this keeps
	// tens of megabytes out of the texts.
	recStart := len(buf)
	add := func(ss ...string) {
		for _, s := range ss {
			if s == "" {
				continue
			}
			start := len(buf)
			buf = appendFold(buf, s)
			buf = append(buf, fieldSep)
			if start > recStart && hasField(buf[recStart:start], buf[start:]) {
				buf = buf[:start]
			}
		}
	}
	coStart, plStart := len(seg.co), len(seg.pl)
	company := func(ids ...string) {
		for _, id := range ids {
			o, ok := lk.company[id]
			if !ok || slices.Contains(seg.co[coStart:], o) {
				continue
			}
			seg.co = append(seg.co, o)
		}
	}
	var placeOne func(o int32)
	placeOne = func(o int32) {
		if slices.Contains(seg.pl[plStart:], o) {
			return
		}
		seg.pl = append(seg.pl, o)
		if c := e.places[o].parent; c >= 0 && (e.places[o].kind == model.PlaceCity || e.places[o].kind == model.PlaceAdminArea) {
			placeOne(c)
		}
	}
	place := func(ids ...string) {
		for _, id := range ids {
			if o, ok := lk.place[id]; ok {
				placeOne(o)
			}
		}
	}
	nan := float32(math.NaN())
	for f := range e.nums {
		e.nums[f][i] = nan
	}
	e.provider[i] = -1
	e.kind[i] = uint8(r.RecordKind().Order())
	year := func(d model.Date) {
		if y := dateYear(d.Value); y >= yearBase && y < yearBase+64 {
			e.years[i] |= 1 << uint(y-yearBase)
		}
	}
	setStatus := func(s string) { e.status[i] = lk.status[s] }
	add(r.RecordTitle(), r.RecordID())

	switch r := r.(type) {
	case *model.Source:
		add(r.Publisher, r.URL, r.File, r.Language, string(r.Kind))
		if r.Published != nil {
			year(*r.Published)
		}
	case *model.Company:
		add(r.Aliases...)
		add(string(r.Kind))
		seg.co = append(seg.co, lk.company[r.ID])
		e.provider[i] = lk.company[r.ID]
		for _, p := range r.People {
			add(p.Name + " " + p.Role)
		}
		var latest *model.Footprint
		for k := range r.Footprints {
			fp := &r.Footprints[k]
			year(fp.AsOf)
			if latest == nil || fp.AsOf.Sortable() > latest.AsOf.Sortable() {
				latest = fp
			}
		}
		if latest != nil {
			e.nums[fieldZones-fieldMW][i] = float32(latest.Zones)
			e.nums[fieldRegions-fieldMW][i] = float32(latest.Regions)
		}
	case *model.Place:
		add(r.Aliases...)
		add(r.Code, string(r.Kind))
		place(r.ID)
		if r.Kind == model.PlaceCity {
			place(r.Country)
		}
	case *model.Region:
		e.provider[i] = lk.company[r.Provider]
		if _, ok := lk.company[r.Provider]; !ok {
			e.provider[i] = -1
		}
		add(string(r.Status))
		setStatus(string(r.Status))
		year(r.AsOf)
		z := len(r.ZoneIDs)
		if r.Zones != nil {
			z = *r.Zones
		}
		if r.Zones != nil || len(r.ZoneIDs) > 0 {
			e.nums[fieldZones-fieldMW][i] = float32(z)
		}
	case *model.Zone:
		if reg, ok := e.d.Get(r.Region); ok {
			reg := reg.(*model.Region)
			add(reg.RecordTitle())
			company(reg.Provider)
			if o, ok := lk.company[reg.Provider]; ok {
				e.provider[i] = o
			}
			place(reg.City, reg.Country)
			setStatus(string(reg.Status))
			year(reg.AsOf)
		}
	case *model.Facility:
		add(r.Aliases...)
		if o, ok := lk.company[r.Operator]; ok && r.Operator != "" {
			e.provider[i] = o
		}
		add(r.GPUModel, string(r.Status))
		setStatus(string(r.Status))
		if mw, ok := facilityMW(r); ok {
			e.nums[fieldMW-fieldMW][i] = float32(mw)
		}
		if r.GPUs != nil {
			e.nums[fieldGPUs-fieldMW][i] = float32(*r.GPUs)
		}
		var when model.Date
		for _, m := range r.Milestones {
			year(m.Date)
			if when.IsZero() || m.Kind == model.MilestoneAnnounced {
				when = m.Date
			}
		}
		for _, p := range r.Phases {
			if p.Target != nil {
				year(*p.Target)
			}
		}
		if r.Capex != nil {
			e.money(i, *r.Capex, when, lk)
		}
	case *model.Investment:
		add(r.Scope, r.Period)
		year(r.Announced)
		if r.Amount != nil {
			e.money(i, *r.Amount, r.Announced, lk)
		}
	case *model.Announcement:
		add(r.Summary, string(r.Kind))
		year(r.Date)
	}
	// A record matches the companies and places it references (model.EachRef
	// says which fields those are). A place links itself and its parents
	// above (an area does not match its countries' names), a zone its
	// region's provider and places.
	if k := r.RecordKind(); k != model.KindPlace && k != model.KindZone {
		model.EachRef(r, func(ref model.Ref) {
			switch ref.To.Kind {
			case model.KindCompany:
				company(ref.ID)
			case model.KindPlace:
				place(ref.ID)
			}
		})
	}
	b := r.RecordBase()
	add(b.Notes)
	for _, c := range b.Conflicts {
		add(c.Summary)
	}
	// Nested evidence often repeats the record's own (a milestone backed by
	// the same sentence); add indexes each distinct text once. Evidence lists
	// shared by the loader are visited once.
	var seen []*model.Evidence
	var quality uint8
	if s, ok := r.(*model.Source); ok {
		quality = qualityBit(s.Quality)
	}
	model.EachEvidence(r, func(ev *model.Evidence) {
		if !slices.Contains(seen, ev) {
			seen = append(seen, ev)
			add(ev.Quote, ev.Translation)
			quality |= lk.quality[ev.Source]
			for _, id := range ev.Cites {
				quality |= lk.quality[id]
			}
		}
	})
	e.quality[i] = quality
	return buf
}

// hasField reports whether text, a run of fields each ending in fieldSep,
// holds field (which ends in fieldSep too).
func hasField(text, field []byte) bool {
	for len(text) >= len(field) {
		if bytes.HasPrefix(text, field) {
			return true
		}
		n := bytes.IndexByte(text, fieldSep)
		if n < 0 {
			return false
		}
		text = text[n+1:]
	}
	return false
}

// dateYear reads the year of a date value without parsing the rest: the
// engine asks it for millions of dates.
func dateYear(v string) int {
	if len(v) < 4 {
		return 0
	}
	y := 0
	for _, c := range []byte(v[:4]) {
		if c < '0' || c > '9' {
			return 0
		}
		y = y*10 + int(c-'0')
	}
	return y
}

func facilityMW(f *model.Facility) (float64, bool) {
	if f.PowerMW != nil {
		return *f.PowerMW, true
	}
	if len(f.Phases) == 0 {
		return 0, false
	}
	var sum float64
	for _, p := range f.Phases {
		sum += p.PowerMW
	}
	return sum, true
}

// money stores m converted to USD, EUR and CNY at the rate closest to when.
// Conversion factors are cached by currency and date: a million records use
// a few thousand distinct dates.
func (e *Engine) money(i int, m model.Money, when model.Date, lk *lookups) {
	for f, cur := range map[field]string{fieldUSD: "USD", fieldEUR: "EUR", fieldCNY: "CNY"} {
		k := convKey{m.Currency, cur, when.Value}
		lk.convMu.Lock()
		factor, ok := lk.conv[k]
		lk.convMu.Unlock()
		if !ok {
			c, err := e.d.Convert(model.Money{Amount: 1, Currency: m.Currency}, cur, when)
			factor = math.NaN()
			if err == nil {
				factor = c.To.Amount
			}
			lk.convMu.Lock()
			lk.conv[k] = factor
			lk.convMu.Unlock()
		}
		e.nums[f-fieldMW][i] = float32(m.Amount * factor)
	}
}

// propagate gives an announcement the largest power, GPU count and amount of
// the records it concerns, so "mw>=100 kind:announcement" lists the news of
// big sites.
func (e *Engine) propagate(lk *lookups) {
	idx := make(map[model.Record]int32, len(e.recs))
	for i, r := range e.recs {
		switch r.(type) {
		case *model.Facility, *model.Investment:
			idx[r] = int32(i)
		}
	}
	for i, r := range e.recs {
		a, ok := r.(*model.Announcement)
		if !ok {
			continue
		}
		for _, id := range a.Records {
			t, ok := e.d.Get(id)
			if !ok {
				continue
			}
			j, ok := idx[t]
			if !ok {
				continue
			}
			for f := range e.nums {
				v := e.nums[f][j]
				if !math.IsNaN(float64(v)) && (math.IsNaN(float64(e.nums[f][i])) || v > e.nums[f][i]) {
					e.nums[f][i] = v
				}
			}
		}
	}
}

// parallel runs fn(0..tasks-1) on up to GOMAXPROCS goroutines. One task runs
// inline: most keystrokes on small data need no goroutine at all.
func parallel(tasks int, fn func(task int)) {
	workers := min(runtime.GOMAXPROCS(0), tasks)
	if workers <= 1 {
		for t := 0; t < tasks; t++ {
			fn(t)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	wg.Add(workers)
	for w := 0; w < workers; w++ {
		go func() {
			defer wg.Done()
			for {
				t := int(next.Add(1) - 1)
				if t >= tasks {
					return
				}
				fn(t)
			}
		}()
	}
	wg.Wait()
}

// Dataset is the dataset the engine searches.
func (e *Engine) Dataset() *model.Dataset { return e.d }

// Len is the number of records the engine searches.
func (e *Engine) Len() int { return len(e.recs) }

// qualities are the grades in the order of the engine's quality bits.
var qualities = [...]model.SourceQuality{model.QualityPrimary, model.QualitySecondary, model.QualityThirdParty}

func qualityBit(q model.SourceQuality) uint8 {
	for i, v := range qualities {
		if q == v {
			return 1 << uint(i)
		}
	}
	return 0
}
