package notes

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/dcx-explorer/dcx/model"
)

// countryNames are the English short names (ISO 3166-1) of the countries the
// notes name by code that the hand-written dataset does not hold yet.
var countryNames = map[string]string{
	"AR": "Argentina", "AT": "Austria", "BE": "Belgium", "BH": "Bahrain", "CA": "Canada", "CH": "Switzerland",
	"CL": "Chile", "CO": "Colombia", "CZ": "Czechia", "DK": "Denmark", "EG": "Egypt", "ES": "Spain",
	"FI": "Finland", "GR": "Greece", "IE": "Ireland", "IL": "Israel", "IS": "Iceland", "IT": "Italy",
	"KE": "Kenya", "KW": "Kuwait", "MA": "Morocco", "NG": "Nigeria", "NO": "Norway", "NZ": "New Zealand",
	"OM": "Oman", "PE": "Peru", "PK": "Pakistan", "PL": "Poland", "PT": "Portugal", "RO": "Romania",
	"RW": "Rwanda", "SE": "Sweden", "TR": "Türkiye", "TW": "Taiwan", "UY": "Uruguay", "VN": "Vietnam",
	"ZA": "South Africa", "BD": "Bangladesh", "LK": "Sri Lanka", "KZ": "Kazakhstan", "UZ": "Uzbekistan",
	"GH": "Ghana", "ET": "Ethiopia", "TZ": "Tanzania", "SN": "Senegal", "CI": "Côte d’Ivoire", "JO": "Jordan",
	"HU": "Hungary", "BG": "Bulgaria", "RS": "Serbia", "HR": "Croatia", "SK": "Slovakia", "SI": "Slovenia",
	"LU": "Luxembourg", "EE": "Estonia", "LV": "Latvia", "LT": "Lithuania", "UA": "Ukraine", "CR": "Costa Rica",
	"PA": "Panama", "DO": "Dominican Republic", "EC": "Ecuador", "PY": "Paraguay", "MN": "Mongolia",
	"KH": "Cambodia", "LA": "Laos", "MM": "Myanmar", "NP": "Nepal", "BT": "Bhutan", "MV": "Maldives",
	"FJ": "Fiji", "PG": "Papua New Guinea", "BN": "Brunei", "MO": "Macao", "DZ": "Algeria", "TN": "Tunisia",
	"UG": "Uganda", "ZM": "Zambia", "ZW": "Zimbabwe", "AO": "Angola", "MU": "Mauritius", "BW": "Botswana",
	"NA": "Namibia", "CY": "Cyprus", "MT": "Malta", "IQ": "Iraq", "IR": "Iran", "AM": "Armenia", "GE": "Georgia",
	"AZ": "Azerbaijan",
}

// country returns the place id of an ISO code, making the country's record
// (quoting cell, where a row names it) when the dataset has none.
func (b *builder) country(d *Doc, iso, cell string) string {
	id := strings.ToLower(iso)
	if r, ok := b.existing[id]; ok {
		if p, ok := r.(*model.Place); ok && p.Kind == model.PlaceCountry {
			return id
		}
		b.bad("%s: %s is not a country in the dataset", d.Name, id)
		return ""
	}
	if p := b.placeAt(id); p != nil {
		if p.Kind != model.PlaceCountry {
			b.bad("%s: place %s is not a country", d.Name, id)
		}
		return id
	}
	name, ok := countryNames[iso]
	if !ok {
		b.bad("%s: country code %q: not a known ISO 3166-1 code (add it to countryNames)", d.Name, iso)
		return ""
	}
	p := &model.Place{
		Base: model.Base{ID: id, Evidence: []model.Evidence{b.ev(d, cell, "code", "name")},
			Notes: "The notes give the ISO 3166-1 code; the name is the standard's English short name for it."},
		Name: name, Kind: model.PlaceCountry, Code: iso,
	}
	b.addPlace(p)
	return id
}

func (b *builder) addPlace(p *model.Place) {
	b.places[p.ID] = len(b.out.Places)
	b.out.Places = append(b.out.Places, *p)
}

// placeAt returns the generated place of an id, nil if there is none. It
// points into the output, so an update (a city's admin area) is kept.
func (b *builder) placeAt(id string) *model.Place {
	if i, ok := b.places[id]; ok {
		return &b.out.Places[i]
	}
	return nil
}

// adminArea returns the place id of the most specific admin area of text
// ("Shackelford County, Texas": the county, which lies in Texas), making
// the records it needs. Each quotes cell.
func (b *builder) adminArea(d *Doc, text, iso, countryID, cell string) string {
	parts := strings.Split(text, ",")
	parent := ""
	for i := len(parts) - 1; i >= 0; i-- {
		name := strings.TrimSpace(parts[i])
		if name == "" {
			continue
		}
		if iso == "US" && len(name) == 2 {
			for full, code := range usStates {
				if code == name {
					name = titleCase(full)
				}
			}
		}
		// A state is "texas-us"; a county in it "shackelford-county-texas-us".
		id := slug(name) + "-" + strings.ToLower(iso)
		if parent != "" {
			id = slug(name) + "-" + parent
		}
		if r, ok := b.existing[id]; ok {
			if p, ok := r.(*model.Place); !ok || p.Kind != model.PlaceAdminArea {
				b.bad("%s: admin area %s clashes with a record of another kind", d.Name, id)
			}
		} else if b.placeAt(id) == nil {
			b.addPlace(&model.Place{
				Base:    model.Base{ID: id, Evidence: []model.Evidence{b.ev(d, cell, nonEmpty("name", "country", opt(parent != "", "admin"))...)}},
				Name:    name,
				Kind:    model.PlaceAdminArea,
				Country: countryID,
				Admin:   parent,
			})
		}
		parent = id
	}
	return parent
}

func titleCase(s string) string {
	w := strings.Fields(s)
	for i, x := range w {
		if x != "of" && x != "and" {
			w[i] = strings.ToUpper(x[:1]) + x[1:]
		}
	}
	return strings.Join(w, " ")
}

// city returns the place id of a city (the dataset's, or a new one located
// from GeoNames) and its coordinates.
//
// A place too small for GeoNames is located at locate, a town standing for
// it, and says so.
func (b *builder) city(d *Doc, name, locate, iso, countryID, adminID, adminText, cell string) (string, *model.Coords) {
	key := fold(name) + "|" + countryID
	if id, ok := b.cityByKey[key]; ok {
		if gp := b.placeAt(id); gp != nil {
			if gp.Admin == "" && adminID != "" && gp.ID != adminID {
				gp.Admin = adminID
			}
			return id, gp.Coords
		}
		// A hand-written city: its own coordinates, or none (then the
		// facility has none rather than some no evidence of the city backs).
		return id, b.existing[id].(*model.Place).Coords
	}
	c, ok := b.in.Gazetteer.Lookup(name, iso, adminText)
	standIn := false
	if !ok && locate != "" {
		c, ok = b.in.Gazetteer.Lookup(locate, iso, adminText)
		standIn = ok
	}
	if !ok {
		// A township or district too small for GeoNames may be an admin
		// area a facility row already located (with a town standing for it).
		for i := range b.out.Places {
			if p := &b.out.Places[i]; p.Kind == model.PlaceAdminArea && p.Country == countryID && fold(p.Name) == fold(name) {
				return p.ID, nil
			}
		}
		b.bad("%s: city %q in %s: not in %s (refresh it with notes geo, or set locate to a GeoNames town that stands for it)", d.Name, name, iso, GeoNamesFile)
		return "", nil
	}
	id := slug(name)
	if _, taken := b.existing[id]; taken {
		id += "-" + strings.ToLower(iso)
	} else if b.placeAt(id) != nil {
		id += "-" + strings.ToLower(iso)
	}
	if b.placeAt(id) != nil {
		id += "-" + strconv.Itoa(c.ID)
	}
	coords := &model.Coords{Lat: c.Lat, Lon: c.Lon}
	geo := geoEvidence(c)
	p := &model.Place{
		Base: model.Base{ID: id, Evidence: []model.Evidence{
			b.ev(d, cell, nonEmpty("name", "country", opt(adminID != "", "admin"))...),
			geo,
		}},
		Name: name, Kind: model.PlaceCity, Country: countryID, Admin: adminID, Coords: coords,
	}
	switch {
	case standIn:
		p.Evidence[1].Note += "; stands for " + name + ", which GeoNames does not list"
		p.Notes = "Located at " + c.Name + " (GeoNames), the nearest place GeoNames lists: the coordinates are approximate."
	case c.Name != name:
		p.Aliases = []string{c.Name}
		p.Evidence[1].Supports = append(p.Evidence[1].Supports, "aliases")
	}
	b.cityByKey[key] = id
	b.addPlace(p)
	return id, coords
}

func geoEvidence(c *City) model.Evidence {
	return model.Evidence{
		Source: GeoNamesSource, Quote: c.Line, Translation: c.Line, Supports: []string{"coords"},
		Note: fmt.Sprintf("GeoNames %d (%s, population %d)", c.ID, c.Feature, c.Population),
	}
}

// placeRefs resolves a row's places.
func (b *builder) placeRefs(d *Doc, where string, refs []PlaceRef, cell string) []string {
	var ids []string
	add := func(id string) {
		if id != "" && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	for _, ref := range refs {
		switch {
		case ref.ID != "":
			if _, ok := b.existing[ref.ID]; !ok && b.placeAt(ref.ID) == nil {
				b.bad("%s: place %q: no such place", where, ref.ID)
				continue
			}
			add(ref.ID)
		case ref.Area != "":
			if r, ok := b.existing[ref.Area]; !ok || r.(*model.Place).Kind != model.PlaceArea {
				b.bad("%s: area %q: not an area of the dataset", where, ref.Area)
				continue
			}
			add(ref.Area)
		case ref.Country != "":
			iso := strings.ToUpper(ref.Country)
			cid := b.country(d, iso, cell)
			if cid == "" {
				continue
			}
			adminID := ""
			if ref.Admin != "" {
				adminID = b.adminArea(d, ref.Admin, iso, cid, cell)
			}
			switch {
			case ref.City != "":
				id, _ := b.city(d, ref.City, ref.Locate, iso, cid, adminID, ref.Admin, cell)
				add(id)
			case adminID != "":
				add(adminID)
			default:
				add(cid)
			}
		default:
			b.bad("%s: a place needs id, area or country", where)
		}
	}
	return ids
}
