package search

import (
	"slices"
	"sync"

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
	d    *model.Dataset
	recs []model.Record
	// denseMin is the number of records from which a scan may map a term's
	// pairs (see scanHits), from the engine's options.
	denseMin int
	ready    chan struct{} // closed once the fields below are filled (build)
	starting sync.Once     // runs build, once (NewEngine, Start)

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

// engineOptions are an engine's settings that tests change, so that small
// test data runs the paths large data takes; NewEngine and StartEngine use
// defaultEngineOptions.
type engineOptions struct {
	// denseMin: below this many records a scan always finds a term's hits
	// one by one (see scanHits).
	denseMin int
}

func defaultEngineOptions() engineOptions {
	return engineOptions{denseMin: 1 << 16}
}

// NewEngine prepares the search text and attributes of every record. The
// dataset must be built (Build) and not modified afterwards.
func NewEngine(d *model.Dataset) *Engine {
	return newEngine(d, defaultEngineOptions())
}

// newEngine is NewEngine with options other than the defaults.
func newEngine(d *model.Dataset, opts engineOptions) *Engine {
	e := unbuiltEngine(d, opts)
	e.starting.Do(e.build)
	return e
}

// StartEngine is NewEngine with the preparation done in the background, so
// that an app can show a large dataset before it can search it: at a
// million records preparing takes about two seconds. Searches wait until it
// is done; Ready, Wait and Prepared tell when that is.
func StartEngine(d *model.Dataset) *Engine {
	e := DeferEngine(d)
	e.Start()
	return e
}

// DeferEngine is StartEngine with the background preparation begun later,
// by Start or by the first search (Wait): the app starts it once its first
// frame is on the screen, which the preparation would otherwise compete
// with for the processor (on two cores, the embedded dataset's 30 ms of
// indexing delayed the first frame by about 10 ms).
func DeferEngine(d *model.Dataset) *Engine {
	return unbuiltEngine(d, defaultEngineOptions())
}

// unbuiltEngine is an engine with the fields build does not fill.
func unbuiltEngine(d *model.Dataset, opts engineOptions) *Engine {
	return &Engine{d: d, recs: d.Records(), ready: make(chan struct{}), denseMin: opts.denseMin}
}

// Start begins preparing the engine in the background, unless that has
// begun already (or the engine came from NewEngine).
func (e *Engine) Start() {
	e.starting.Do(func() { go e.build() })
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

// Wait blocks until the engine can search, starting its preparation if
// nothing has yet.
func (e *Engine) Wait() {
	e.Start()
	<-e.ready
}

// Prepared is closed once the engine can search. Unlike Wait, waiting on it
// does not start the preparation.
func (e *Engine) Prepared() <-chan struct{} { return e.ready }

// build fills everything but d, recs and denseMin, then closes ready: the
// only fields read before it is closed are d and recs.
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

// companyLinks are the ordinals of the companies record i links to.
func (e *Engine) companyLinks(i int) []int32 {
	s := &e.segs[i>>segBits]
	j := i & (segSize - 1)
	return s.co[s.coOff[j]:s.coOff[j+1]]
}

// placeLinks are the ordinals of the places record i is in.
func (e *Engine) placeLinks(i int) []int32 {
	s := &e.segs[i>>segBits]
	j := i & (segSize - 1)
	return s.pl[s.plOff[j]:s.plOff[j+1]]
}

// Dataset is the dataset the engine searches.
func (e *Engine) Dataset() *model.Dataset { return e.d }

// Len is the number of records the engine searches.
func (e *Engine) Len() int { return len(e.recs) }
