// Package synth generates synthetic dcx datasets of any size: realistic
// names, places, amounts and dates, every reference valid and every record
// backed by evidence from a synthetic source. The same size and seed always
// give the same dataset.
//
// Every record is a pure function of (seed, kind, index): its own small
// random generator is seeded from them, and references to other records are
// drawn as indices whose ids are computed without generating the target. So
// Write can stream a million records without holding them, and Generate and
// Write produce the same dataset by construction.
package synth

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/dcx-explorer/dcx/model"
)

// layout is how many records of each kind a dataset of n records holds.
// Kinds are filled in dependency order (sources, places, companies, regions
// with their zones, facilities, investments, announcements) so a tiny n
// truncates the tail and every reference still resolves.
type layout struct {
	seed                                          int64
	sources, countries, areas, cities, companies  int
	regions                                       int
	lastZones                                     int // zone count of the last region, when the budget cut it
	facilities, investments, announcements, zones int
}

func newLayout(n int, seed int64) layout {
	l := layout{seed: seed, lastZones: -1}
	rem := max(n, 0)
	take := func(want int) int {
		k := min(max(want, 0), rem)
		rem -= k
		return k
	}
	l.sources = take(max(1, n/25))
	l.countries = take(len(countries))
	l.areas = take(len(areas))
	l.cities = take(len(cities))
	l.companies = take(len(realCompanies) + n/50)
	if l.companies > 0 {
		want := max(1, n/40)
		for j := 0; j < want && rem > 0; j++ {
			z := l.zoneCount(j)
			if 1+z > rem {
				l.lastZones = rem - 1
				z = rem - 1
			}
			rem -= 1 + z
			l.zones += z
			l.regions++
		}
	}
	l.facilities = take(n * 30 / 100)
	l.investments = take(n * 15 / 100)
	l.announcements = take(rem)
	return l
}

// Kind tags for the per-record generators.
const (
	tSource = iota + 1
	tPlace
	tCompany
	tRegion
	tFacility
	tInvestment
	tAnnouncement
	tRate
	tZones
	tCity
)

func (l layout) rng(kind, j int) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(l.seed), uint64(kind)<<48|uint64(j)))
}

func (l layout) zoneCount(j int) int {
	if j == 0 {
		return 4
	}
	return l.rng(tZones, j).IntN(4)
}

func (l layout) regionZones(j int) int {
	if j == l.regions-1 && l.lastZones >= 0 {
		return l.lastZones
	}
	return l.zoneCount(j)
}

// Ids. Fixed places and well-known companies get readable slugs; bulk
// records get a kind prefix and their index, which keeps ids unique and
// computable from an index alone.
func sourceID(j int) string       { return "src-" + strconv.Itoa(j) }
func facilityID(j int) string     { return "fac-" + strconv.Itoa(j) }
func investmentID(j int) string   { return "inv-" + strconv.Itoa(j) }
func announcementID(j int) string { return "ann-" + strconv.Itoa(j) }
func countryID(c int) string      { return strings.ToLower(countries[c].code) }
func areaID(a int) string         { return "area-" + areas[a].code }
func cityID(c int) string         { return slug(cities[c].name) }

func (l layout) companyID(j int) string {
	if j < len(realCompanies) {
		return realCompanies[j].id
	}
	return slug(l.companyName(j)) + "-" + strconv.Itoa(j)
}

func (l layout) companyName(j int) string {
	if j < len(realCompanies) {
		return realCompanies[j].name
	}
	r := l.rng(tCompany, j)
	return nameRoots[r.IntN(len(nameRoots))] + " " + nameSuffixes[r.IntN(len(nameSuffixes))]
}

// isProvider says whether company j runs cloud regions; invented companies
// are providers one time in five.
func (l layout) isProvider(j int) bool {
	if j < len(realCompanies) {
		return realCompanies[j].provider
	}
	return j%5 == 0
}

func (l layout) regionID(j int) string {
	p := l.regionProvider(j)
	return l.companyID(p) + "-" + l.regionCode(j)
}

// regionProvider picks a provider: the big real ones most of the time.
func (l layout) regionProvider(j int) int {
	if j == 0 && l.companies > 1 {
		return 1 // aws
	}
	r := l.rng(tRegion, j)
	var real []int
	for i := 0; i < min(len(realCompanies), l.companies); i++ {
		if realCompanies[i].provider {
			real = append(real, i)
		}
	}
	if r.IntN(10) < 7 && len(real) > 0 {
		return real[r.IntN(len(real))]
	}
	p := r.IntN(l.companies)
	for k := 0; k < 8 && !l.isProvider(p); k++ {
		p = r.IntN(l.companies)
	}
	return p
}

func (l layout) regionCity(j int) int {
	if j == 0 {
		return 0 // Seoul
	}
	return l.rng(tCity, j).IntN(l.cities)
}

func (l layout) regionCode(j int) string {
	c := cities[l.regionCity(j)]
	return strings.ToLower(c.country) + "-" + slug(c.name) + "-" + strconv.Itoa(j+1)
}

func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case strings.ContainsRune("àáâãäå", r):
			b.WriteByte('a')
			dash = false
		case strings.ContainsRune("èéêë", r):
			b.WriteByte('e')
			dash = false
		case strings.ContainsRune("ìíîï", r):
			b.WriteByte('i')
			dash = false
		case strings.ContainsRune("òóôõöø", r):
			b.WriteByte('o')
			dash = false
		case strings.ContainsRune("ùúûü", r):
			b.WriteByte('u')
			dash = false
		case r == 'ñ':
			b.WriteByte('n')
			dash = false
		default:
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

func countryIndex(code string) int {
	for i, c := range countries {
		if c.code == code {
			return i
		}
	}
	return 0
}

// date draws a date between 2016 and 2027 at a random precision.
func date(r *rand.Rand) model.Date {
	y := 2016 + r.IntN(12)
	m := 1 + r.IntN(12)
	d := 1 + r.IntN(28)
	switch p := r.IntN(100); {
	case p < 70:
		return model.Date{Value: fmt.Sprintf("%04d-%02d-%02d", y, m, d), Precision: model.PrecisionDay}
	case p < 90:
		return model.Date{Value: fmt.Sprintf("%04d-%02d", y, m), Precision: model.PrecisionMonth}
	case p < 97:
		return model.Date{Value: fmt.Sprintf("%04d-Q%d", y, (m-1)/3+1), Precision: model.PrecisionQuarter}
	}
	return model.Date{Value: strconv.Itoa(y), Precision: model.PrecisionYear}
}

func (l layout) sourceLang(s int) string {
	if s == 0 {
		return "en"
	}
	return publishers[l.rng(tSource, s).IntN(len(publishers))].lang
}

// quote renders one claim in a source's language, with its English
// translation.
type claim struct{ en, it, de, fr string }

func (l layout) evidence(r *rand.Rand, c claim, supports ...string) []model.Evidence {
	s := r.IntN(l.sources)
	ev := model.Evidence{Source: sourceID(s), Translation: c.en, Supports: supports}
	switch l.sourceLang(s) {
	case "it":
		ev.Quote = c.it
	case "de":
		ev.Quote = c.de
	case "fr":
		ev.Quote = c.fr
	default:
		ev.Quote = c.en
	}
	return []model.Evidence{ev}
}

// companyIndexOf maps a facility's operator id back to its index; only used
// for names, so it recomputes the draw instead of keeping a map.
func (l layout) companyIndexOf(id string, _ int) int {
	for i, rc := range realCompanies {
		if rc.id == id {
			return i
		}
	}
	if k := strings.LastIndexByte(id, '-'); k >= 0 {
		if n, err := strconv.Atoi(id[k+1:]); err == nil {
			return n
		}
	}
	return 0
}

func (l layout) companyNameByID(id string) string { return l.companyName(l.companyIndexOf(id, 0)) }

func (l layout) placeName(id string) string {
	for _, c := range cities {
		if slug(c.name) == id {
			return c.name
		}
	}
	return id
}

// rates are reference rates against USD twice a year, 2016 to 2027, with a
// deterministic drift.
func (l layout) rates() []model.Rate {
	var out []model.Rate
	if l.sources == 0 {
		return nil
	}
	ev := []model.Evidence{{Source: sourceID(0), Quote: "synthetic reference rate", Translation: "synthetic reference rate", Supports: []string{"value"}}}
	k := 0
	for y := 2016; y <= 2027; y++ {
		for _, half := range []string{"-01-02", "-07-01"} {
			r := l.rng(tRate, k)
			k++
			for _, c := range currencies[1:] {
				v := c.perUSD * (0.92 + r.Float64()*0.16)
				v = math.Round(v*1e4) / 1e4
				out = append(out, model.Rate{Base: "USD", Quote: c.code, Value: v, Date: model.Date{Value: strconv.Itoa(y) + half, Precision: model.PrecisionDay}, Origin: model.RateReference, Evidence: ev})
			}
		}
	}
	return out
}

// Generate returns a synthetic dataset of n records (zones, derived from
// regions, included), not yet built.
func Generate(n int, seed int64) *model.Dataset {
	l := newLayout(n, seed)
	ds := &model.Dataset{}
	for j := 0; j < l.sources; j++ {
		ds.Sources = append(ds.Sources, l.source(j))
	}
	for j := 0; j < l.countries+l.areas+l.cities; j++ {
		ds.Places = append(ds.Places, l.place(j))
	}
	for j := 0; j < l.companies; j++ {
		ds.Companies = append(ds.Companies, l.company(j))
	}
	for j := 0; j < l.regions; j++ {
		ds.Regions = append(ds.Regions, l.region(j))
	}
	for j := 0; j < l.facilities; j++ {
		ds.Facilities = append(ds.Facilities, l.facility(j))
	}
	for j := 0; j < l.investments; j++ {
		ds.Investments = append(ds.Investments, l.investment(j))
	}
	for j := 0; j < l.announcements; j++ {
		ds.Announcements = append(ds.Announcements, l.announcement(j))
	}
	ds.Rates = l.rates()
	return ds
}

// Write streams the dataset Generate(n, seed) returns as one dataset JSON
// file, one record at a time.
func Write(w io.Writer, n int, seed int64) error {
	l := newLayout(n, seed)
	bw := bufio.NewWriterSize(w, 1<<16)
	enc := json.NewEncoder(bw)
	first := true
	section := func(key string, count int, rec func(j int) any) error {
		if count == 0 {
			return nil
		}
		sep := ",\n"
		if first {
			sep = ""
			first = false
		}
		if _, err := fmt.Fprintf(bw, "%s%q: [\n", sep, key); err != nil {
			return err
		}
		for j := 0; j < count; j++ {
			if j > 0 {
				if err := bw.WriteByte(','); err != nil {
					return err
				}
			}
			if err := enc.Encode(rec(j)); err != nil {
				return fmt.Errorf("synth: %s[%d]: %w", key, j, err)
			}
		}
		_, err := bw.WriteString("]")
		return err
	}
	if _, err := bw.WriteString("{\n"); err != nil {
		return err
	}
	rates := l.rates()
	for _, s := range []struct {
		key   string
		count int
		rec   func(j int) any
	}{
		{"sources", l.sources, func(j int) any { v := l.source(j); return &v }},
		{"companies", l.companies, func(j int) any { v := l.company(j); return &v }},
		{"places", l.countries + l.areas + l.cities, func(j int) any { v := l.place(j); return &v }},
		{"regions", l.regions, func(j int) any { v := l.region(j); return &v }},
		{"facilities", l.facilities, func(j int) any { v := l.facility(j); return &v }},
		{"investments", l.investments, func(j int) any { v := l.investment(j); return &v }},
		{"announcements", l.announcements, func(j int) any { v := l.announcement(j); return &v }},
		{"rates", len(rates), func(j int) any { return &rates[j] }},
	} {
		if err := section(s.key, s.count, s.rec); err != nil {
			return err
		}
	}
	if _, err := bw.WriteString("\n}\n"); err != nil {
		return err
	}
	return bw.Flush()
}
