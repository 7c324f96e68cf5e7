package data

import (
	"hash/maphash"
	"unsafe"
)

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
