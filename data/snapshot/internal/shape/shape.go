// Package shape says which fields of a type a snapshot stores and
// fingerprints them, for the snapshot codec and its generator alike.
package shape

import (
	"hash/fnv"
	"reflect"
	"strings"
)

// Stored lists the fields of struct type t that a snapshot holds: the
// exported ones that the JSON holds too (not tagged json:"-").
func Stored(t reflect.Type) []int {
	var fields []int
	for i := range t.NumField() {
		f := t.Field(i)
		if f.IsExported() && f.Tag.Get("json") != "-" {
			fields = append(fields, i)
		}
	}
	return fields
}

// Fingerprint hashes the shape of t: every stored field's name and type,
// down to the basic kinds, so that adding, removing, renaming or retyping a
// field changes it.
func Fingerprint(t reflect.Type) uint64 {
	var b strings.Builder
	seen := map[reflect.Type]bool{}
	var describe func(reflect.Type)
	describe = func(t reflect.Type) {
		b.WriteString(t.String())
		if seen[t] {
			return
		}
		seen[t] = true
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice:
			b.WriteByte('<')
			describe(t.Elem())
			b.WriteByte('>')
		case reflect.Struct:
			b.WriteByte('{')
			for _, f := range Stored(t) {
				b.WriteString(t.Field(f).Name)
				b.WriteByte(' ')
				describe(t.Field(f).Type)
				b.WriteByte(';')
			}
			b.WriteByte('}')
		default:
			b.WriteString("=" + t.Kind().String())
		}
	}
	describe(t)
	h := fnv.New64a()
	h.Write([]byte(b.String()))
	return h.Sum64()
}
