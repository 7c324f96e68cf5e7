package data

import (
	"fmt"
	"reflect"
	"strings"
	"sync"

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
