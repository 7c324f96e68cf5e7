package model

import (
	"hash/maphash"
	"math/bits"
)

// idIndex finds a record's index by its id. It is an open-addressing hash
// table (linear probing, load factor at most one half) whose slots hold a
// record index and 32 bits of the id's hash; the ids themselves are not
// copied into it. A probe reads a record's id only when the hash bits agree,
// so a lookup costs about what a map's does. At a million records a
// map[string]int32 took 38 MB (a string header and an int32 per slot, at the
// map's load factor); this takes 16.
type idIndex struct {
	slots []uint64 // hash>>32<<32 | record index+1; 0 marks an empty slot
	seed  maphash.Seed
}

func newIDIndex(n int) idIndex {
	size := 1 << bits.Len(uint(2*n))
	return idIndex{slots: make([]uint64, size), seed: maphash.MakeSeed()}
}

// find returns the slot where id is, or the empty slot where it would go,
// and the slot's value for id.
func (x *idIndex) find(records []Record, id string) (slot int, val uint64, found bool) {
	h := maphash.String(x.seed, id)
	tag := h >> 32 << 32
	mask := len(x.slots) - 1
	for s := int(h) & mask; ; s = (s + 1) & mask {
		v := x.slots[s]
		if v == 0 {
			return s, tag, false
		}
		if v&^0xffffffff == tag && records[uint32(v)-1].RecordID() == id {
			return s, v, true
		}
	}
}

// add indexes records[i]; when its id is already there it returns the
// index of the record that has it and false.
func (x *idIndex) add(records []Record, i int) (prev int32, ok bool) {
	s, v, found := x.find(records, records[i].RecordID())
	if found {
		return int32(uint32(v) - 1), false
	}
	x.slots[s] = v | uint64(i+1)
	return 0, true
}

// get returns the index of the record with the given id.
func (x *idIndex) get(records []Record, id string) (int32, bool) {
	if len(x.slots) == 0 {
		return 0, false
	}
	_, v, found := x.find(records, id)
	if !found {
		return 0, false
	}
	return int32(uint32(v) - 1), true
}
